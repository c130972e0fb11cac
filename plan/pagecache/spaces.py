"""Where the page cache keeps a page: two spaces, so that what readers send cannot push out
what readers came for.

- `default`: pages at their plain address (no query, once tracking parameters are left out).
  There are as many as the sitemap lists (a few hundred, times three encodings), so the space
  is sized to hold them all, with the data version's key beside them.
- `queries`: pages whose address has a query (searches and their CSV/XLSX downloads, sorted or
  paged tables, any `?x=…`). Anyone can make a new one per request, so this space is bounded
  on its own (`MAX_ENTRIES`, a shorter `TIMEOUT`): a flood of unique searches culls other
  searches, never a budget page.

Both are configured in settings.CACHES (config/settings.py): with `REDIS_URL`, on that Redis
(shared by every machine); without it in production, in files under `CACHE_DIR`, shared by the
workers of one machine; in development, in each process's memory.

Also the deploy check that says what production without `REDIS_URL` does not have.
"""

from django.conf import settings
from django.core import checks
from django.core.cache import caches

QUERIES = "queries"


def space(query: str) -> str:
    """The cache alias that holds a page with this normal query (keys.normal_query)."""
    return QUERIES if query else "default"


def page_cache(query: str):
    return caches[space(query)]


def timeout(query: str) -> int | None:
    """How long a page is kept: PAGE_CACHE_SECONDS, or less where its space says so."""
    if not query:
        return settings.PAGE_CACHE_SECONDS
    return min(settings.PAGE_CACHE_SECONDS, caches[QUERIES].default_timeout)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Production without REDIS_URL works, on one machine; say what a second one lacks."""
    if not settings.PRODUCTION or settings.REDIS_URL:
        return []
    return [
        checks.Warning(
            "PRODUCTION is on and REDIS_URL is unset: the page cache lives in files on this "
            "machine (CACHE_DIR), shared by its gunicorn workers only.",
            hint=(
                "With more than one app server, each has its own cache: a page cached on one "
                "is made again on each other (no shared cache across app servers); an admin's "
                "save shows on the other servers only when their copy of the data version "
                "expires, within a minute rather than a second (no change signal across app "
                "servers); and during a database outage a page one server has cached is "
                "served stale by it but answered 503 by the others (no stale-if-error across "
                "app servers). Set REDIS_URL to share them (docs/operating.md, 'The page "
                "cache')."
            ),
            id="plan.W002",
        )
    ]
