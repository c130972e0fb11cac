"""What the site answers for machines: robots.txt, the sitemap and the health check."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..caching import public_cache
from ..models import Plan
from ..selectors import sitemap_items


class PlanSitemap(Sitemap):
    """Every public page: the fixed pages, then every budget line, measure and goal."""

    STATIC_PAGES = (
        "plan:home",
        "plan:budget-tree",
        "plan:goal-list",
        "plan:search",
        "plan:open-data",
        "plan:about",
    )

    def items(self):
        plan = Plan.objects.newest()
        if plan is None:
            return list(self.STATIC_PAGES)
        found = sitemap_items(plan=plan)
        self._lastmod = plan.data_updated_at
        return [*self.STATIC_PAGES, *found["lines"], *found["measures"], *found["goals"]]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return getattr(self, "_lastmod", None)


sitemap = require_safe(public_cache(sitemap_view))
SITEMAPS = {"plan": PlanSitemap}


@require_safe
def healthz(request):
    """For load balancers: the process answers. Touches no database and no template."""
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
