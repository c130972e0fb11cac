from django.conf import settings

from .plans import current_plan


def current_plan_context(request):
    """The plan every page's header and footer speak about."""
    return {"site_plan": current_plan(request)}


def site_url(request):
    """The published origin (settings.SITE_URL): absolute links never use the request's Host."""
    return {"site_url": settings.SITE_URL}
