"""The English glossary, revision log, open-data and API pages, and the error pages, under /en/:
the site's words in English, the plan's own text (and the data's Chinese) marked as Chinese,
glossary terms linked to the same anchor of the English glossary, and the files themselves
unchanged.

The pages' own content is checked (<main> but for the shared parts in it; for the error pages
everything but the shared header, templates/includes/header.html): the shared parts are
translated with base.html and checked page by page in test_languages.py."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import pgettext

from plan.content import published as published_data
from plan.editing.revisions import ACTIONS, TRACKED, shown_value
from plan.models import BudgetLineQuerySet, Measure
from plan.reading.glossary import TERMS
from plan.web.errors import error_page
from tests.support import second_year
from tests.support.admin import create_editor, edit_and_publish, logged_in_client, published
from tests.support.english import own_words, untranslated
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db


def without_shared_header(html: str) -> str:
    return re.sub(r'<header class="site-header">.*?</header>', "", html, flags=re.S)


def english(text) -> str:
    with translation.override("en"):
        return str(text)


# ---------------------------------------------------------------- glossary


def test_the_english_glossary_explains_each_term_in_english_beside_its_chinese(client, plan):
    html = client.get("/en/114/glossary/").content.decode()
    page = parse(html)
    for term in TERMS:
        entry = page.find(id=term.anchor)
        name = english(term.name)
        assert name != term.chinese and not re.search(r"[\u4e00-\u9fff]", name), term.chinese
        dt = entry.find("dt")
        assert squash(dt.text()) == f"{name[0].upper()}{name[1:]} {term.chinese}"
        assert dt.find("span", lang="zh-Hant-TW").text() == term.chinese
        assert squash(entry.find("dd").text()) == english(term.meaning)
    names = {squash(dt.text()) for dt in page.find("main").find_all("dt")}
    assert {"Derived 推算", "Category 類", "Sub-item 目", "NT$ thousand 千元"} <= names
    # An example quoted from the plan is marked as Chinese inside the English explanation.
    category = page.find(id="category").find("dd")
    assert category.find("span", lang="zh-Hant-TW").text() == "貳、警政警衛實施"
    assert untranslated(own_words(html)) == []


def test_the_glossary_has_the_same_anchors_in_both_languages(client, plan):
    def anchors(path):
        dl = parse(client.get(path).content.decode()).find("dl", class_="glossary")
        return [div.attrs["id"] for div in dl.find_all("div")]

    assert anchors("/en/114/glossary/") == anchors("/114/glossary/") == [t.anchor for t in TERMS]


@pytest.mark.parametrize(
    "path, anchor, shown",
    [
        ("/en/114/open-data/", "thousand", "NT$ thousand"),
        ("/en/114/budget/2-2-3/", "derived", "derived"),
        # {% term "施政計畫提要" "提要" %}: a Chinese text gives way to the English term.
        ("/en/114/goals/", "goals", "policy goals"),
    ],
)
def test_a_term_on_an_english_page_links_to_the_english_glossary(client, plan, path, anchor, shown):
    page = parse(client.get(path).content.decode())
    links = {a.attrs["href"]: a.text() for a in page.find_all("a", class_="term")}
    assert links[f"/en/114/glossary/#{anchor}"] == shown
    assert all(href.startswith("/en/114/glossary/#") for href in links)


def test_a_term_on_a_chinese_page_still_says_the_chinese(client, plan):
    page = parse(client.get("/114/goals/").content.decode())
    links = {a.attrs["href"]: a.text() for a in page.find_all("a", class_="term")}
    assert links["/114/glossary/#goals"] == "提要"


# ---------------------------------------------------------------- API page


def test_the_english_api_page_explains_the_api_in_english(client, plan):
    html = client.get("/en/114/open-data/api/").content.decode()
    assert untranslated(own_words(html)) == []
    page = parse(html)
    sections = page.find_all("section", class_="api-operation")
    plans = next(s for s in sections if "/api/v1/plans/" in s.text())
    assert plans.find("h3").text() == "Published plans"
    assert "200 array (each a PlanOut)" in squash(plans.text())
    budget_lines = page.find(id="op-listBudgetLines")
    headers = [squash(th.text()) for th in budget_lines.find_all("th", scope="col")]
    assert headers == ["Parameter", "In", "Type and limits", "Description"]
    assert "Records per page, at most 200" in squash(budget_lines.text())
    # The example search stays in Chinese, marked so.
    measures = page.find(id="op-listMeasures")
    assert measures.find("span", lang="zh-Hant-TW").text() == "詐欺"
    assert page.find("nav", class_="breadcrumbs").find("a").text() == "Home"


def test_the_openapi_document_stays_in_chinese(client, plan):
    client.get("/en/114/open-data/api/")
    document = client.get("/api/openapi.json").json()
    assert document["paths"]["/api/v1/plans/"]["get"]["summary"] == "已發布的計畫"


# ---------------------------------------------------------------- open data


def test_the_english_open_data_page_explains_each_column_in_english(client, plan):
    html = client.get("/en/114/open-data/").content.decode()
    assert untranslated(own_words(html)) == []
    page = parse(html)
    assert "The files are the published data, in Chinese" in squash(page.find("main").text())
    section = page.find("section", **{"aria-labelledby": "file-budget-lines"})
    assert section.find("h2").text() == "Budget lines"
    rows = {
        squash(row.find("th").text()): [squash(td.text()) for td in row.find_all("td")]
        for row in section.find("tbody").find_all("tr")
    }
    assert rows["amount_source"] == [
        "金額來源",
        "stated (printed in the source) or derived (worked out by this site)",
        "string",
    ]
    assert rows["amount_thousand_twd"][1] == (
        "The budget amount, in NT$ thousand (currency TWD, factor 1000)"
    )
    titles = section.find("tbody").find_all("td", lang="zh-Hant-TW")
    assert [td.text() for td in titles][:2] == ["代碼", "上層代碼"]
    search = page.find("section", **{"aria-labelledby": "file-search-results"})
    assert "budget_line_amount" in search.text() and "do not add them up" in search.text()


def test_the_files_stay_in_chinese_at_the_english_address(client, plan):
    chinese = client.get("/114/open-data/budget-lines.csv").content
    assert client.get("/en/114/open-data/budget-lines.csv").content == chinese
    datapackage = client.get("/en/114/open-data/datapackage.json").json()
    assert datapackage["resources"][0]["title"] == "預算項目"


# ---------------------------------------------------------------- revision log


def test_the_english_revision_log_says_what_changed_in_english(client, plan):
    editor = logged_in_client(create_editor("editor-en", "editor-en-pass-5521"))
    measure = published(Measure, code="2-2-3-m1")
    edit_and_publish(editor, measure, "補充計畫目標", objectives="加強外國駐華機構之安全維護。")
    html = client.get("/en/114/changes/").content.decode()
    assert untranslated(own_words(html)) == []
    page = parse(html)
    entry = page.find("ol", class_="revisions").find("li")
    assert squash(entry.find("h2").text()) == f"Changed measure: {measure.label}"
    assert entry.find("h2").find("a").attrs == {
        "href": "/en/114/measures/2-2-3-m1/",
        "lang": "zh-Hant-TW",
    }
    assert squash(entry.find("p", class_="revision-head").text()).endswith("· correction published")
    assert squash(entry.find("p", class_="revision-reason").text()) == (
        "Reason for publishing: 補充計畫目標"
    )
    assert [squash(dt.text()) for dt in entry.find_all("dt")] == ["Objectives"]
    assert "New: 加強外國駐華機構之安全維護。" in squash(entry.find("dd").text())
    assert "1 revision." in squash(page.find("main").text())


def test_an_amount_in_the_revision_log_reads_in_the_pages_language():
    with translation.override("en"):
        assert shown_value("amount", 430_018) == "NT$430,018 thousand"
    assert shown_value("amount", 430_018) == "430,018 千元"


def test_every_word_of_the_revision_log_has_english():
    words = {*ACTIONS.values(), "發布", "重新載入", "已發布資料", "施政計畫"}
    words |= {tracked.kind for tracked in TRACKED}
    words |= {"網站編修", "發布修正", "發布新計畫", "重新載入已發布資料", "重新載入，取代編者修改"}
    fields = {tracked.field_label(name) for tracked in TRACKED for name in tracked.fields}
    fields |= {"標題", "預算總額（千元）", "結果"}
    values = {"%(amount)s 千元", "（已刪除）"}
    with translation.override("en"):
        assert [v for v in values if pgettext("revision value", v) == v] == []
        assert [w for w in words if pgettext("revision log", w) == w] == []
        assert [f for f in fields if pgettext("revision field", f) == f] == []


# ---------------------------------------------------------------- error pages


def test_an_unknown_record_is_an_english_404_with_english_links(client, plan):
    response = client.get("/en/114/budget/9-9-9/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert untranslated(without_shared_header(html)) == []
    main = parse(html).find("main")
    assert main.find("h1").text() == "Page not found"
    assert squash(main.find("p", class_="lead").text()) == "There is no such budget line."
    links = main.links()
    assert "/en/114/budget/" in links and all(link.startswith(("/en/", "#")) for link in links)
    assert "<title>Page not found | Kaohsiung City Police Department" in html


@pytest.mark.parametrize(
    "path", ["/en/admin/", "/en/113/", "/en/114/measures/9-9-m9/", "/en/114/goals/99/"]
)
def test_english_addresses_without_a_page_are_english_404s(client, plan, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert untranslated(without_shared_header(html)) == []
    assert all(link.startswith(("/en/", "#")) for link in parse(html).find("main").links())


def test_an_english_address_answers_other_methods_with_an_english_405(plan):
    response = Client().generic("PROPFIND", "/en/114/budget/2-2/")
    assert response.status_code == 405
    html = response.content.decode()
    assert "This is a read-only public website" in html
    assert untranslated(without_shared_header(html)) == []


def test_a_server_error_on_an_english_page_is_an_english_500(plan, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(BudgetLineQuerySet, "as_tree", broken)
    response = Client(raise_request_exception=False).get("/en/114/budget/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and "boom" not in html
    assert untranslated(without_shared_header(html)) == []


@pytest.mark.parametrize("status", [400, 403, 404, 405, 500, 503])
def test_every_error_page_has_english(plan, status):
    with translation.override("en"):
        html = error_page(status, plan=plan).content.decode()
    assert '<html lang="en">' in html
    assert untranslated(without_shared_header(html)) == []
    with translation.override("zh-hant"):
        assert '<html lang="zh-Hant-TW">' in error_page(status).content.decode()


def test_a_record_another_year_has_is_an_english_404_linking_that_year(client, plan, plan_document):
    second_year.load_second_year(plan_document)
    cache.clear()
    published_data.forget()
    response = client.get(f"/en/114/measures/{second_year.NEW_MEASURE}/")
    assert response.status_code == 404
    html = response.content.decode()
    main = parse(html).find("main")
    assert squash(main.find("p", class_="lead").text()) == (
        "There is no such measure. The plan for 114 does not have it, but other years' plans do."
    )
    link = main.find("a", href=f"/en/115/measures/{second_year.NEW_MEASURE}/")
    assert link.text() == "The plan for 115 (2026)"  # 115 has no English title: its year
    assert untranslated(without_shared_header(html)) == []
