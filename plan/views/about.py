"""About the plan and the site: where the data comes from (the about-the-data page and the
source text itself), the glossary (名詞解釋), the accessibility statement, the site map
(網站導覽), 聯絡我們 (whom to contact about what), the privacy policy (隱私權及資訊安全政策) and
the licence (政府網站資料開放宣告)."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from plan.addresses.languages import is_english
from plan.content.outline import line_tree, plan_goals
from plan.content.published import plan_or_404
from plan.document.provenance import READING_RULES, correction_groups, source_bytes
from plan.models import BudgetLine
from plan.open_data.files import DATA_LICENCE
from plan.pagecache.entries import public_cache
from plan.reading.glossary import TERMS
from plan.web.errors import safe_methods_only

DAY = 24 * 3600


@safe_methods_only
@public_cache
def about_data(request):
    plan = plan_or_404(request)
    context = {
        "plan": plan,
        "corrections": correction_groups(plan),
        "derived": list(BudgetLine.objects.in_plan(plan).derived()),
        "rules": READING_RULES,
        "licence_name": licence_name(),
    }
    return render(request, "plan/about.html", context)


@safe_methods_only
@public_cache
def source_text(request):
    """The source extraction itself, as plain UTF-8 text, for anyone who wants to check."""
    plan = plan_or_404(request)
    response = HttpResponse(source_bytes(plan), content_type="text/plain; charset=utf-8")
    name = Path(plan.source_file).name
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@safe_methods_only
@public_cache
def glossary(request):
    plan = plan_or_404(request)
    return render(request, "plan/glossary.html", {"plan": plan, "terms": TERMS})


@safe_methods_only
@public_cache
def accessibility(request):
    plan = plan_or_404(request)
    return render(request, "plan/accessibility.html", {"plan": plan})


@safe_methods_only
@public_cache
def contact_us(request):
    """聯絡我們: the agency's details from its plan folder, each with its source (the context
    processor gives them to every page, for the footer), and who runs this site."""
    plan = plan_or_404(request)
    return render(request, "plan/contact.html", {"plan": plan})


@safe_methods_only
@public_cache
def site_map(request):
    """網站導覽: every section of the site, and the ::: accesskeys."""
    plan = plan_or_404(request)
    context = {
        "plan": plan,
        "categories": line_tree(plan).categories,
        "goals": list(plan_goals(plan).values()),
    }
    return render(request, "plan/site_map.html", context)


@safe_methods_only
@public_cache
def privacy(request):
    """隱私權及資訊安全政策: what the site records, with the settings that decide how long."""
    plan = plan_or_404(request)
    context = {
        "plan": plan,
        "session_days": settings.SESSION_COOKIE_AGE // DAY,
        "csrf_days": settings.CSRF_COOKIE_AGE // DAY,
        "hsts_days": settings.SECURE_HSTS_SECONDS // DAY,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_hours": settings.AXES_COOLOFF_TIME,
        # For the English plural ("1 hour", "1.5 hours"): ngettext counts integers only.
        "cooloff_count": 1 if settings.AXES_COOLOFF_TIME == 1 else 2,
    }
    return render(request, "plan/privacy.html", context)


@safe_methods_only
@public_cache
def open_data_licence(request):
    """政府網站資料開放宣告: the licence of the data and the site, and how to credit it."""
    plan = plan_or_404(request)
    context = {"plan": plan, "licence": DATA_LICENCE, "licence_name": licence_name()}
    return render(request, "plan/open_data_licence.html", context)


def licence_name() -> str:
    """The licence as the page names it: its official English name on English pages."""
    return DATA_LICENCE.english_name if is_english() else DATA_LICENCE.name
