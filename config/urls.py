from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from plan.api import api
from plan.views import api_docs, site

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", site.robots_txt, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("healthz", site.healthz, name="healthz"),
    path("healthz/live", site.healthz_live, name="healthz-live"),
    path("sitemap.xml", site.sitemap, {"sitemaps": site.SITEMAPS}, name="sitemap"),
    path("api/v1/", api.urls),
    path("api/openapi.json", api_docs.openapi_json, name="openapi"),
    path("", include("plan.urls")),
]

handler400 = "plan.views.errors.bad_request"
handler403 = "plan.views.errors.permission_denied"
handler404 = "plan.views.errors.page_not_found"
handler500 = "plan.views.errors.server_error"
