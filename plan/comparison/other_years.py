"""Links between the years: the same page in another year's plan where it exists there, the
year switcher every page shows when more than one plan is published, and the years a missing
record can be found in.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import NoReverseMatch

from plan.addresses.languages import is_english
from plan.addresses.year_prefix import year_reverse
from plan.content import published
from plan.content.published import safe_cache
from plan.models import BudgetLine, Measure, Plan, PolicyGoal
from plan.reading.english_names import plan_label

CACHE_SECONDS = 3600
# URL names whose page is one record: (URL keyword, the kind of record it names).
RECORD_PAGES = {
    "budget-line-detail": ("code", "lines"),
    "budget-line-csv": ("code", "lines"),
    "measure-detail": ("code", "measures"),
    "goal-detail": ("number", "goals"),
}


@dataclass(frozen=True)
class YearLink:
    year: int
    title: str
    url: str
    current: bool
    same_page: bool  # False: the record is not in that year, the link goes to its home


def plan_codes(plan: Plan) -> dict[str, frozenset]:
    """The codes of the plan's lines and measures and its goal numbers (kept per version)."""
    version = published.cache_version()
    key = f"plan:codes:{plan.pk}:{version.key}" if version else None
    codes = safe_cache(cache.get, key) if key else None
    if codes is None:
        codes = {
            "lines": frozenset(BudgetLine.objects.in_plan(plan).values_list("code", flat=True)),
            "measures": frozenset(Measure.objects.in_plan(plan).values_list("code", flat=True)),
            "goals": frozenset(PolicyGoal.objects.in_plan(plan).values_list("number", flat=True)),
        }
        if key:
            safe_cache(cache.set, key, codes, CACHE_SECONDS)
    return codes


def agency_plans(plan: Plan) -> list[Plan]:
    """The published plans of the plan's agency, newest first."""
    return [each for each in published.current().plans if each.agency == plan.agency]


def year_switcher(request) -> list[YearLink]:
    """The same page in every year of the agency's plans; empty when there is only one."""
    plan = getattr(request, "plan", None)
    match = getattr(request, "resolver_match", None)
    if plan is None or match is None:
        return []
    plans = agency_plans(plan)
    if len(plans) < 2:
        return []
    name = match.url_name
    record = RECORD_PAGES.get(name)
    query = request.META.get("QUERY_STRING", "")
    links = []
    for each in plans:
        same_page = record is None or match.kwargs[record[0]] in plan_codes(each)[record[1]]
        try:
            url = year_reverse(each.fiscal_year, f"plan:{name}", **match.kwargs)
        except NoReverseMatch:
            same_page = False
        if not same_page:
            url = year_reverse(each.fiscal_year, "plan:home")
        elif query and record is None:
            url = f"{url}?{query}"  # a search or a filtered log: the same question that year
        links.append(YearLink(each.fiscal_year, each.title, url, each.pk == plan.pk, same_page))
    return links


def years_with(plan: Plan, url_name: str, **kwargs) -> list[tuple[str, str]]:
    """(label, url) of the other years of the agency whose plan has this record, the label in
    the page's language."""
    keyword, kind = RECORD_PAGES[url_name]
    english = is_english()
    return [
        (
            plan_label(each, english=True) if english else f"{each.fiscal_year} 年度：{each.title}",
            year_reverse(each.fiscal_year, f"plan:{url_name}", **kwargs),
        )
        for each in agency_plans(plan)
        if each.pk != plan.pk and kwargs[keyword] in plan_codes(each)[kind]
    ]
