"""Hostile requests against every URL pattern, with production settings: never a 5xx.

Each class of request that once answered 500 (a disallowed or malformed Host, too many query
fields, a NUL byte, a very long path, an odd method) is sent to a concrete URL of every
pattern the site has, and to URLs no pattern matches.
"""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from plan.addresses.year_prefix import is_plan_path

pytestmark = pytest.mark.django_db

HOST = "plan.example.org"
PRODUCTION = {
    "DEBUG": False,
    "ALLOWED_HOSTS": [HOST],
    "SITE_URL": f"https://{HOST}",
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}
# A concrete value for every kind of URL parameter the site uses.
SAMPLES = {"code": "2-2-3", "number": "4", "filename": "budget-lines.csv", "year": "114"}
BAD_HOSTS = [
    "evil.example",
    "",
    "plan.example.org:abc",
    "plan.example.org@evil.example",
    "plan.example.org/../x",
    "ｐｌａｎ.example.org",
    "a" * 300,
]
MANY_FIELDS = "q=ab&" + "&".join("a=" for _ in range(1100))
ODD_QUERIES = [
    MANY_FIELDS,
    "q=%00",
    "q=ab%00cd&kind=%00",
    "code=%00",
    "page=%00",
    "q=" + "詐" * 5000,
    "page=99999999999999999999&page_size=99999999999999999999",
    "q=ab&q=%00&category=2&category=%00&level=item&level=%00&sort=-amount&sort=%00",
    "year=%00&code=%00&parent=%00&code_prefix=%00&budget_line=%00&under=%00&goal=%00",
    "open=%00&group=%00&kind=%00",
]
ODD_METHODS = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "BREW"]


def _paths(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if "admin" in route:
                yield "/" + route  # the admin's own URLs are Django's; its front door is ours
                continue
            yield from _paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            for name, value in SAMPLES.items():
                for converter in ("slug", "goal", "str"):
                    route = route.replace(f"<{converter}:{name}>", value)
                route = route.replace(f"<{name}>", value)  # the API's (django-ninja)
            yield "/" + route


def _scoped(path: str) -> str:
    """A plan's page under its year (/114/…), as it is published; the rest as it is."""
    return f"/114{path}" if is_plan_path(path) or path == "/" else path


PATHS = sorted(set(_paths(get_resolver().url_patterns)))
# Every page at its published, year-scoped address, and the unscoped forms that redirect.
URLS = [
    *sorted({_scoped(path) for path in PATHS}),
    *[path for path in PATHS if is_plan_path(path)],
    "/",
    "/nope/",
    "/114/budget/9-9/",
    "/999/budget/2-2/",
    # The English pages (plan/addresses/languages.py), and /en/ where nothing is English.
    *sorted({"/en" + _scoped(path) for path in PATHS if is_plan_path(path) or path == "/"}),
    "/en",
    "/en/admin/",
    "/en/api/v1/plans/",
    "/en/999/",
    "/en/114/budget/9-9/",
]


def test_every_url_pattern_is_covered():
    assert len(URLS) >= 20
    assert "/114/budget/2-2-3/" in URLS and "/healthz/live" in URLS and "/admin/" in URLS
    assert "/114/budget/lines/" in URLS and "/api/v1/114/budget-lines/2-2-3/" in URLS
    assert not [url for url in URLS if "<" in url]
    assert "/en/114/budget/2-2-3/" in URLS


def client() -> Client:
    return Client(raise_request_exception=False, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("url", URLS)
def test_a_bad_host_is_a_400_page_on_every_url(plan, url):
    for host in BAD_HOSTS:
        response = client().get(url, HTTP_HOST=host)
        assert response.status_code == 400, (url, host)
        html = response.content.decode()
        english = url == "/en" or url.startswith("/en/")
        assert ("This request cannot be handled" if english else "無法處理這個請求") in html
        assert not host or host not in html


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("url", URLS)
def test_odd_queries_and_methods_never_answer_5xx(plan, url):
    for query in ODD_QUERIES:
        response = client().get(f"{url}?{query}")
        assert response.status_code < 500, (url, query[:40], response.status_code)
        if not response["Content-Type"].startswith(("application/vnd.", "image/")):  # binary
            assert b"\x00" not in response.content, (url, query[:40])
    for method in ODD_METHODS:
        response = client().generic(method, url)
        assert response.status_code < 500, (url, method, response.status_code)
    long_path = url.rstrip("/") + "/" + "x" * 4000 + "/"
    assert client().get(long_path).status_code < 500


@override_settings(**PRODUCTION)
def test_too_many_query_fields_get_the_400_page(plan):
    response = client().get(f"/114/search/?{MANY_FIELDS}")
    assert response.status_code == 400
    assert "無法處理這個請求" in response.content.decode()


@override_settings(**PRODUCTION)
def test_a_nul_byte_in_the_query_is_never_echoed(plan):
    response = client().get("/114/search/?q=ab%00cd")
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()
    assert "搜尋字詞含有無法處理的字元" in response.content.decode()


@override_settings(**PRODUCTION)
def test_odd_methods_get_the_chinese_405_page(plan):
    response = client().generic("PROPFIND", "/114/budget/2-2/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "唯讀" in response.content.decode()


@override_settings(**PRODUCTION)
def test_english_addresses_get_english_error_pages(plan):
    response = client().generic("PROPFIND", "/en/114/budget/2-2/")
    assert response.status_code == 405
    assert "This is a read-only public website" in response.content.decode()
    response = client().get(f"/en/114/search/?{MANY_FIELDS}")
    assert response.status_code == 400
    assert "This request cannot be handled" in response.content.decode()


@override_settings(**PRODUCTION)
def test_a_bad_host_is_logged_as_one_short_line_without_a_traceback(plan):
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)
    try:
        client().get("/healthz", HTTP_HOST="evil.example")
    finally:
        handler.setStream(old_stream)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "evil.example" in lines[0] and "Traceback" not in buffer.getvalue()


@override_settings(**PRODUCTION)
def test_no_foreign_host_reaches_a_response_body(plan):
    # Variants Django accepts as the allowed host must not leak into absolute links.
    for host in (f"{HOST}:666", HOST.upper(), f"{HOST}."):
        for url in ("/", "/sitemap.xml", "/robots.txt", "/114/changes/feed/", "/114/budget/2-2/"):
            body = client().get(url, HTTP_HOST=host).content.decode()
            assert ":666" not in body and HOST.upper() not in body, (host, url)
            assert f"{HOST}./" not in body
    page = client().get("/114/budget/2-2/").content.decode()
    assert f'<link rel="canonical" href="https://{HOST}/114/budget/2-2/">' in page


@override_settings(**PRODUCTION)
def test_the_https_redirect_carries_the_security_headers(plan):
    response = Client(raise_request_exception=False, HTTP_HOST=HOST).get("/114/budget/2-2/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/114/budget/2-2/"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert response.has_header(header), header


def test_the_site_url_setting_is_what_absolute_links_use():
    assert settings.SITE_URL.startswith("http")
    assert not settings.SITE_URL.endswith("/")
