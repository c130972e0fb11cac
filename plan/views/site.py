"""What the site answers for machines: robots.txt, the sitemap and the health checks."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse

from ..caching import public_cache
from ..plans import published_plans
from ..selectors import sitemap_items
from ..site_url import absolute_url
from ..years import year_reverse
from .errors import safe_methods_only


class PlanSitemap(Sitemap):
    """Every public page: the fixed pages, then every budget line, measure and goal."""

    STATIC_PAGES = (
        "plan:home",
        "plan:budget-tree",
        "plan:budget-table",
        "plan:goal-list",
        "plan:search",
        "plan:open-data",
        "plan:api-docs",
        "plan:about",
        "plan:glossary",
        "plan:accessibility",
    )

    def items(self):
        """(plan, page) for every plan: its fixed pages, then its records."""
        items = []
        for plan in published_plans():
            found = sitemap_items(plan=plan)
            records = [*found["lines"], *found["measures"], *found["goals"]]
            items += [(plan, page) for page in (*self.STATIC_PAGES, *records)]
        return items

    def location(self, item):
        plan, page = item
        if isinstance(page, str):
            return year_reverse(plan.fiscal_year, page)
        return page.get_absolute_url()

    def lastmod(self, item):
        return item[0].data_updated_at

    # The published origin, not the request's Host (Django would ask the sites framework).
    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


sitemap = safe_methods_only(public_cache(sitemap_view))
SITEMAPS = {"plan": PlanSitemap}


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


@safe_methods_only
def healthz(request):
    """Readiness, for load balancers: 200 when the database answers, 503 with why otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return _plain(f"database unavailable: {type(error).__name__}\n", status=503)
    return _plain("ok\n")


@safe_methods_only
def healthz_live(request):
    """Liveness: the process answers. Touches no database and no template."""
    return _plain("ok\n")


@safe_methods_only
def favicon(request):
    """For browsers and crawlers that ask /favicon.ico without reading the page's icons."""
    return HttpResponsePermanentRedirect(static("img/favicon-32.png"))


@safe_methods_only
def robots_txt(request):
    # Nothing about the admin: naming its path would tell everyone where it is.
    body = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(reverse('sitemap'))}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
