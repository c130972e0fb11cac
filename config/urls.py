import os

from django.contrib import admin
from django.urls import include, path

from plan.views import site

# The admin lives at ADMIN_URL (default "admin/"); a less guessable path is a cheap extra layer.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_URL, admin.site.urls),
    path("robots.txt", site.robots_txt, name="robots"),
    path("healthz", site.healthz, name="healthz"),
    path("healthz/live", site.healthz_live, name="healthz-live"),
    path("sitemap.xml", site.sitemap, {"sitemaps": site.SITEMAPS}, name="sitemap"),
    path("", include("plan.urls")),
]

handler400 = "plan.views.errors.bad_request"
handler403 = "plan.views.errors.permission_denied"
handler404 = "plan.views.errors.page_not_found"
handler500 = "plan.views.errors.server_error"
