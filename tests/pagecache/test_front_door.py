"""The page cache's fast path (plan/pagecache/front_door.py), through the WSGI application gunicorn
calls: a plain hit is answered before Django's handler with exactly the miss's headers and
body; everything Django would answer otherwise still goes to Django."""

import brotli
import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory, override_settings

from config.wsgi import application
from plan.content import published
from plan.models import BudgetLine
from plan.pagecache import front_door, keys
from plan.pagecache.front_door import FrontDoor
from tests.support.production import HOST, PRODUCTION

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT_ENCODING": "br"}
URLS = ["/114/", "/114/budget/2-2/", "/114/search/?q=詐欺", "/114/open-data/budget-lines.csv"]


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, dict(headers), body
        self.code = int(status.split()[0])


class Site:
    """The WSGI application as config/wsgi.py makes it, built under the test's settings (the
    handler reads the middleware's settings once), counting the requests that reach Django."""

    def __init__(self):
        self.django_runs = []
        handler = get_wsgi_application()

        def counting(environ, start_response):
            self.django_runs.append(environ["PATH_INFO"])
            return handler(environ, start_response)

        self.application = FrontDoor(counting)

    def get(self, url, method="GET", **environ) -> Answer:
        """One request, as gunicorn makes it."""
        made = RequestFactory().generic(method, url, **(BROWSER | environ)).environ
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=status, headers=headers)

        # As Django's test client does: the handler's signals would close the database
        # connection that holds the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            chunks = self.application(made, start_response)
            body = b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(started["status"], started["headers"], body)


def test_the_wsgi_application_is_djangos_behind_the_front_door():
    assert isinstance(application, FrontDoor)
    assert isinstance(application.application, WSGIHandler)


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_a_hit_is_answered_ahead_of_django_with_the_misses_headers_and_body(plan, url, encoding):
    site = Site()
    miss = site.get(url, HTTP_ACCEPT_ENCODING=encoding)
    hit = site.get(url, HTTP_ACCEPT_ENCODING=encoding)
    assert len(site.django_runs) == 1
    assert miss.code == hit.code == 200
    assert hit.headers == miss.headers
    assert hit.body == miss.body
    for header in ("Strict-Transport-Security", "Content-Security-Policy", "Permissions-Policy"):
        assert header in hit.headers


@override_settings(**PRODUCTION)
def test_a_hit_decodes_to_the_page_django_makes(plan):
    site = Site()
    site.get("/114/budget/2-2-3/")
    hit = site.get("/114/budget/2-2-3/")
    assert len(site.django_runs) == 1 and hit.headers["Content-Encoding"] == "br"
    page = brotli.decompress(hit.body).decode()
    assert "688" in page and f"https://{HOST}/114/budget/2-2-3/" in page


@override_settings(**PRODUCTION)
@pytest.mark.parametrize(
    "environ, status",
    [
        ({"HTTP_HOST": "evil.example"}, 400),
        ({"HTTP_HOST": f"{HOST}:abc"}, 400),
        ({"HTTP_HOST": f"{HOST}:99999"}, 400),
        ({"HTTP_HOST": f"{HOST}:0"}, 400),
        ({"HTTP_X_FORWARDED_PROTO": "http"}, 301),
        ({"REQUEST_METHOD": "POST"}, 405),
        ({"REQUEST_METHOD": "PROPFIND"}, 405),
        ({"QUERY_STRING": "a&" * 1001}, 400),
    ],
)
def test_what_django_would_refuse_or_redirect_goes_to_django(plan, environ, status):
    site = Site()
    site.get("/114/budget/2-2/")
    method = environ.pop("REQUEST_METHOD", "GET")
    answer = site.get("/114/budget/2-2/", method, **environ)
    assert answer.code == status
    assert len(site.django_runs) == 2


@override_settings(**PRODUCTION)
def test_conditional_requests_go_to_django_and_get_304(plan):
    site = Site()
    first = site.get("/114/budget/2-2/")
    again = site.get("/114/budget/2-2/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert len(site.django_runs) == 2


@override_settings(**PRODUCTION)
def test_host_variants_django_allows_get_the_canonical_page(plan):
    site = Site()
    canonical = site.get("/114/", HTTP_ACCEPT_ENCODING="identity")
    for variant in (f"{HOST}:666", HOST.upper(), f"{HOST}.", f"www.{HOST}"):
        answer = site.get("/114/", HTTP_HOST=variant, HTTP_ACCEPT_ENCODING="identity")
        assert answer.body == canonical.body
        assert variant not in answer.body.decode() or variant == HOST
    assert len(site.django_runs) == 1


@override_settings(**PRODUCTION)
def test_hsts_is_sent_over_https_only_hits_and_misses_alike(plan):
    with override_settings(SECURE_SSL_REDIRECT=False):
        site = Site()
        plain = [site.get("/114/", HTTP_X_FORWARDED_PROTO="http") for _ in range(2)]
        secure = [site.get("/114/") for _ in range(2)]
    assert len(site.django_runs) == 2  # one miss per scheme
    assert all("Strict-Transport-Security" not in each.headers for each in plain)
    assert all("Strict-Transport-Security" in each.headers for each in secure)


@override_settings(**PRODUCTION)
def test_a_save_is_served_at_once_by_the_process_that_saved(plan):
    site = Site()
    site.get("/114/budget/2-2-3/", HTTP_ACCEPT_ENCODING="identity")
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 689
    line.save()
    answer = site.get("/114/budget/2-2-3/", HTTP_ACCEPT_ENCODING="identity")
    assert "689" in answer.body.decode()
    assert len(site.django_runs) == 2


@override_settings(**PRODUCTION)
def test_when_the_data_version_is_due_django_looks_again(plan):
    site = Site()
    site.get("/114/budget/2-2/")
    published.forget()  # a second later
    site.get("/114/budget/2-2/")
    site.get("/114/budget/2-2/")
    assert len(site.django_runs) == 2


@override_settings(**PRODUCTION)
def test_a_stale_version_is_never_served_ahead_of_django(plan, monkeypatch):
    Site().get("/114/budget/2-2/")
    request = RequestFactory().get("/114/budget/2-2/", **BROWSER).environ
    assert front_door.cached_answer(dict(request)) is not None
    # The database did not answer the last look: Django serves the page marked stale.
    stale = published.Snapshot(published._memo.snapshot.version, (), stale=True)
    monkeypatch.setattr(published._memo, "snapshot", stale)
    assert front_door.cached_answer(dict(request)) is None


@override_settings(**PRODUCTION, PAGE_CACHE_SECONDS=0)
def test_with_the_cache_off_django_answers_every_request(plan):
    site = Site()
    for _ in range(3):
        assert site.get("/114/budget/2-2/").code == 200
    assert len(site.django_runs) == 3


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("path", ["/admin/login/", "/static/css/site.css"])
def test_static_files_and_the_admin_are_never_looked_up(plan, path):
    site = Site()
    site.get("/114/")  # the data version is fresh
    version = published.fresh().version
    key = keys.page_key(path, "", version, "br", "https")
    cache.set(key, ((("Content-Type", "text/plain"),), b"planted", "identity", 0))
    answer = site.get(path)
    assert answer.body != b"planted" and len(site.django_runs) == 2


@pytest.mark.parametrize(
    "environ",
    [
        {"PATH_INFO": "/114/search/", "SCRIPT_NAME": ""},
        {"PATH_INFO": "/114/budget/2-2/", "SCRIPT_NAME": "/plan/"},
        {"PATH_INFO": "//114//budget/", "SCRIPT_NAME": ""},
        {"PATH_INFO": "/搜尋/".encode().decode("latin-1"), "SCRIPT_NAME": ""},
        {"PATH_INFO": b"/\xe6\x90/broken".decode("latin-1"), "SCRIPT_NAME": ""},
        {"PATH_INFO": "", "SCRIPT_NAME": "/plan"},
    ],
)
def test_the_path_is_read_as_django_reads_it(environ):
    made = RequestFactory().get("/").environ | environ
    assert front_door.request_path(dict(made)) == WSGIRequest(dict(made)).path
