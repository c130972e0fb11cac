from django.conf import settings

from plan.comparison import other_years
from plan.content.published import current_plan
from plan.sharing import pictures


def current_plan_context(request):
    """The plan every page's header and footer speak about."""
    return {"site_plan": current_plan(request)}


def site_url(request):
    """The published origin (settings.SITE_URL): absolute links never use the request's Host;
    and whether shared links get a picture (plan/sharing/pictures.py needs its fonts)."""
    return {"site_url": settings.SITE_URL, "share_pictures": pictures.available()}


def year_switcher(request):
    """The same page in the other years' plans, when more than one is published."""
    return {"year_links": other_years.year_switcher(request)}
