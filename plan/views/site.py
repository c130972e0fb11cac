"""What the site answers for machines: robots.txt, the sitemap and the health checks."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse

from plan.addresses.languages import CHINESE, ENGLISH, HTML_LANG, current, localized
from plan.addresses.links import absolute_url
from plan.content.published import published_plans
from plan.content.selectors import public_pages
from plan.pagecache.entries import public_cache
from plan.web.errors import safe_methods_only


class PlanSitemap(Sitemap):
    """Every public page of every plan: its fixed pages, then every budget line, measure and
    goal; in Chinese and in English, each with the other as its alternate (hreflang)."""

    # Django asks location() with each language active; hreflang is the page's <html lang>.
    i18n = True
    languages = [HTML_LANG[CHINESE], HTML_LANG[ENGLISH]]
    alternates = True

    def items(self):
        """(plan, Chinese address) for every page of every plan."""
        return [(plan, path) for plan in published_plans() for path in public_pages(plan=plan)]

    def location(self, item):
        return localized(item[1], current())

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
