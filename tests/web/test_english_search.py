"""Search and the budget table in English: the site's words in English (notices, labels, column
headers, filters, the licence beside the downloads), the query, the plan's names and excerpts
marked as Chinese, a goal found by its number and the site's English title, the six 類 by the
site's English names with the Chinese beside, and a reader who types English told that the plan
is in Chinese. The header and footer are checked with the other pages
(tests/web/test_languages.py); here, what each page itself says. The API and the downloads
stay Chinese."""

import re

import pytest

from tests.support.english import SORT_HINT, own_words, untranslated
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/114/search/",
    "/en/114/search/?q=監視器",
    "/en/114/search/?q=zzzzqqq",
    "/en/114/search/?q=police",
    "/en/114/search/?q=詐騙集團防制宣導品",
    "/en/114/search/?q=詐騙 防制 宣導品",
    "/en/114/search/?q=诈骗&group=line",
    "/en/114/search/?q=交通&sort=-amount&kind=measure&category=4",
    "/en/114/search/?q=交通&kind=goal&category=2",
    "/en/114/search/?q=監 視器 a b c 交通 酒駕 少年 治安 警察 刑事 民眾 社區",
    "/en/114/budget/lines/",
    "/en/114/budget/lines/?level=category&sort=-amount",
    "/en/114/budget/lines/?category=2&level=bogus&sort=-amount",
    "/en/114/budget/lines/?category=3&level=subitem&sort=share_of_total",
]
TRANSLATION_NOTE = "English names of the categories and goals are this site's translations"


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_says_its_own_words_in_english(client, plan, path):
    html = page(client, path)
    assert untranslated(own_words(html, SORT_HINT)) == []
    meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html))
    for key in ("description", "og:title", "og:description"):
        assert not re.search(r"[\u4e00-\u9fff]", meta[key]), (key, meta[key])
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert not re.search(r"[\u4e00-\u9fff]", title.split("｜")[0]), title


def test_a_reader_typing_english_is_told_to_search_in_chinese(client, plan):
    main = parse(page(client, "/en/114/search/?q=zzzzqqq")).find("main")
    notices = [squash(p.text()) for p in main.find_all("p", class_="notice")]
    assert notices == [
        "The plan is published in Chinese only, so search in Chinese, for example: "
        "監視器 (CCTV), 詐騙 (fraud), 交通 (traffic)."
    ]
    examples = main.find_all("p", class_="notice")[0].find_all("a")
    assert [(a.attrs["href"], a.attrs["lang"]) for a in examples] == [
        ("/en/114/search/?q=%E7%9B%A3%E8%A6%96%E5%99%A8", "zh-Hant-TW"),
        ("/en/114/search/?q=%E8%A9%90%E9%A8%99", "zh-Hant-TW"),
        ("/en/114/search/?q=%E4%BA%A4%E9%80%9A", "zh-Hant-TW"),
    ]
    assert main.find("h2").text() == "Try these words"


@pytest.mark.parametrize("path", ["/en/114/search/?q=監視器", "/en/114/search/?q=110"])
def test_a_chinese_query_or_a_number_gets_no_such_notice(client, plan, path):
    assert "published in Chinese only" not in page(client, path)


def test_the_chinese_page_says_what_it_always_said_to_an_english_query(client, plan):
    html = page(client, "/114/search/?q=zzzzqqq")
    assert "published in Chinese only" not in html
    assert "找不到含有「zzzzqqq」的資料，其中也沒有兩個字以上的片段出現在計畫裡" in html


def test_a_goal_is_found_by_its_number_and_the_sites_english_title(client, plan):
    main = parse(page(client, "/en/114/search/?q=監視器")).find("main")
    assert TRANSLATION_NOTE in squash(main.text())
    goal = next(row for row in main.find_all("tr") if "Policy goal" in row.text())
    link = goal.find("th").find("a")
    assert link.attrs["href"] == "/en/114/goals/2/"
    assert squash(link.text()) == "Goal 2: Community policing and volunteer auxiliaries"
    assert goal.find("span", class_="tag").text() == "this site's translation"
    excerpt = goal.find("span", class_="context")
    assert squash(excerpt.text()).startswith("Goal text: 全面落實社區警政")
    assert next(excerpt.find("mark").ancestors()).attrs.get("lang") == "zh-Hant-TW"


def test_a_measures_row_names_its_budget_line_in_chinese_and_its_amount_in_english(client, plan):
    main = parse(page(client, "/en/114/search/?q=監錄系統")).find("main")
    row = next(row for row in main.find_all("tr") if "3.建置監錄系統" in row.text())
    assert row.find("td", class_="kind").text() == "Measure"
    assert squash(row.find("span", class_="budget-line-of").text()) == (
        "Budget line: (五)犯罪預防業務 116,055 NT$ thousand"
    )
    assert row.find("span", class_="budget-line-of").find("a").attrs["lang"] == "zh-Hant-TW"
    assert squash(row.cells()[-1].text()) == "no amount of its own"
    assert row.cells()[-1].attrs["data-label"] == "Amount (NT$ thousand)"


def test_the_notices_say_what_was_searched_in_english(client, plan):
    main = parse(page(client, "/en/114/search/?q=诈骗 a")).find("main")
    notices = [squash(p.text()) for p in main.find_all("p", class_="notice")]
    assert notices == [
        "Each word needs at least two characters; left out: “a”.",
        "Also searched for: 詐騙 (Traditional characters), 詐欺 (synonym).",
    ]
    heading = main.find("h2", id="results")
    assert squash(heading.text()) == "7 results for “诈骗”"
    assert heading.find("span").attrs["lang"] == "zh-Hant-TW"


def test_a_fallback_says_which_parts_it_found_in_english(client, plan):
    main = parse(page(client, "/en/114/search/?q=詐騙集團防制宣導品")).find("main")
    notice = squash(main.find("p", class_="notice").text())
    assert notice.startswith("Nothing contains “詐騙集團防制宣導品”. Listed instead:")
    marked = [s.text() for s in main.find("p", class_="notice").find_all("span")]
    assert "詐騙集團防制宣導品" in marked
    assert squash(main.find("h2", id="results").text()).startswith(
        "2 results for part of the search: “詐騙集團”"
    )


def test_the_search_filters_are_in_english(client, plan):
    main = parse(page(client, "/en/114/search/?q=交通")).find("main")
    form = main.find("form", role="search")
    labels = [squash(label.text()) for label in form.find_all("label")]
    assert labels == ["Words to search for (in Chinese)", "Type", "Budget category", "Order"]
    options = [o.text() for o in form.find("select", id="search-category").find_all("option")]
    assert options[0] == "All categories" and options[3] == "Precinct operations"
    kinds = [o.text() for o in form.find("select", id="search-kind").find_all("option")]
    assert kinds == ["All types", "Policy goal", "Budget line", "Measure"]


def test_the_budget_tables_columns_and_categories_are_in_english(client, plan):
    main = parse(page(client, "/en/114/budget/lines/")).find("main")
    table = main.find("table", class_="budget-table")
    headers = [squash(th.text()) for th in table.find("thead").find_all("th")]
    assert headers == [
        "Code",
        "Name",
        "Level",
        "Amount (NT$ thousand)",
        "Share of parent",
        "Share of total",
        "Measures (incl. levels below)",
    ]
    precinct = next(row for row in table.find_all("tr") if row.cells()[0].text() == "3")
    name = precinct.find("th").find("a")
    assert squash(name.text()) == "Precinct operations (參、分局業務)"
    assert name.find("span").attrs["lang"] == "zh-Hant-TW"
    assert precinct.cells()[2].text() == "Category"
    item = next(row for row in table.find_all("tr") if row.cells()[0].text() == "3-1")
    assert item.find("span", class_="line-path").text() == "Precinct operations"
    assert item.find("th").find("span").attrs["lang"] == "zh-Hant-TW"
    assert TRANSLATION_NOTE in squash(main.text())
    assert squash(main.find("p", class_="licence-note").text()) == (
        "License: Open Government Data License, version 1.0 (details)"
    )


def test_the_budget_tables_filters_and_summary_are_in_english(client, plan):
    main = parse(page(client, "/en/114/budget/lines/?level=category&sort=-amount")).find("main")
    form = main.find("form")
    assert [squash(label.text()) for label in form.find_all("label")] == ["Category", "Level"]
    levels = [o.text() for o in form.find("select", id="id_level").find_all("option")]
    assert levels == ["All levels", "Category", "Item", "Sub-item"]
    assert squash(main.find("p", class_="table-summary").text()) == (
        "6 budget lines match the filters (of 42; clear the filters); "
        "these 6 categories add up to 11,722,205 NT$ thousand."
    )


def test_a_filter_the_table_does_not_understand_is_named_in_english(client, plan):
    main = parse(page(client, "/en/114/budget/lines/?category=2&level=bogus")).find("main")
    notice = squash(main.find("p", class_="notice").text())
    assert notice == "Filters with a value that is not understood were left out: Level."


def test_the_chinese_table_and_the_api_stay_chinese(client, plan):
    table = parse(page(client, "/114/budget/lines/")).find("table", class_="budget-table")
    headers = [squash(th.text()) for th in table.find("thead").find_all("th")]
    assert headers[:4] == ["代碼", "名稱", "層級", "金額（千元）"]
    assert "授權：政府資料開放授權條款第 1 版" in page(client, "/114/budget/lines/").replace(
        "</a>", ""
    ).replace('<a href="https://data.gov.tw/license">', "")
    api = client.get("/api/v1/114/search/?q=诈骗").json()
    assert api["notices"] == ["也搜尋了：詐騙（繁體字）、詐欺（同義詞）。"]
    download = client.get("/en/114/search/results.csv?q=監視器").content.decode("utf-8-sig")
    assert "施政提要" in download and "Policy goal" not in download
