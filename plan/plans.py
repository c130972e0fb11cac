"""Which plan a request speaks about: the one of the year in its path, set by YearMiddleware
(plan/middleware.py); the published plans are looked up at most once a second with the data
version (plan/data_version.py)."""

from django.http import Http404

from . import data_version
from .models import Plan


def published_plans() -> tuple[Plan, ...]:
    """Every plan loaded, newest first."""
    return data_version.current().plans


def current_plan(request) -> Plan | None:
    return getattr(request, "plan", None)


def plan_or_404(request) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan
