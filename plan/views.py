from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import BudgetLine, Measure
from .selectors import budget_tree, plan_get, plan_goals


def _current_plan():
    plan = plan_get()
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan


def home(request):
    plan = _current_plan()
    context = {
        "plan": plan,
        "goals": plan_goals(plan=plan),
        "categories": budget_tree(plan=plan),
    }
    return render(request, "plan/home.html", context)


def budget_line_detail(request, code):
    plan = _current_plan()
    line = get_object_or_404(BudgetLine, plan=plan, code=code)
    return render(request, "plan/budget_line_detail.html", {"plan": plan, "line": line})


def measure_detail(request, code):
    plan = _current_plan()
    measure = get_object_or_404(Measure.objects.select_related("budget_line"), plan=plan, code=code)
    return render(request, "plan/measure_detail.html", {"plan": plan, "measure": measure})
