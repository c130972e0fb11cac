from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from plan.addresses.links import API_PREFIX
from plan.api import api, openapi
from plan.views import site

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("healthz", site.healthz, name="healthz"),
    path("healthz/live", site.healthz_live, name="healthz-live"),
    path("sitemap.xml", site.sitemap, {"sitemaps": site.SITEMAPS}, name="sitemap"),
    path(f"{API_PREFIX.strip('/')}/", api.urls),
    path("api/openapi.json", openapi.openapi_json, name="openapi"),
    path("", include("plan.urls")),
]

handler400 = "plan.web.errors.bad_request"
handler403 = "plan.web.errors.permission_denied"
handler404 = "plan.web.errors.page_not_found"
handler500 = "plan.web.errors.server_error"
