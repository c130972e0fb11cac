"""The budget structure, a budget line, a measure and the embedded split in English: the site's
words in English (amounts in NT$ thousand with their NT$ readings, the levels as category,
item and sub-item), the plan's own text as published and marked as Chinese, the six 類 by the
site's English names with the Chinese beside and, once a page, the note that those names are
the site's translation. The header and footer are checked with the other pages
(tests/web/test_languages.py); here, what each page itself says."""

import re

import pytest

from plan.models import BudgetLine, Measure
from plan.reading.english_names import english_names
from tests.support.english import CITATION, own_words, untranslated
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/114/budget/",
    "/en/114/budget/?open=all",
    "/en/114/budget/1/",
    "/en/114/budget/2-2/",
    "/en/114/budget/2-2-3/",
    "/en/114/budget/6-1/",
    "/en/114/measures/2-2-3-m1/",
    "/en/114/measures/1-1-m1/",
]
NOTE = "English names of the categories and goals are this site's translations"


def head_meta(html: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html)
    return dict(found)


@pytest.mark.parametrize("path", PAGES)
def test_the_page_says_its_own_words_in_english(client, plan, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert untranslated(own_words(html, CITATION)) == []
    meta = head_meta(html)
    # The tree keeps base.html's picture, described there; the records describe their own.
    keys = ("description", "og:title", "og:description")
    keys += () if "/budget/?" in path or path.endswith("/budget/") else ("og:image:alt",)
    for key in keys:
        assert not re.search(r"[\u4e00-\u9fff]", meta.get(key, "")), (key, meta.get(key))
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert not re.search(r"[\u4e00-\u9fff]", title.split("｜")[0]), title


def test_the_embedded_split_is_english(client, plan):
    html = client.get("/en/114/embed/budget/2-2/").content.decode()
    assert '<html lang="en">' in html
    assert untranslated(html) == []
    page = parse(html)
    assert squash(page.find("caption").text()).startswith(
        "二、勤業務管理 is split into 11 sub-items"
    )
    assert "Item 2-2 of Policing and security operations: FY2025 budget" in html


def test_amounts_are_in_nt_dollars(client, plan):
    tree = parse(client.get("/en/114/budget/").content.decode())
    lead = squash(tree.find("p", class_="lead").text())
    assert "about NT$11.72 billion (11,722,205 NT$ thousand)" in lead
    line = parse(client.get("/en/114/budget/2-2-3/").content.decode())
    figure = squash(line.find("dl", class_="figure").text())
    assert "NT$688,000" in figure and "688 NT$ thousand" in figure
    assert "derived" in figure
    lead = squash(line.find("p", class_="lead").text())
    assert lead.startswith("A sub-item of the budget, under 二、勤業務管理.")
    assert "FY2025 budget is NT$688,000 (derived)" in lead


def test_levels_are_named_in_english_with_their_plurals(client, plan):
    html = client.get("/en/114/budget/").content.decode()
    summaries = [squash(each.text()) for each in parse(html).find_all("summary")]
    assert "1 item under General administration (壹、一般行政)" in summaries
    assert "9 sub-items under 一、本部室務行政" in summaries
    line = parse(client.get("/en/114/budget/1/").content.decode())
    assert "is split into 1 item" in squash(line.find("caption").text())
    assert "see the pages of the items above." in squash(line.text())


@pytest.mark.parametrize("path", ["/en/114/budget/", "/en/114/budget/1/"])
def test_a_category_has_the_sites_english_name_beside_the_chinese_and_says_so_once(
    client, plan, path
):
    html = client.get(path).content.decode()
    page = parse(html)
    names = [a for a in page.find_all("a") if a.text().startswith("General administration (")]
    if path.endswith("/1/"):
        names = [page.find("h1")]
    assert names
    for name in names:
        chinese = [el for el in name.iter() if el.attrs.get("lang") == "zh-Hant-TW"]
        assert [el.text() for el in chinese] == ["壹、一般行政"]
        assert squash(name.text()) == "General administration (壹、一般行政)"
    assert html.count(NOTE) == 1


def test_the_chinese_pages_keep_their_names_and_have_no_note(client, plan):
    html = client.get("/114/budget/1/").content.decode()
    assert squash(parse(html).find("h1").text()) == "壹、一般行政"
    assert "General administration" not in html and NOTE not in html
    tree = client.get("/114/budget/").content.decode()
    assert "壹、一般行政的下一層（1 個項）" in squash(parse(tree).text())


def test_the_english_citation_names_the_plan_in_english_and_in_chinese(client, plan):
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    page = parse(client.get("/en/114/budget/2-2-3/").content.decode())
    text = page.find("textarea", class_="citation-text").text().strip()
    english = english_names(plan)
    assert text.startswith(f"{english.agency}, {english.plan_title} (《{plan.title}》)")
    assert f"budget line 「{line.label}」" in text and "code 2-2-3" in text
    assert "FY2025 budget 688 NT$ thousand (NT$688,000)" in text
    assert "this site derived it" in text
    assert "Source: the source text, detailed plan, line" in text
    measure = Measure.objects.get(plan=plan, code="2-2-3-m1")
    page = parse(client.get("/en/114/measures/2-2-3-m1/").content.decode())
    text = page.find("textarea", class_="citation-text").text().strip()
    assert f"measure 「{measure.label}」 (code 2-2-3-m1)" in text
    assert text.endswith("/en/114/measures/2-2-3-m1/")
