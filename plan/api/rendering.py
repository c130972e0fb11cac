"""What every operation shares: JSON with Chinese as it is, and the plan of a year."""

from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from ..plans import published_plans
from ..site_url import absolute_url
from ..years import year_reverse

API_PREFIX = "/api/v1"  # where config/urls.py mounts the API


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as characters, not \\u escapes: half the bytes, and readable."""

    json_dumps_params = {"ensure_ascii": False}


def plan_for(year: int):
    """The published plan of `year`; a 404 that lists the years there are otherwise."""
    plans = published_plans()
    plan = next((each for each in plans if each.fiscal_year == year), None)
    if plan is None:
        years = "、".join(str(each.fiscal_year) for each in plans) or "（尚未載入）"
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
