"""What every answer of the API looks like: JSON with Chinese as it is, a plan, each kind of
record (plan/api/schemas.py describes them), and pages of a list with absolute links to the
pages around them (from SITE_URL)."""

from decimal import Decimal
from math import ceil

from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from plan.addresses.links import API_PREFIX, absolute_url
from plan.addresses.year_prefix import year_reverse
from plan.content.published import plan_of_year, published_plans


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as characters, not \\u escapes: half the bytes, and readable."""

    json_dumps_params = {"ensure_ascii": False}


def plan_for(year: int):
    """The published plan of `year`; a 404 that lists the years there are otherwise."""
    plan = plan_of_year(year)
    if plan is None:
        years = "、".join(str(each.fiscal_year) for each in published_plans()) or "（尚未載入）"
        raise HttpError(404, f"沒有 {year} 年度的施政計畫；已發布的年度：{years}。")
    return plan


def plan_out(plan) -> dict:
    base = f"{API_PREFIX}/{plan.fiscal_year}"
    return {
        "year": plan.fiscal_year,
        "gregorian_year": plan.gregorian_year,
        "agency": plan.agency,
        "title": plan.title,
        "total_amount": plan.total_amount,
        "data_updated_at": plan.data_updated_at,
        "url": absolute_url(year_reverse(plan.fiscal_year, "plan:home")),
        "links": {
            name: absolute_url(f"{base}/{path}/")
            for name, path in (
                ("goals", "goals"),
                ("budget_lines", "budget-lines"),
                ("measures", "measures"),
                ("search", "search"),
            )
        },
    }


def _link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{absolute_url(request.path)}?{query.urlencode()}"


def page_of(request, items: list, page: int, page_size: int, render) -> dict:
    """Page `page` of `items`, each made into its answer by `render`; a page after the last is
    a 404 (the first page of nothing is an empty page)."""
    pages = max(ceil(len(items) / page_size), 1)
    if page > pages:
        raise HttpError(404, f"沒有第 {page} 頁：共 {pages} 頁。")
    start = (page - 1) * page_size
    return {
        "count": len(items),
        "next": _link(request, page + 1) if page < pages else None,
        "previous": _link(request, page - 1) if page > 1 else None,
        "results": [render(item) for item in items[start : start + page_size]],
    }


def ratio(percent: Decimal | None) -> float | None:
    return None if percent is None else round(float(percent) / 100, 6)


def comparison_out(row, comparison) -> dict | None:
    if comparison is None or row.compared is None:
        return None
    compared, previous = row.compared, row.compared.previous
    return {
        "previous_year": comparison.previous_year,
        "previous_code": previous.code if previous else None,
        "previous_amount": previous.amount if previous else None,
        "change": compared.change,
        "change_percent": None
        if compared.change_percent is None
        else float(compared.change_percent),
        "status": compared.status,
        "flagged": compared.flagged,
    }


def line_out(row, comparison) -> dict:
    line = row.line
    return {
        "code": line.code,
        "parent_code": line.parent.code if line.parent_id else None,
        "level": line.level,
        "ordinal": line.ordinal,
        "name": line.name,
        "label": line.label,
        "path": [each.label for each in line.lineage],
        "amount": line.amount,
        "amount_source": line.amount_source,
        "share_of_parent": ratio(row.share_of_parent),
        "share_of_total": ratio(row.share_of_total),
        "measure_count": row.measure_count,
        "comparison": comparison_out(row, comparison),
        "url": absolute_url(line.get_absolute_url()),
    }


def measure_out(measure) -> dict:
    line = measure.budget_line
    return {
        "code": measure.code,
        "budget_line_code": line.code,
        "budget_line_label": line.label,
        "budget_line_amount": line.amount,
        "ordinal": measure.ordinal,
        "name": measure.name,
        "label": measure.label,
        "objectives": measure.objectives,
        "approach": measure.approach,
        "editor_note": measure.editor_note,
        "goals": [goal.number for goal in measure.goals.all()],
        "source_lines": [measure.source_start_line, measure.source_end_line],
        "url": absolute_url(measure.get_absolute_url()),
    }


def goal_out(goal) -> dict:
    return {
        "number": goal.number,
        "ordinal": goal.ordinal,
        "text": goal.text,
        "measures": [measure.code for measure in goal.measures.all()],
        "url": absolute_url(goal.get_absolute_url()),
    }


def hit_out(hit) -> dict:
    return {
        "kind": hit.kind,
        "code": hit.code,
        "label": hit.label,
        "field": hit.field,
        "excerpt": hit.context_text,
        "amount": hit.amount,
        "budget_line_code": hit.line.code if hit.line else None,
        "budget_line_amount": hit.line.amount if hit.line else None,
        "url": absolute_url(hit.url),
    }
