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
from contextvars import ContextVar

from django.urls import get_script_prefix, set_script_prefix

from .languages import language_prefix
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
    "site-map",
    "privacy",
    "open-data-licence",
    "contact",
    "embed",
    "og",
)

# plan id -> fiscal year, of the plans last looked up (plan/content/published.py keeps it current).
_years: dict[int, int] = {}

# Under /preview/114/ an editor sees a draft as the plan of 114 (plan/editing/preview.py):
# (the draft's plan id, its year) while such a request is answered.
PREVIEW_PREFIX = "/preview/"
# The session key under which the admin remembers which draft an editor chose to preview.
CHOSEN_DRAFT = "preview_draft"
_previewed: ContextVar[tuple[int, int] | None] = ContextVar("previewed", default=None)


def remember(plans) -> None:
    _years.clear()
    _years.update({plan.pk: plan.fiscal_year for plan in plans})


def year_of(plan_id: int) -> int | None:
    previewed = _previewed.get()
    if previewed and previewed[0] == plan_id:
        return previewed[1]
    return _years.get(plan_id)


def previewing() -> bool:
    """Whether a draft is being previewed: nothing made now may be kept for the public."""
    return _previewed.get() is not None


def _prefix(year: int) -> str:
    previewed = _previewed.get()
    if previewed and previewed[1] == year:
        return f"{PREVIEW_PREFIX}{year}/"
    return f"{language_prefix()}/{year}/"  # /en/114/ while an English page is answered


@contextmanager
def in_preview(plan_id: int, year: int):
    """Links made inside are the preview's (/preview/114/…), and the draft with `plan_id`
    stands for the plan of `year`."""
    token = _previewed.set((plan_id, year))
    previous = get_script_prefix()
    set_script_prefix(_prefix(year))
    try:
        yield
    finally:
        set_script_prefix(previous)
        _previewed.reset(token)


def is_plan_path(path: str) -> bool:
    """Whether an address without a year is one of a plan's pages (to be redirected)."""
    return path.strip("/").split("/", 1)[0] in SECTIONS


@contextmanager
def in_year(year: int):
    """Links made inside are the plan of `year`'s: /114/…"""
    previous = get_script_prefix()
    set_script_prefix(_prefix(year))  # the site is served at the root of its origin (SITE_URL)
    try:
        yield
    finally:
        set_script_prefix(previous)


def year_reverse(year: int, name: str, **kwargs) -> str:
    return remembered_reverse(name, kwargs=kwargs or None, prefix=_prefix(year))
