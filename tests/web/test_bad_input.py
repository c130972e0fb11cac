"""Bad addresses, methods and query strings get a clear 4xx answer, never a server error."""

import re

import pytest
from django.conf import settings
from django.test import Client

from plan.models import Plan

pytestmark = pytest.mark.django_db

NOT_FOUND_TEXT = "找不到這個頁面"

UNKNOWN_URLS = [
    "/114/budget/9-9/",
    "/114/budget/zz/",
    "/114/measures/nope/",
    "/114/goals/0/",
    "/114/goals/20/",
    "/114/goals/99999999999999999999/",
    "/114/budget/%E5%A3%B9/",  # 壹: not ASCII
    "/114/budget/" + "a" * 2000 + "/",
    "/114/measures/" + "2-2-3-m" * 300 + "/",
    "/114/budget/..%2F..%2Fetc%2Fpasswd/",
    "/114/budget/../../etc/passwd",
    "/114/about/source.txt/..%2F..%2Fconfig%2Fsettings.py",
]

PUBLIC_PAGES = [
    "/",
    "/114/budget/",
    "/114/budget/2-2/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/",
    "/114/goals/4/",
    "/114/about/",
    "/114/about/source.txt",
    "/robots.txt",
    "/sitemap.xml",
]


def short(url: str) -> str:
    return url if len(url) < 60 else url[:50] + f"…({len(url)} chars)"


@pytest.mark.parametrize("url", UNKNOWN_URLS, ids=short)
def test_unknown_addresses_give_the_chinese_404_page(quiet_client, plan, url):
    response = quiet_client.get(url)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_writing_methods_on_public_pages_are_not_allowed(quiet_client, plan, url, method):
    response = getattr(quiet_client, method)(url)
    assert response.status_code == 405


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_on_public_pages_is_allowed(quiet_client, plan, url):
    assert quiet_client.head(url).status_code == 200


ODD_QUERIES = [
    "sort[]=1",
    "sort=%00",
    "sort=%FF%FE",
    "sort=amount%00",
    "page=-1",
    "page=999999999999999999999",
    "sort=amount&sort=-amount&sort=label",
    "sort=amount,label",
    "sort=-",
    "sort=bar",
    "sort=-share",
    "sort=label,-amount",
    "sort=__class__",
    "sort=%E9%87%91%E9%A1%8D",
    "sort=" + "x" * 2000,
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=short)
def test_odd_query_strings_still_render_the_budget_line(quiet_client, plan, query):
    response = quiet_client.get(f"/114/budget/2-2/?{query}")
    assert response.status_code == 200
    assert re.search(r"<h1>(<span[^>]*>)?二、勤業務管理(</span>)?</h1>", response.content.decode())


NO_PLAN_PAGES = [
    "/",
    "/114/budget/",
    "/114/budget/2-2/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/",
    "/114/goals/4/",
    "/114/about/",
    "/114/about/source.txt",
]


@pytest.mark.parametrize("url", NO_PLAN_PAGES)
def test_without_a_loaded_plan_pages_give_the_friendly_404(quiet_client, db, url):
    Plan.objects.all().delete()
    response = quiet_client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND_TEXT in html
    assert "尚未載入施政計畫資料" in html


def test_without_a_loaded_plan_robots_and_sitemap_still_answer(quiet_client, db):
    Plan.objects.all().delete()
    assert quiet_client.get("/robots.txt").status_code == 200
    response = quiet_client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<urlset" in response.content.decode()
    assert "<loc>" not in response.content.decode()  # no page to list


def test_a_goal_number_with_leading_zeros_points_search_engines_to_the_real_address(
    quiet_client, plan
):
    # /goals/04/ resolves through the int converter to goal 4; it must not present itself as a
    # second, canonical copy of that page.
    response = quiet_client.get("/114/goals/04/")
    if response.status_code == 200:
        html = response.content.decode()
        assert f'<link rel="canonical" href="{settings.SITE_URL}/goals/4/">' in html
    else:
        assert response.status_code in (301, 404)


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_friendly_500_page(monkeypatch, plan):

    from plan.models import BudgetLineQuerySet

    def broken(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(BudgetLineQuerySet, "as_tree", broken)
    response = Client(raise_request_exception=False).get("/114/budget/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "網站暫時發生問題" in html
    assert "boom" not in html and "Traceback" not in html
