"""Reading the plan: home, the budget tree, a budget line, a measure, the goals."""

from django.shortcuts import render
from django.utils.translation import gettext

from plan.addresses.year_prefix import year_reverse
from plan.comparison.lines import plan_comparison
from plan.comparison.other_years import agency_plans, years_with
from plan.content import selectors, tags
from plan.content.outline import line_tree, plan_goals
from plan.content.published import plan_or_404
from plan.document.provenance import line_source
from plan.editing.revisions import last_revised
from plan.models import BudgetLine, PolicyGoal
from plan.pagecache.entries import public_cache
from plan.reading.charts import split_rows
from plan.reading.formatting import shares_text
from plan.reading.levels import split_caption
from plan.reading.population import population
from plan.sharing.citations import budget_line_citation, measure_citation
from plan.web.errors import error_page, safe_methods_only

from .tables import split_table


def _missing(plan, url_name: str, reason: str, **kwargs):
    """The 404 page for a record this year's plan does not have, linking to the years whose
    plans do."""
    links = years_with(plan, url_name, **kwargs)
    if links:
        reason = gettext("%(reason)s：%(year)s 年度的施政計畫沒有這一項，其他年度有。") % {
            "reason": reason,
            "year": plan.fiscal_year,
        }
    return error_page(404, reason, links=links, plan=plan)


@safe_methods_only
@public_cache
def home(request):
    plan = plan_or_404(request)
    comparison = plan_comparison(plan)
    rows = split_rows(line_tree(plan).categories, plan.total_amount, comparison)
    context = {
        "plan": plan,
        "table": split_table(
            request,
            rows,
            caption=gettext("各類預算"),
            total=plan.total_amount,
            comparison=comparison,
            total_compared=comparison.as_line() if comparison else None,
        ),
        "population": population(plan),
        "goals": list(plan_goals(plan).values()),
        "comparison": comparison,
        "removed": comparison.removed.get("", []) if comparison else [],
        # At /, the newest plan's home is also where every year is listed.
        "plans": [
            (each, year_reverse(each.fiscal_year, "plan:home")) for each in agency_plans(plan)
        ]
        if request.path == "/"
        else [],
    }
    return render(request, "plan/home.html", context)


@safe_methods_only
@public_cache
def budget_line_detail(request, code):
    plan = plan_or_404(request)
    page = selectors.budget_line_page(plan=plan, code=code)
    if page is None:
        return _missing(plan, "budget-line-detail", gettext("找不到這個預算項目"), code=code)
    line = page.line
    comparison = plan_comparison(plan)
    compared = comparison.lines.get(line.code) if comparison else None
    table = None
    if page.children:
        rows = split_rows(page.children, line.amount, comparison)
        table = split_table(
            request,
            rows,
            caption=split_caption(plan, line, page.children),
            total=line.amount,
            comparison=comparison,
            total_compared=compared,
        )
    source = line_source(plan, line)
    context = {
        "plan": plan,
        "page": page,
        "line": line,
        "table": table,
        "population": population(plan) if line.level == BudgetLine.Level.CATEGORY else None,
        "source": source,
        "citation": budget_line_citation(plan, line, source),
        "last_revised": last_revised(plan=plan, code=line.code),
        "comparison": comparison,
        "compared": compared,
        "removed": comparison.removed.get(line.code, []) if comparison else [],
    }
    tags.shows(request, tags.line_page(page))
    return render(request, "plan/budget_line_detail.html", context)


@safe_methods_only
@public_cache
def measure_detail(request, code):
    plan = plan_or_404(request)
    page = selectors.measure_page(plan=plan, code=code)
    if page is None:
        return _missing(plan, "measure-detail", gettext("找不到這個計畫項目"), code=code)
    citation = measure_citation(plan, page.measure, page.measure.budget_line)
    context = {"plan": plan, "page": page, "citation": citation}
    tags.shows(request, tags.measure_page(page))
    return render(request, "plan/measure_detail.html", context)


# ?open=all opens every level of the tree, ?open=none closes every level; without it, the
# 類 are open. Links, so that it works without JavaScript.
TREE_OPEN = {"all", "none"}


def _set_shares(nodes, whole) -> None:
    for node, text in zip(nodes, shares_text([n.line.amount for n in nodes], whole), strict=True):
        node.share = text
        _set_shares(node.children, node.line.amount)


@safe_methods_only
@public_cache
def budget_tree(request):
    plan = plan_or_404(request)
    tree = BudgetLine.objects.in_plan(plan).as_tree()
    _set_shares(tree, plan.total_amount)
    opened = request.GET.get("open", "")
    context = {"plan": plan, "tree": tree, "tree_open": opened if opened in TREE_OPEN else ""}
    return render(request, "plan/budget_tree.html", context)


@safe_methods_only
@public_cache
def goal_list(request):
    plan = plan_or_404(request)
    goals = PolicyGoal.objects.in_plan(plan).with_measure_counts()
    return render(request, "plan/goal_list.html", {"plan": plan, "goals": goals})


@safe_methods_only
@public_cache
def goal_detail(request, number):
    plan = plan_or_404(request)
    page = selectors.goal_page(plan=plan, number=number)
    if page is None:
        return _missing(plan, "goal-detail", gettext("找不到這項施政提要"), number=number)
    tags.shows(request, tags.goal_page(page))
    return render(request, "plan/goal_detail.html", {"plan": plan, "page": page})
