"""The page cache as the front door: keys, release, data version, encodings, what a hit
costs and what it answers."""

import brotli
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from plan.content import published
from plan.models import BudgetLine
from plan.pagecache import keys
from tests.support.production import HOST, PRODUCTION

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


def browser(**headers) -> Client:
    defaults = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    return Client(**(defaults | {"HTTP_ACCEPT_ENCODING": "gzip, br"} | headers))


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return response, len(context.captured_queries)


@override_settings(**PRODUCTION)
@pytest.mark.parametrize(
    "url", ["/", "/114/budget/2-2/", "/114/search/?q=詐欺", "/114/open-data/goals.csv"]
)
def test_a_hit_answers_with_the_same_headers_as_a_miss_and_no_query(plan, url):
    client = browser()
    miss, miss_queries = queries(client, url)
    hit, hit_queries = queries(client, url)
    assert miss.status_code == hit.status_code == 200
    assert miss_queries > 0 and hit_queries == 0
    for header in (*SECURITY_HEADERS, "Content-Type", "Cache-Control", "ETag", "Vary"):
        assert hit[header] == miss[header], header
    assert hit.content == miss.content


@override_settings(**PRODUCTION)
def test_a_hit_runs_nothing_below_the_front_door(plan, monkeypatch):
    client = browser()
    client.get("/114/budget/2-2/")

    def fail(*args, **kwargs):
        raise AssertionError("the view ran for a cached page")

    monkeypatch.setattr("plan.views.pages.selectors.budget_line_page", fail)
    monkeypatch.setattr(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request", fail
    )
    assert client.get("/114/budget/2-2/").status_code == 200


@override_settings(**PRODUCTION)
def test_brotli_gzip_and_identity_are_each_served_as_asked(plan):
    raw = browser(HTTP_ACCEPT_ENCODING="identity").get("/114/budget/2-2-3/")
    assert not raw.has_header("Content-Encoding")
    br = browser(HTTP_ACCEPT_ENCODING="gzip, deflate, br").get("/114/budget/2-2-3/")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(br.content) == raw.content
    gz = browser(HTTP_ACCEPT_ENCODING="gzip").get("/114/budget/2-2-3/")
    assert gz["Content-Encoding"] == "gzip"
    assert len({raw["ETag"], br["ETag"], gz["ETag"]}) == 3  # one representation each
    assert "Accept-Encoding" in br["Vary"]


@override_settings(**PRODUCTION)
def test_the_key_ignores_parameter_order_and_tracking_parameters(plan):
    client = browser()
    first, _ = queries(client, "/114/search/?q=詐欺&sort=-amount")
    again, count = queries(client, "/114/search/?sort=-amount&q=詐欺&fbclid=abc&utm_source=line")
    assert count == 0 and again.content == first.content and again["ETag"] == first["ETag"]
    other, count = queries(client, "/114/search/?q=詐欺&sort=amount")
    assert count > 0 and other["ETag"] != first["ETag"]


@override_settings(**PRODUCTION)
def test_a_host_variant_cannot_poison_the_cache(plan):
    # Django accepts these as the allowed host; the first request fills the cache.
    for variant in (f"{HOST}:666", HOST.upper(), f"{HOST}.", f"www.{HOST}"):
        poisoned = browser(HTTP_ACCEPT_ENCODING="identity").get("/", HTTP_HOST=variant)
        assert poisoned.status_code == 200
        normal = browser(HTTP_ACCEPT_ENCODING="identity").get("/")
        body = normal.content.decode()
        assert variant not in body or variant == HOST
        assert f'href="https://{HOST}/114/"' in body
        assert normal.content == poisoned.content


@override_settings(**PRODUCTION)
def test_a_new_release_gives_a_new_etag_and_a_new_body(plan, monkeypatch, tmp_path):
    client = browser(HTTP_ACCEPT_ENCODING="identity")
    before = client.get("/114/budget/2-2/")
    # The deploy: a changed template, and so a new release.
    (tmp_path / "includes").mkdir()
    footer = settings.BASE_DIR / "templates" / "includes" / "footer.html"
    changed = footer.read_text(encoding="utf-8").replace("資料來源", "資料出處（新版）")
    (tmp_path / "includes" / "footer.html").write_text(changed, encoding="utf-8")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        stale = client.get("/114/budget/2-2/")
        assert stale["ETag"] == before["ETag"]  # same release: the cached page, as it was
        monkeypatch.setattr(keys, "release", lambda: "the-next-release")
        after = client.get("/114/budget/2-2/")
        assert after["ETag"] != before["ETag"]
        assert "資料出處（新版）" in after.content.decode()
        assert client.get("/114/budget/2-2/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_the_release_is_a_fingerprint_of_the_files_that_shape_a_page(tmp_path, monkeypatch):
    for folder in keys.SOURCES:
        (tmp_path / folder).mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>", encoding="utf-8")
    monkeypatch.delenv("RELEASE", raising=False)
    with override_settings(BASE_DIR=tmp_path):
        keys.release.cache_clear()
        first = keys.release()
        page.write_text("<p>two</p>", encoding="utf-8")
        keys.release.cache_clear()
        second = keys.release()
        monkeypatch.setenv("RELEASE", "abc123")
        keys.release.cache_clear()
        named = keys.release()
    keys.release.cache_clear()
    assert first != second and named == "abc123"


def test_the_release_changes_with_who_runs_the_site(monkeypatch):
    # The footer names the operator (settings), which no file of the release holds.
    monkeypatch.delenv("RELEASE", raising=False)
    releases = []
    for operator in ("", "某某協會"):
        with override_settings(SITE_OPERATOR=operator):
            keys.release.cache_clear()
            releases.append(keys.release())
    keys.release.cache_clear()
    assert releases[0] != releases[1]


@override_settings(**PRODUCTION)
def test_a_save_is_seen_at_once_by_the_process_that_saved(plan):
    client = browser(HTTP_ACCEPT_ENCODING="identity")
    assert "688" in client.get("/114/budget/2-2-3/").content.decode()
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 689
    line.save()
    assert "689" in client.get("/114/budget/2-2-3/").content.decode()


@override_settings(**PRODUCTION)
def test_the_data_version_is_looked_up_at_most_once_a_second(plan, monkeypatch):
    client = browser()
    client.get("/114/budget/2-2/")
    calls = []
    original = published._read_database
    monkeypatch.setattr(published, "_read_database", lambda: calls.append(1) or original())
    for _ in range(20):
        client.get("/114/budget/2-2/")
    assert calls == []
    published.forget()  # a second later
    client.get("/114/budget/2-2/")
    assert calls == [1]


@override_settings(**PRODUCTION)
def test_a_conditional_request_is_answered_without_the_database(plan):
    client = browser()
    first = client.get("/114/budget/2-2/")
    response, count = queries(client, "/114/budget/2-2/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304 and count == 0
    assert response["ETag"] == first["ETag"]


@override_settings(**PRODUCTION, PAGE_CACHE_SECONDS=0)
def test_with_the_cache_off_every_request_is_made_anew(plan):
    client = browser()
    # A line with measures reads them for every page it makes (its path and children come
    # from the budget tree, read once per data version).
    _first, count = queries(client, "/114/budget/2-2-3/")
    _again, again = queries(client, "/114/budget/2-2-3/")
    assert count > 0 and again > 0
