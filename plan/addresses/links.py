"""Links: absolute ones from the published origin, and `reverse()` remembered.

Absolute links are built from the configured origin (settings.SITE_URL), never from the
request's Host header: a response must not depend on a header the client chose.

Django's `reverse()` walks the URLconf's patterns on every call (25–50 µs), and a budget-line
page links to up to a hundred records and pages: the links were a quarter of the CPU time of
an uncached 目 page. A URL depends only on the URLconf, the script prefix (the year, see
plan/addresses/year_prefix.py), the name, its arguments and the current app (the site has no
translated patterns), so the answer is kept under those. A new URLconf (`clear_url_caches()`,
as tests that override ROOT_URLCONF do) is a new resolver object, hence new keys.

`{% url %}` in every template goes through it too (plan/templatetags/plan_urls.py, a builtin).
"""

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse, set_script_prefix

# Every record of a plan 100 times the real one has a few links; past this the memo starts
# again rather than grow without end.
MAX_ENTRIES = 50_000
_urls: dict = {}

# Where config/urls.py mounts the JSON API; no year prefix (the year is in the API's own path).
API_PREFIX = "/api/v1"


def absolute_url(path: str) -> str:
    """`/budget/2-2/` -> `https://plan.example.org/budget/2-2/`."""
    return settings.SITE_URL + path


def remembered_reverse(viewname, args=None, kwargs=None, current_app=None, *, prefix=None) -> str:
    """`reverse()`, remembered; `prefix`: the script prefix to reverse under (default: the
    current one)."""
    if prefix is None:
        prefix = get_script_prefix()
    args = tuple(args) if args else ()
    kwargs = tuple(sorted(kwargs.items())) if kwargs else ()
    if not isinstance(viewname, str) or not all(
        isinstance(value, (str, int)) for value in (*args, *(value for _, value in kwargs))
    ):
        # A view or an object whose text may change (a record): asked each time.
        return _reverse(prefix, viewname, args, dict(kwargs), current_app)
    key = (get_resolver(get_urlconf()), prefix, viewname, args, kwargs, current_app)
    try:
        return _urls[key]
    except KeyError:
        pass
    url = _reverse(prefix, viewname, args, dict(kwargs), current_app)
    if len(_urls) >= MAX_ENTRIES:
        _urls.clear()
    _urls[key] = url
    return url


def _reverse(prefix, viewname, args, kwargs, current_app) -> str:
    previous = get_script_prefix()
    if prefix == previous:
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    set_script_prefix(prefix)
    try:
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    finally:
        set_script_prefix(previous)
