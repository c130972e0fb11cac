"""Under DEBUG (`make run`) a missing page and a server error show the site's own pages,
styled: the stylesheet is linked and the Content-Security-Policy lets it load (style from
'self'), and the title names the plan's year, as in production."""

import re

import pytest
from django.test import Client, override_settings

from plan.models import BudgetLineQuerySet

pytestmark = pytest.mark.django_db

MISSING = [
    "/114/no-such-page/",  # no URL pattern: Django's technical 404 under DEBUG
    "/114/budget/9-9-9/",  # a record the plan does not have
    "/999/",  # a year with no plan, answered by the year middleware
    "/no-such-page",
]


def styled(response) -> None:
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "<style" not in html
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "'self'" in policy.get("style-src", policy["default-src"])
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("path", MISSING)
def test_a_missing_page_is_the_sites_styled_404(plan, path, debug):
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404
    styled(response)
    assert "找不到這個頁面" in response.content.decode()


def test_the_404_title_names_the_plans_year(plan):
    with override_settings(DEBUG=True):
        response = Client(raise_request_exception=False).get("/114/no-such-page/")
    title = re.search(r"<title>(.*?)</title>", response.content.decode())[1]
    assert title == f"找不到這個頁面｜{plan.title}"
    assert "114" in title


def test_a_missing_record_keeps_its_sentence_under_debug(plan):
    with override_settings(DEBUG=True):
        response = Client(raise_request_exception=False).get("/114/measures/9-9-9-m9/")
    assert response.status_code == 404
    assert "網址可能打錯了" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_server_error_is_the_sites_styled_500(plan, monkeypatch, debug):
    def broken(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(BudgetLineQuerySet, "as_tree", broken)
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).get("/114/budget/")
    assert response.status_code == 500
    styled(response)
    html = response.content.decode()
    assert "網站暫時發生問題" in html
    assert "boom" not in html and "Traceback" not in html


def test_the_apis_404_stays_json_under_debug(plan):
    with override_settings(DEBUG=True):
        response = Client(raise_request_exception=False).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
