"""What a Taiwanese government website is expected to have: the ::: accesskeys (U, C, Z) on
every page and the 網站導覽 page that lists every section and explains the keys."""

import pytest
from django.test import Client

from plan.addresses.year_prefix import year_reverse
from plan.models import BudgetLine, PolicyGoal
from tests.support.html import parse

pytestmark = pytest.mark.django_db

KEYS = {
    "U": ("header", "上方功能區塊"),
    "C": ("main", "中央內容區塊"),
    "Z": ("footer", "下方功能區塊"),
}

PAGE_TYPES = [
    "/114/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/4/",
    "/114/search/?q=詐欺",
    "/114/site-map/",
]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_has_each_accesskey_once_in_its_area(client, plan, url):
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response.content.decode())
    for key, (area, title) in KEYS.items():
        links = [el for el in page.find_all("a") if el.attrs.get("accesskey") == key]
        assert len(links) == 1, key
        assert links[0].text() == ":::"
        assert links[0].attrs["title"] == title
        assert links[0].attrs["href"] == f"#{key}" and links[0].attrs["id"] == key
        assert links[0] in page.find(area).iter()


def test_the_404_page_has_the_accesskeys_too(plan):
    response = Client(raise_request_exception=False).get("/114/budget/no-such-line/")
    assert response.status_code == 404
    html = response.content.decode()
    for key in KEYS:
        assert html.count(f'accesskey="{key}"') == 1


def test_the_site_map_links_every_section_every_category_and_every_goal(client, plan):
    page = parse(client.get("/114/site-map/").content.decode())
    links = page.find("main").links()
    for name in (
        "plan:home",
        "plan:budget-tree",
        "plan:budget-table",
        "plan:goal-list",
        "plan:search",
        "plan:open-data",
        "plan:api-docs",
        "plan:revisions",
        "plan:about",
        "plan:glossary",
        "plan:accessibility",
        "plan:contact",
    ):
        assert year_reverse(114, name) in links, name
    for line in BudgetLine.objects.filter(plan=plan, parent=None):
        assert line.get_absolute_url() in links
    goals = PolicyGoal.objects.filter(plan=plan)
    assert len(goals) == 19
    for goal in goals:
        assert goal.get_absolute_url() in links
    text = page.find("main").text()
    assert "提要一：" in text  # goals by their short titles
    for key in "UCZ":
        assert f"Alt + {key}" in " ".join(text.split())


def test_every_page_links_the_site_map_from_its_footer(client, plan):
    page = parse(client.get("/114/budget/2/").content.decode())
    assert "/114/site-map/" in page.find("footer").links()
