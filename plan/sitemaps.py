from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import plan_get, sitemap_items


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
        plan = plan_get()
        if plan is None:
            return list(self.STATIC_PAGES)
        found = sitemap_items(plan=plan)
        self._lastmod = plan.data_updated_at
        return [*self.STATIC_PAGES, *found["lines"], *found["measures"], *found["goals"]]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return getattr(self, "_lastmod", None)
