"""Where the data comes from: the about-the-data page and the source extraction itself."""

from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render

from ..caching import public_cache
from ..models import BudgetLine
from ..plans import plan_or_404
from ..provenance import READING_RULES, correction_groups, source_bytes
from .errors import safe_methods_only


@safe_methods_only
@public_cache
def about_data(request):
    plan = plan_or_404(request)
    context = {
        "plan": plan,
        "corrections": correction_groups(plan),
        "derived": list(BudgetLine.objects.in_plan(plan).derived()),
        "rules": READING_RULES,
    }
    return render(request, "plan/about.html", context)


@safe_methods_only
@public_cache
def source_document(request):
    """The source extraction itself, as plain UTF-8 text, for anyone who wants to check."""
    plan = plan_or_404(request)
    response = HttpResponse(source_bytes(plan), content_type="text/plain; charset=utf-8")
    name = Path(plan.source_file).name
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
