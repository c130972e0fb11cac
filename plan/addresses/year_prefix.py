"""Every plan lives under its fiscal year: /114/ is its home, /114/budget/2-2/ a budget line.
A published link keeps its meaning when next year's plan arrives.

The year works like Django's language prefix (i18n_patterns): the URLconf has no year in it;
for a request under /114/, YearMiddleware (plan/web/middleware.py) strips the year from the path
it resolves and makes /114/ the script prefix, so every `{% url %}` and `reverse()` made while
answering the request stays in that year. Code that links to another year, or builds links
outside a request (the sitemap, warmcache), says which year with `in_year()`. A record's own
`get_absolute_url()` always names its plan's year, whatever the request.
"""

import re
from contextlib import contextmanager

from django.urls import get_script_prefix, set_script_prefix

from .links import remembered_reverse

# /114/… (3 digits: the ROC year). What follows the year is resolved as usual.
YEAR_PATH = re.compile(r"^/(?P<year>[0-9]{3})(?P<rest>/.*)?$")
# The first path segment of every page that belongs to a plan (plan/urls.py): without a year
# in front, such an address redirects to the newest plan's.
SECTIONS = (
    "budget",
    "measures",
    "goals",
    "search",
    "open-data",
    "changes",
    "about",
    "glossary",
    "accessibility",
    "embed",
    "og",
)

# plan id -> fiscal year, of the plans last looked up (plan/content/published.py keeps it current).
_years: dict[int, int] = {}


def remember(plans) -> None:
    _years.clear()
    _years.update({plan.pk: plan.fiscal_year for plan in plans})


def year_of(plan_id: int) -> int | None:
    return _years.get(plan_id)


def is_plan_path(path: str) -> bool:
    """Whether an address without a year is one of a plan's pages (to be redirected)."""
    return path.strip("/").split("/", 1)[0] in SECTIONS


@contextmanager
def in_year(year: int):
    """Links made inside are the plan of `year`'s: /114/…"""
    previous = get_script_prefix()
    set_script_prefix(f"/{year}/")  # the site is served at the root of its origin (SITE_URL)
    try:
        yield
    finally:
        set_script_prefix(previous)


def year_reverse(year: int, name: str, **kwargs) -> str:
    return remembered_reverse(name, kwargs=kwargs or None, prefix=f"/{year}/")
