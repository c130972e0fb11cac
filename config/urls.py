import os

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from plan.caching import public_cache
from plan.sitemaps import PlanSitemap
from plan.views import healthz, robots_txt

# The admin lives at ADMIN_URL (default "admin/"); a less guessable path is a cheap extra layer.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path(
        "sitemap.xml",
        require_safe(public_cache(sitemap)),
        {"sitemaps": {"plan": PlanSitemap}},
        name="sitemap",
    ),
    path("", include("plan.urls")),
]
