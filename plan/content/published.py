"""What is published right now: the plans and the data version, looked up at most once a second;
and which plan a request or an address speaks about.

The data version is what every cached page depends on besides the release. It moves whenever
published data changes (an admin save, a `loadplan` that changes something: both move a plan's
`data_updated_at`). Reading it must not cost a query per request, so each process looks at most
once a second; where a shared cache (Redis) is configured, it reads the version every process
published there, and asks the database only when that moved. An admin's save is therefore
visible on any worker within `check_seconds()` (a quarter of a second with a shared cache, a
second without), and at once on the worker that saved.

The same lookup gives the plans themselves (a handful of rows) and the search synonym table (a few
dozen words, plan/search/synonyms.py), so a page does not ask for them again, and is made from the
same snapshot its cache key names. An edit of the synonyms changes what a search shows, so it
changes the version too (but not the plans' "last changed": no published record changed).

If the database cannot be reached, the last snapshot is kept and said to be stale, so that
pages already in the cache can still be served.

What many pages read and only a data change changes (a plan's budget tree) is made once per
version in each process and kept beside the snapshot (`remembered`), as objects: the page
cache's entries are pickled and read back on every request, which would cost more than the
query they save.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.http import Http404
from django.utils.translation import gettext

from plan.addresses import year_prefix
from plan.models import Plan, SearchSynonym

logger = logging.getLogger(__name__)

CHECK_SECONDS = 1.0
# With a shared cache, looking costs one cache read, not a query: every process looks four
# times a second, so that a change is everywhere (and behind the HTTP cache's purges,
# plan/pagecache/purge.py) within a fraction of a second.
SHARED_CHECK_SECONDS = 0.25
CACHE_KEY = "plan:data-version"
# The shared version is taken from the database again at least this often, so that a change
# made behind the site's back (SQL by hand) is not hidden for long.
SHARED_SECONDS = 60


@dataclass(frozen=True)
class Version:
    key: str  # goes into cache keys and ETags
    modified: int | None  # Unix time of the last change, whole seconds (Last-Modified)


@dataclass(frozen=True)
class Snapshot:
    version: Version | None  # None: never known (the database has been down since start)
    plans: tuple[Plan, ...]  # newest first (by fiscal year, then agency)
    stale: bool = False  # the database could not be asked: this is the last known state
    synonyms: tuple[tuple[str, ...], ...] = ()  # the search synonym groups, each its words

    @property
    def unread(self) -> bool:
        """The database has not answered since the process began: no plans to route by, and
        at most the version other processes published in the shared cache (for its pages)."""
        return self.version is None or (self.stale and not self.plans)

    def plan_of(self, year: int) -> Plan | None:
        """The published plan of `year`, if there is one."""
        return next((plan for plan in self.plans if plan.fiscal_year == year), None)


def _read_database() -> tuple[Version, tuple[Plan, ...], tuple[tuple[str, ...], ...]]:
    plans = tuple(Plan.objects.published().order_by("-fiscal_year", "agency"))
    rows = list(SearchSynonym.objects.values_list("words", "updated_at"))
    synonyms = tuple(tuple(SearchSynonym(words=words).word_list) for words, _at in rows)
    fingerprint = hashlib.sha256(repr(synonyms).encode()).hexdigest()[:12]
    changes = [plan.data_updated_at for plan in plans if plan.data_updated_at]
    changes += [updated_at for _words, updated_at in rows]
    if not changes:
        return Version(f"none:{len(plans)}:{fingerprint}", None), plans, synonyms
    changed = max(changes).timestamp()
    return Version(f"{changed:.6f}:{len(plans)}:{fingerprint}", int(changed)), plans, synonyms


def _shared() -> bool:
    """Whether every process sees the same cache (Redis), rather than one of its own."""
    return not settings.CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))


class _Derived:
    """What was made from the data of one version (`remembered`)."""

    def __init__(self, version_key: str | None):
        self.version_key = version_key
        self.values: dict = {}


class _Memo:
    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot = Snapshot(None, ())
        self.checked_at = float("-inf")
        self.interval = CHECK_SECONDS  # check_seconds(), as of the last look
        self.derived = _Derived(None)


_memo = _Memo()


def current() -> Snapshot:
    now = time.monotonic()
    # A process that has never reached the database asks on every request, not once a second:
    # it has nothing to serve meanwhile, and must not answer 503 once the database is back.
    if now - _memo.checked_at < _memo.interval and not _memo.snapshot.unread:
        return _memo.snapshot
    with _memo.lock:
        if now - _memo.checked_at >= _memo.interval or _memo.snapshot.unread:
            _refresh(now)
    return _memo.snapshot


def fresh() -> Snapshot | None:
    """The snapshot, if it was looked up less than `check_seconds()` ago and the database
    answered; otherwise None, and the caller goes the way that looks again
    (plan/pagecache/front_door.py)."""
    snapshot = _memo.snapshot
    if time.monotonic() - _memo.checked_at >= _memo.interval or snapshot.stale:
        return None
    return snapshot if snapshot.version is not None else None


def check_seconds() -> float:
    """How long a process goes without looking at the data version again."""
    return SHARED_CHECK_SECONDS if _shared() else CHECK_SECONDS


def _refresh(now: float) -> None:
    _memo.interval = check_seconds()
    known = _memo.snapshot
    unchanged = (
        _shared()
        and known.version is not None
        and not known.stale
        and safe_cache(cache.get, CACHE_KEY) == known.version
    )
    if unchanged:  # another process published nothing new: no need to ask the database
        _memo.checked_at = now
        return
    try:
        version, plans, synonyms = _read_database()
    except DatabaseError:
        # Keep serving what is cached; ask again after CHECK_SECONDS. A connection the lookup
        # found cut is closed, so that the rest of the request (the view) opens a new one:
        # a stale snapshot never makes a database that is back answer 503.
        drop_dead_connections()
        # A process that never reached the database serves the pages the others cached, by
        # the version they published in the shared cache.
        version = known.version or (safe_cache(cache.get, CACHE_KEY) if _shared() else None)
        _memo.snapshot = Snapshot(version, known.plans, stale=True, synonyms=known.synonyms)
        _memo.checked_at = now
        return
    if _shared():
        safe_cache(cache.set, CACHE_KEY, version, timeout=SHARED_SECONDS)
    year_prefix.remember(plans)
    _memo.snapshot = Snapshot(version, plans, synonyms=synonyms)
    _memo.checked_at = now


def drop_dead_connections() -> None:
    """Close connections that no longer answer, so that the next query opens a new one.

    Django checks a persistent connection at the start of each request (CONN_HEALTH_CHECKS);
    a connection cut after that check is found dead only by the query that fails on it."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def changed() -> None:
    """Published data changed: this process looks again at its next request, and once the
    change is committed, every process does (the shared cache gets the new version)."""
    forget()
    transaction.on_commit(_publish)


def _publish() -> None:
    forget()
    if _shared():
        safe_cache(cache.set, CACHE_KEY, _read_database()[0], timeout=SHARED_SECONDS)


def forget() -> None:
    """Look again at the next request (after a change; between tests), and make again what was
    made from the data."""
    _memo.checked_at = float("-inf")
    _memo.derived = _Derived(None)


def remembered(key, build):
    """`build()`, made once for the current data version in this process and kept until the
    version moves (or `forget()`). The value is shared by every request and thread: it must
    never be changed after it is built. Without a known version, built each time."""
    version = current().version
    if version is None or year_prefix.previewing():  # a draft changes without a new version
        return build()
    derived = _memo.derived
    if derived.version_key != version.key:
        derived = _memo.derived = _Derived(version.key)  # the older version's values go
    try:
        return derived.values[key]
    except KeyError:
        value = derived.values[key] = build()  # two threads may both build: the same value
        return value


def cache_version() -> Version | None:
    """The data version to key what is kept in the cache by; None when nothing may be kept
    (a draft being previewed, or a version never known)."""
    return None if year_prefix.previewing() else current().version


def safe_cache(operation, *args, **kwargs):
    """A cache operation that cannot take the site down: a cache that does not answer (Redis
    restarting) counts as a miss, and the page is made from the database instead."""
    try:
        return operation(*args, **kwargs)
    except Exception:  # the backends raise their own client's errors (redis.ConnectionError…)
        logger.warning("cache unavailable for %s", getattr(operation, "__name__", operation))
        return None


def published_plans() -> tuple[Plan, ...]:
    """Every plan loaded, newest first."""
    return current().plans


def plan_of_year(year: int) -> Plan | None:
    """The published plan of `year`, if there is one."""
    return current().plan_of(year)


def current_plan(request) -> Plan | None:
    """The plan of the year in the path, set by YearMiddleware (plan/web/middleware.py)."""
    return getattr(request, "plan", None)


def plan_or_404(request) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404(gettext("尚未載入施政計畫資料"))
    return plan
