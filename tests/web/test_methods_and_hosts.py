"""Odd methods and odd hosts: a public page answers only GET and HEAD, and says so with a 405
and `Allow` (not the CSRF check's 403); the admin and the API keep their own answers. A Host
with a port no server listens on is a 400, like a disallowed host, even for a cached page."""

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings

from plan.addresses.year_prefix import year_reverse
from tests.support.production import HOST, PRODUCTION, answered_from_cache
from tests.views.test_pages import HTML_PAGES, OTHER_PAGES, _id

pytestmark = pytest.mark.django_db

ODD_METHODS = ["put", "delete", "patch", "post"]


def strict_client() -> Client:
    """As a client without a CSRF cookie or token: the check is made, as in production."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


@pytest.mark.parametrize("case", HTML_PAGES + OTHER_PAGES, ids=_id)
@pytest.mark.parametrize("method", ODD_METHODS)
def test_odd_methods_on_public_pages_are_405_with_allow(plan, case, method):
    name, kwargs = case
    response = getattr(strict_client(), method)(year_reverse(114, name, **kwargs))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/healthz", "/robots.txt", "/sitemap.xml", "/api/openapi.json"])
@pytest.mark.parametrize("method", ODD_METHODS)
def test_odd_methods_on_the_sites_other_addresses_are_405(plan, path, method):
    response = getattr(strict_client(), method)(path)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("method", ODD_METHODS)
def test_the_admin_keeps_its_csrf_check_and_the_api_its_own_405(plan, method):
    client = strict_client()
    assert getattr(client, method)("/admin/login/").status_code == 403
    assert getattr(client, method)("/api/v1/plans/").status_code == 405


@pytest.mark.parametrize("port", ["99999", "65536", "0", "123456789012345678901234567890"])
def test_a_port_outside_1_to_65535_is_a_400(plan, port):
    response = Client(raise_request_exception=False).get("/114/", HTTP_HOST=f"testserver:{port}")
    assert response.status_code == 400


def test_ports_in_range_are_django_s_business(plan):
    assert Client().get("/114/", HTTP_HOST="testserver:65535").status_code == 200


@override_settings(**PRODUCTION)
def test_a_bad_port_is_not_cached_nor_answered_from_the_cache(plan):
    browser = {"HTTP_X_FORWARDED_PROTO": "https", "secure": True}
    client = Client(raise_request_exception=False)
    bad = client.get("/114/budget/2-2/", HTTP_HOST=f"{HOST}:99999", **browser)
    assert bad.status_code == 400 and bad["Cache-Control"] == "no-store"
    assert not any(len(each._cache) for each in caches.all())  # nothing stored anywhere
    assert client.get("/114/budget/2-2/", HTTP_HOST=HOST, **browser).status_code == 200
    assert client.get("/114/budget/2-2/", HTTP_HOST=f"{HOST}:99999", **browser).status_code == 400
    environ = RequestFactory().get("/114/budget/2-2/", HTTP_X_FORWARDED_PROTO="https").environ
    assert answered_from_cache(environ | {"HTTP_HOST": HOST})  # the page is in the cache
    assert not answered_from_cache(environ | {"HTTP_HOST": f"{HOST}:99999"})  # Django says 400
