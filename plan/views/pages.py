"""Reading the plan: home, the budget tree, a budget line, a measure, the goals."""

import django_tables2 as tables
from django.shortcuts import render

from .. import selectors
from ..caching import public_cache
from ..charts import split_rows
from ..citations import budget_line_citation, measure_citation
from ..comparison import plan_comparison
from ..crossyear import agency_plans, years_with
from ..formatting import amount_text, shares_text
from ..models import BudgetLine, PolicyGoal
from ..outline import line_tree, plan_goals
from ..plans import plan_or_404
from ..population import population
from ..provenance import line_source
from ..revisions import last_revised
from ..years import year_reverse
from .errors import error_page, safe_methods_only
from .ordering import order_from_request


class SplitTable(tables.Table):
    """How an amount is split among lines (SplitRow): the one figure of a split, each row with
    its bar; sortable by name (document order), amount, share or change."""

    label = tables.Column(verbose_name="名稱", order_by=("sequence",))
    amount = tables.Column(verbose_name="金額")
    share = tables.Column(verbose_name="占比", order_by=("amount",))
    change = tables.Column(verbose_name="比上年度", order_by=("change",))

    class Meta:
        template_name = "plan/_split_table.html"
        orderable = True


def split_table(
    request, rows, *, caption: str, total: int, comparison, total_compared=None
) -> SplitTable:
    """`total_compared`: the whole's own LineComparison (its change includes lines added or
    removed, which no row carries)."""
    table = SplitTable(rows, exclude=() if comparison else ("change",))
    table.caption_text = caption
    table.total = total
    table.total_text = amount_text(total)
    table.comparison = comparison
    table.total_compared = total_compared
    order_from_request(table, request)
    return table


def _missing(plan, url_name: str, reason: str, **kwargs):
    """The 404 page for a record this year's plan does not have, linking to the years whose
    plans do."""
    links = years_with(plan, url_name, **kwargs)
    if links:
        reason = f"{reason}：{plan.fiscal_year} 年度的施政計畫沒有這一項，其他年度有。"
    return error_page(404, reason, links=links)


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
            caption="各類預算",
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
        return _missing(plan, "budget-line-detail", "找不到這個預算項目", code=code)
    line = page.line
    comparison = plan_comparison(plan)
    compared = comparison.lines.get(line.code) if comparison else None
    table = None
    if page.children:
        rows = split_rows(page.children, line.amount, comparison)
        caption = f"{line.label}分為 {len(rows)} 個{page.children[0].get_level_display()}"
        table = split_table(
            request,
            rows,
            caption=caption,
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
    return render(request, "plan/budget_line_detail.html", context)


@safe_methods_only
@public_cache
def measure_detail(request, code):
    plan = plan_or_404(request)
    page = selectors.measure_page(plan=plan, code=code)
    if page is None:
        return _missing(plan, "measure-detail", "找不到這個計畫項目", code=code)
    citation = measure_citation(plan, page.measure, page.measure.budget_line)
    context = {"plan": plan, "page": page, "citation": citation}
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
        return _missing(plan, "goal-detail", "找不到這項施政計畫提要", number=number)
    return render(request, "plan/goal_detail.html", {"plan": plan, "page": page})
