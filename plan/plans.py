"""Which plan a request speaks about: the newest plan published (plan/data_version.py keeps
the plans, looked up at most once a second with the data version)."""

from django.http import Http404

from . import data_version
from .models import Plan


def current_plan(request=None) -> Plan | None:
    plans = data_version.current().plans
    return plans[0] if plans else None


def plan_or_404(request) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan
