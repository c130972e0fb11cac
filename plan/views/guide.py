"""Pages that help a reader: the glossary (名詞解釋) and the accessibility statement."""

from django.conf import settings
from django.shortcuts import render

from ..caching import public_cache
from ..glossary import TERMS
from ..plans import plan_or_404
from .errors import safe_methods_only


@safe_methods_only
@public_cache
def glossary(request):
    plan = plan_or_404(request)
    return render(request, "plan/glossary.html", {"plan": plan, "terms": TERMS})


@safe_methods_only
@public_cache
def accessibility(request):
    plan = plan_or_404(request)
    context = {"plan": plan, "contact_email": settings.SITE_CONTACT_EMAIL}
    return render(request, "plan/accessibility.html", context)
