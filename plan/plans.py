"""Which plan a request speaks about: the newest plan loaded, looked up once per request."""

from django.http import Http404

from .models import Plan


def current_plan(request) -> Plan | None:
    if not hasattr(request, "_current_plan"):
        request._current_plan = Plan.objects.newest()
    return request._current_plan


def plan_or_404(request) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan
