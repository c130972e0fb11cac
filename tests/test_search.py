"""Search: what a reader finds, how it is shown, filtered, sorted and downloaded.

The expected results come from a reference implementation written here in plain Python over
the committed fixture (casefolded substring; every word in at least one searched field). The
site must return exactly the same records in document order. CI runs this file on SQLite and
on PostgreSQL, so passing on both proves the two databases agree.
"""

import io
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils.html import escape
from openpyxl import load_workbook

from plan.models import Measure
from plan.plan_folders import plan_folder
from tests.support.downloads import csv_records
from tests.support.html import Element, parse, squash

FOLDER = plan_folder("kcpd-114")

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- the reference search

KIND_LABELS = {"goal": "施政提要", "line": "預算項目", "measure": "計畫項目"}


@dataclass(frozen=True)
class Record:
    kind: str
    code: str
    category: str  # the 類 code; "" for goals
    amount: int | None  # a measure carries the amount of its budget line
    fields: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.code


def _fixture_records() -> list[Record]:
    document = json.loads(FOLDER.fixture.read_text(encoding="utf-8"))
    records = [
        Record("goal", str(goal["number"]), "", None, (goal["text"],)) for goal in document["goals"]
    ]

    def walk(nodes):
        for node in nodes:
            category = node["code"].split("-")[0]
            yield Record("line", node["code"], category, node["amount"], (node["name"],))
            for measure in node["measures"]:
                fields = (measure["name"], measure["objectives"], measure["approach"])
                yield Record("measure", measure["code"], category, node["amount"], fields)
            yield from walk(node["children"])

    return records + list(walk(document["budget"]))


RECORDS = _fixture_records()


def reference_terms(query: str) -> list[str]:
    """Words separated by any white space (full-width too); words under two characters drop."""
    return [word for word in dict.fromkeys(query.split()) if len(word) >= 2]


def reference_search(query: str, kind: str = "", category: str = "") -> list[tuple[str, str]]:
    """(kind, code) of every record holding every word, in document order."""
    terms = [term.casefold() for term in reference_terms(query)]
    if not terms:
        return []
    return [
        (record.kind, record.code)
        for record in RECORDS
        if (not kind or record.kind == kind)
        and (not category or record.category == category)
        and all(any(term in field.casefold() for field in record.fields) for term in terms)
    ]


# ---------------------------------------------------------------- reading the results page


@dataclass
class Row:
    kind: str
    url: str
    label: str
    field: str
    context: str
    marks: list[str]
    path: str
    amount: str

    @property
    def key(self) -> tuple[str, str]:
        """(kind, code) from the link: /114/goals/3/, /114/budget/2-2/, /114/measures/2-2-3-m1/."""
        _year, section, code = self.url.strip("/").split("/")
        return {"goals": "goal", "budget": "line", "measures": "measure"}[section], code

    @property
    def amount_value(self) -> int | None:
        return None if self.amount == "—" else int(self.amount.replace(",", ""))


def result_rows(page: Element) -> list[Row]:
    tables = page.find_all("table", class_="search-results")
    if not tables:
        return []
    rows = []
    for tr in tables[0].find("tbody").find_all("tr"):
        kind, head, path, amount = tr.cells()
        link = head.find("a")
        context = head.find("span", class_="context")
        rows.append(
            Row(
                kind=squash(kind.text()),
                url=link.attrs["href"],
                label=squash(link.text()),
                field=squash(context.find("span", class_="field-label").text()).rstrip("："),
                context=context.text(),
                marks=[mark.text() for mark in head.find_all("mark")],
                path=squash(path.text()),
                amount=squash(amount.text()),
            )
        )
    return rows


def notices(page: Element) -> list[str]:
    return [squash(p.text()) for p in page.find("main").find_all("p", class_="notice")]


def get_search(client, params) -> tuple[str, Element]:
    response = client.get("/114/search/", params)
    assert response.status_code == 200, params
    html = response.content.decode()
    return html, parse(html)


def search_rows(client, **params) -> list[Row]:
    return result_rows(get_search(client, params)[1])


def keys(rows: list[Row]) -> list[tuple[str, str]]:
    return [row.key for row in rows]


# ---------------------------------------------------------------- same results as the reference

REFERENCE_QUERIES = [
    "科技執法",
    "110",
    "0911510917",
    "監視器",
    "酒駕",
    "詐欺",
    "ai",
    "AI",
    "e化",
    "E化",
    "dna",
    "Line",
    "「110」",
    "「指定駕駛」",
    "(段)",
    "（段）",
    "外事業務",
    "第一預備金",
    "查緝",
    "業務",
    "1.",
    "監視器 系統",
    "交通\u3000執法",
    "交通 執法 科技",
    "  詐欺   查緝  ",
    "詐欺 捷運",
    "監視器 a",
]


@pytest.mark.parametrize("query", REFERENCE_QUERIES)
def test_search_finds_exactly_what_the_reference_finds_in_document_order(client, plan, query):
    expected = reference_search(query)
    assert keys(search_rows(client, q=query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        "GıS",  # dotless ı: casefold keeps it, PostgreSQL's UPPER() makes it I
        "ISMſ",  # long s: casefold makes it s, SQLite's LIKE leaves it alone
    ],
)
def test_letters_outside_ascii_match_the_same_on_every_database(client, plan, query):
    assert keys(search_rows(client, q=query)) == reference_search(query)


def test_the_reference_queries_do_find_things(plan):
    # Guards the test above against passing because everything finds nothing.
    assert sum(bool(reference_search(query)) for query in REFERENCE_QUERIES) >= 25
    assert len(reference_search("業務")) > 40


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("(段)", ("goal", "3")),  # a goal's text
        ("外事業務", ("line", "2-2-3")),  # a budget line's name
        ("重要案件", ("measure", "1-1-m2")),  # a measure's name
        ("厲行公文", ("measure", "1-1-m1")),  # only in a measure's 計畫目標
        ("依據核定", ("measure", "1-1-m2")),  # only in a measure's 實施要領
    ],
)
def test_search_covers_goals_line_names_measure_names_objectives_and_approaches(
    client, plan, query, expected
):
    assert keys(search_rows(client, q=query)) == [expected]


def test_the_match_is_highlighted_and_labelled_with_the_field_it_is_in(client, plan):
    rows = {row.key: row for row in search_rows(client, q="依據核定")}
    row = rows["measure", "1-1-m2"]
    assert row.field == "實施要領"
    assert row.marks == ["依據核定"]
    assert "依據核定" in row.context


def test_latin_letters_match_either_case_and_the_mark_keeps_the_printed_case(client, plan):
    lower = search_rows(client, q="ai")
    upper = search_rows(client, q="AI")
    assert keys(lower) == keys(upper) == reference_search("ai")
    assert lower
    for row in lower:
        assert row.marks and all(mark.casefold() == "ai" for mark in row.marks)
        assert any(mark in row.context for mark in row.marks)


def test_every_result_highlights_a_query_word_in_an_excerpt_of_its_text(client, plan):
    fields = {(record.kind, record.code): record.fields for record in RECORDS}
    for query in ["交通 執法", "業務", "詐欺"]:
        terms = [term.casefold() for term in reference_terms(query)]
        for row in search_rows(client, q=query):
            assert row.marks, (query, row.key)
            assert all(mark.casefold() in terms for mark in row.marks), (query, row.key)
            excerpt = row.context.removeprefix(f"{row.field}：").strip("…")
            texts = [text.replace("\n", " ") for text in fields[row.key]]
            texts.append(row.label)  # names are shown with their printed ordinal
            assert any(excerpt in text for text in texts), (query, row.key, excerpt)


def test_a_long_pasted_phrase_is_highlighted_too(client, plan):
    # Queries may be up to 100 characters: a reader pastes a phrase to find where it is.
    goal_text = next(record for record in RECORDS if record.key == ("goal", "1")).fields[0]
    for length in (20, 56, 60, 80):
        phrase = goal_text[30 : 30 + length]
        assert not re.search(r"\s", phrase)
        rows = search_rows(client, q=phrase)
        assert keys(rows) == reference_search(phrase) == [("goal", "1")], length
        assert rows[0].marks == [phrase], length


def test_words_separated_by_spaces_must_all_match(client, plan):
    both = search_rows(client, q="監視器 系統")
    assert keys(both) == [("goal", "2")]
    assert set(keys(both)) <= set(keys(search_rows(client, q="監視器")))
    assert set(keys(both)) <= set(keys(search_rows(client, q="系統")))
    assert len(search_rows(client, q="系統")) > len(both)


def test_a_full_width_space_separates_words_like_a_space(client, plan):
    assert keys(search_rows(client, q="監視器\u3000系統")) == keys(
        search_rows(client, q="監視器 系統")
    )


def test_every_word_counts_even_in_a_long_query(client, plan):
    # Eight words all in goal 1, and a ninth that is not: nothing has all nine words. The site
    # must either find nothing or say that it left the ninth word out.
    query = "槍彈 毒品 幫派 賭場 逃犯 詐欺 電腦 鑑識 捷運"
    assert reference_search(query) == []
    assert reference_search(query.removesuffix(" 捷運")) == [("goal", "1")]
    _html, page = get_search(client, {"q": query})
    said_so = any("捷運" in notice for notice in notices(page))
    assert keys(result_rows(page)) == [] or said_so, (
        "the ninth word was dropped without a word to the reader",
        keys(result_rows(page)),
        notices(page),
    )


def test_the_heading_and_counts_agree_with_the_rows(client, plan):
    _html, page = get_search(client, {"q": "交通"})
    rows = result_rows(page)
    text = squash(page.find("main").text())
    assert f"找到 {len(rows)} 筆符合「交通」的資料" in text
    counts = {label: sum(row.kind == label for row in rows) for label in KIND_LABELS.values()}
    assert all(counts.values())
    assert (
        f"施政提要 {counts['施政提要']} 筆・預算項目 {counts['預算項目']} 筆・"
        f"計畫項目 {counts['計畫項目']} 筆"
    ) in text


# ---------------------------------------------------------------- budget path and amount


def test_a_measure_result_shows_its_budget_path_and_the_amount_of_its_line(client, plan):
    rows = {row.key: row for row in search_rows(client, q="科技執法")}
    row = rows["measure", "4-4-m1"]
    assert row.kind == "計畫項目"
    assert row.path == "肆、大隊業務 › 四、交通警察勤務"
    assert row.amount == "65,518"


def test_a_measure_under_a_subitem_shows_the_full_three_level_path(client, plan):
    measure = Measure.objects.filter(budget_line__code="2-2-3").order_by("sequence").first()
    rows = {row.key: row for row in search_rows(client, q=measure.name, kind="measure")}
    row = rows["measure", measure.code]
    assert row.path == "貳、警政警衛實施 › 二、勤業務管理 › (三)外事業務"
    assert row.amount == "688"


def test_a_budget_line_result_shows_its_own_path_and_amount(client, plan):
    rows = {row.key: row for row in search_rows(client, q="外事業務")}
    row = rows["line", "2-2-3"]
    assert row.kind == "預算項目"
    assert row.label == "(三)外事業務"
    assert row.path == "貳、警政警衛實施 › 二、勤業務管理 › (三)外事業務"
    assert row.amount == "688"


def test_a_goal_result_has_no_budget_path_or_amount(client, plan):
    rows = {row.key: row for row in search_rows(client, q="科技執法")}
    row = rows["goal", "3"]
    assert row.kind == "施政提要"
    assert row.path == "—"
    assert row.amount == "—"


def test_every_result_shows_the_amount_of_the_line_it_belongs_to(client, plan):
    amounts = {(record.kind, record.code): record.amount for record in RECORDS}
    for row in search_rows(client, q="業務"):
        assert row.amount_value == amounts[row.key], row.key


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize("kind", ["goal", "line", "measure"])
def test_the_kind_filter_keeps_only_that_kind(client, plan, kind):
    rows = search_rows(client, q="交通", kind=kind)
    assert rows
    assert keys(rows) == reference_search("交通", kind=kind)
    assert {row.kind for row in rows} == {KIND_LABELS[kind]}


@pytest.mark.parametrize("category", ["1", "2", "3", "4", "5", "6"])
def test_the_category_filter_keeps_only_that_category(client, plan, category):
    for query in ["業務", "一般行政", "預備金", "交通"]:
        rows = search_rows(client, q=query, category=category)
        assert keys(rows) == reference_search(query, category=category), query
        assert all(row.key[1].split("-")[0] == category for row in rows), query


def test_kind_and_category_filters_combine(client, plan):
    rows = search_rows(client, q="業務", kind="measure", category="2")
    assert rows
    assert keys(rows) == reference_search("業務", kind="measure", category="2")


def test_a_category_filter_leaves_out_goals_and_says_so(client, plan):
    _html, page = get_search(client, {"q": "交通", "category": "4"})
    assert "goal" not in {kind for kind, _code in keys(result_rows(page))}
    assert "施政提要不屬於任何類別" in page.find("main").text()


# ---------------------------------------------------------------- sorting


@pytest.mark.parametrize("sort", ["-amount", "amount"])
def test_sorting_by_amount_orders_by_amount_and_puts_records_without_one_last(client, plan, sort):
    unsorted = search_rows(client, q="交通")
    rows = search_rows(client, q="交通", sort=sort)
    assert sorted(keys(rows)) == sorted(keys(unsorted))
    amounts = [row.amount_value for row in rows]
    with_amount = [amount for amount in amounts if amount is not None]
    assert None in amounts and with_amount
    assert amounts == with_amount + [None] * (len(amounts) - len(with_amount))
    assert with_amount == sorted(with_amount, reverse=sort == "-amount")


def test_equal_amounts_keep_document_order(client, plan):
    document_order = keys(search_rows(client, q="業務"))
    rows = search_rows(client, q="業務", sort="-amount")
    by_amount: dict[int | None, list] = {}
    for row in rows:
        by_amount.setdefault(row.amount_value, []).append(row.key)
    assert any(len(group) > 1 for group in by_amount.values())
    for group in by_amount.values():
        assert group == sorted(group, key=document_order.index)


def test_the_amount_column_heading_links_to_the_other_direction_keeping_the_filters(client, plan):
    _html, page = get_search(client, {"q": "業務", "kind": "measure", "sort": "-amount"})
    heading = page.find("table", class_="search-results").find("thead")
    href = heading.find("a").attrs["href"]
    query = parse_qs(urlsplit(href).query)
    assert query["q"] == ["業務"]
    assert query["kind"] == ["measure"]
    assert query["sort"] == ["amount"]


# ---------------------------------------------------------------- permalink


def selected(page: Element, select_id: str) -> str:
    select = page.find("select", id=select_id)
    chosen = [option.attrs.get("value", "") for option in select.find_all("option")]
    marked = [o.attrs.get("value", "") for o in select.find_all("option") if "selected" in o.attrs]
    assert len(marked) == 1, (select_id, chosen)
    return marked[0]


PERMALINK = {"q": "交通 執法", "kind": "measure", "category": "4", "sort": "-amount"}


def test_the_results_address_reproduces_the_query_and_filters(client, plan):
    _html, page = get_search(client, PERMALINK)
    assert page.find("input", id="search-q").attrs["value"] == "交通 執法"
    assert page.find("input", id="header-q").attrs["value"] == "交通 執法"
    assert selected(page, "search-kind") == "measure"
    assert selected(page, "search-category") == "4"
    assert selected(page, "search-sort") == "-amount"
    rows = result_rows(page)
    assert rows
    expected = set(reference_search("交通 執法", kind="measure", category="4"))
    assert set(keys(rows)) == expected
    # Opening the same address again gives the same page of results.
    assert keys(search_rows(client, **PERMALINK)) == keys(rows)


def test_the_download_links_carry_the_query_and_filters(client, plan):
    _html, page = get_search(client, PERMALINK)
    links = page.find("p", class_="downloads").find_all("a")
    paths = sorted(urlsplit(a.attrs["href"]).path for a in links)
    assert paths == ["/114/search/results.csv", "/114/search/results.xlsx"]
    for link in links:
        query = {k: v[0] for k, v in parse_qs(urlsplit(link.attrs["href"]).query).items()}
        assert query == PERMALINK


# ---------------------------------------------------------------- CSV and XLSX downloads

EXPORT_HEADER = [
    "類型",
    "代碼",
    "名稱",
    "預算路徑",
    "類",
    "金額（千元）",
    "金額所屬預算項目",
    "符合欄位",
    "符合內容",
    "網址",
]

EXPORT_QUERIES = [
    {"q": "業務"},
    {"q": "交通", "sort": "-amount"},
    {"q": "交通", "sort": "amount"},
    {"q": "交通 執法", "kind": "measure", "category": "4"},
    {"q": "詐欺", "kind": "goal"},
    {"q": "ai"},
    {"q": "監視器\u3000系統"},
    {"q": "一般行政", "category": "3", "sort": "kind"},
]


def export_id(params: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in params.items())


def page_table(client, params) -> list[Row]:
    rows = search_rows(client, **params)
    assert rows, params
    return rows


def expected_export_rows(rows: list[Row]) -> list[list]:
    """What a download must hold for the rows the page shows, in the same order."""
    return [
        [
            row.kind,
            row.key[1],
            row.label,
            "" if row.path == "—" else row.path.replace(" › ", " > "),
            row.amount_value,
            f"{settings.SITE_URL}{row.url}",
        ]
        for row in rows
    ]


def comparable(record: list) -> list:
    """The columns of a download row that the page also shows."""
    kind, code, label, path, _category, amount, *_rest, url = record
    return [kind, code, label, path, amount, url]


@pytest.mark.parametrize("params", EXPORT_QUERIES, ids=export_id)
def test_the_csv_download_has_the_rows_the_page_shows_in_the_same_order(client, plan, params):
    rows = page_table(client, params)
    response = client.get("/114/search/results.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    records = csv_records(response)
    assert records[0] == EXPORT_HEADER
    got = [comparable(record) for record in records[1:]]
    expected = [
        [*row[:4], "" if row[4] is None else str(row[4]), row[5]]
        for row in expected_export_rows(rows)
    ]
    assert got == expected


@pytest.mark.parametrize("params", EXPORT_QUERIES, ids=export_id)
def test_the_xlsx_download_has_the_rows_the_page_shows_with_integer_amounts(client, plan, params):
    rows = page_table(client, params)
    response = client.get("/114/search/results.xlsx", params)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    records = [list(record) for record in sheet.iter_rows(values_only=True)]
    assert records[0] == EXPORT_HEADER
    body = [["" if value is None else value for value in record] for record in records[1:]]
    got = [comparable(record) for record in body]
    expected = [
        [*row[:4], "" if row[4] is None else row[4], row[5]] for row in expected_export_rows(rows)
    ]
    assert got == expected
    amounts = [record[5] for record in records[1:] if record[5] is not None]
    assert len(amounts) == sum(row.amount_value is not None for row in rows)
    assert all(type(amount) is int for amount in amounts)


def test_the_csv_download_ends_every_record_with_crlf(client, plan):
    response = client.get("/114/search/results.csv", {"q": "業務"})
    text = response.content.decode("utf-8-sig")
    records = csv_records(response)
    assert text.endswith("\r\n")
    assert text.count("\r\n") == len(records)
    assert "\r" not in text.replace("\r\n", "")


NO_QUERY_EXPORTS = ["", "q=", "q=%20%20", "q=%E3%80%80", "q=%E7%9B%A3", "q=%00", "q[]=x", "q=a%20b"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("query", NO_QUERY_EXPORTS)
def test_a_download_without_a_usable_query_is_refused_in_chinese(
    quiet_client, plan, query, file_format
):
    response = quiet_client.get(f"/114/search/results.{file_format}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "請先輸入至少兩個字的搜尋詞" in response.content.decode()


ODD_BUT_USABLE = ["🚓👮", "%%", "__", "' OR 1=1 --", "<script>alert(1)</script>"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("query", ODD_BUT_USABLE)
def test_a_download_for_a_query_that_finds_nothing_is_an_empty_table(
    quiet_client, plan, query, file_format
):
    response = quiet_client.get(f"/114/search/results.{file_format}", {"q": query})
    assert response.status_code == 200
    if file_format == "csv":
        records = csv_records(response)
    else:
        records = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    assert len(records) == 1  # the header only


QUOTED_STRING = r'"(?:[^"\\]|\\.)*"'


@pytest.mark.parametrize("query", ["監視器", '"><img src=x onerror=alert(1)>', '監視器"'])
def test_a_download_name_built_from_the_query_keeps_the_header_well_formed(
    quiet_client, plan, query
):
    response = quiet_client.get("/114/search/results.csv", {"q": query})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    # Every parameter is token=token or token=quoted-string (RFC 6266); a bare quote from the
    # query must not end the quoted file name early.
    parameter = rf'\s*[\w*!#$&+.^`|~-]+=(?:{QUOTED_STRING}|[^\s";]+)\s*'
    assert re.fullmatch(rf"attachment(?:;{parameter})+", disposition), disposition


# ---------------------------------------------------------------- bad queries

BAD_QUERIES = [
    # (query string, part of the notice the reader gets)
    ("", "請輸入要搜尋的字詞"),
    ("q=", "請輸入要搜尋的字詞"),
    ("q=%20%20%20", "請輸入要搜尋的字詞"),
    ("q=%E3%80%80", "請輸入要搜尋的字詞"),  # a full-width space only
    ("q=%E7%9B%A3", "至少要兩個字"),  # 監
    ("q=" + "x" * 1000, "搜尋字詞過長"),
    ("q=" + "監視器" * 334, "搜尋字詞過長"),
    ("q=%F0%9F%9A%93%F0%9F%91%AE", "找不到"),  # 🚓👮
    ("q=%27%20OR%201%3D1%20--", "找不到"),  # ' OR 1=1 --
    ("q=%25", "至少要兩個字"),  # %
    ("q=_", "至少要兩個字"),
    ("q=%5C", "至少要兩個字"),  # backslash
    ("q=%25%25", "找不到"),
    ("q=__", "找不到"),
    ("q=%5C%5C", "找不到"),
    ("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "找不到"),
    ("q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "找不到"),
    ("q=%00", "無法處理的字元"),
    ("q=%E7%9B%A3%E8%A6%96%00%E5%99%A8", "無法處理的字元"),  # 監視\0器
    ("q[]=%E7%9B%A3%E8%A6%96%E5%99%A8", "請輸入要搜尋的字詞"),
    ("q=%FF%FE", "找不到"),  # not UTF-8
]


def short(text: str) -> str:
    return text if len(text) < 50 else text[:40] + f"…({len(text)} chars)"


@pytest.mark.parametrize(("query", "notice"), BAD_QUERIES, ids=[short(q) for q, _ in BAD_QUERIES])
def test_a_bad_query_gets_a_normal_page_with_a_clear_notice(quiet_client, plan, query, notice):
    response = quiet_client.get(f"/114/search/?{query}")
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert any(notice in text for text in notices(page)), notices(page)
    assert result_rows(page) == []
    assert page.find_all("form", class_="search-form")


@pytest.mark.parametrize(
    "query", ["%%", "__", "%_", "%監視器%", "監_器", "監%器", "_監視器_", "\\\\", "\\監視器"]
)
def test_percent_underscore_and_backslash_are_literal_characters(client, plan, query):
    assert search_rows(client, q="監視器")
    assert reference_search(query) == []
    assert search_rows(client, q=query) == []


def test_sql_in_the_query_finds_nothing_rather_than_everything(client, plan):
    assert search_rows(client, q="' OR 1=1 --") == []
    assert search_rows(client, q="') OR ('1'='1") == []


HTML_PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_markup_typed_into_the_search_is_shown_as_text_never_as_markup(client, plan, payload):
    html, page = get_search(client, {"q": payload})
    assert payload not in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    # Both search boxes give the reader back exactly what was typed, escaped in the markup.
    assert page.find("input", id="search-q").attrs["value"] == payload
    assert page.find("input", id="header-q").attrs["value"] == payload
    assert html.count(f'value="{escape(payload)}"') == 2


def test_markup_in_a_one_character_word_is_escaped_in_the_notice(client, plan):
    html, page = get_search(client, {"q": "< 監視器"})
    assert any("「<」" in notice for notice in notices(page))
    assert "「&lt;」" in html


def test_markup_in_the_data_is_shown_as_text_in_results_and_highlights(client, plan):
    Measure.objects.filter(code="2-2-3-m1").update(name="<script>alert(1)</script>外事")
    html, page = get_search(client, {"q": "<script>alert(1)"})
    rows = result_rows(page)
    assert keys(rows) == [("measure", "2-2-3-m1")]
    assert rows[0].marks == ["<script>alert(1)"]
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_a_repeated_q_searches_for_the_value_the_search_box_shows(client, plan):
    response = client.get("/114/search/?q=詐欺&q=監視器")
    assert response.status_code == 200
    page = parse(response.content.decode())
    shown = page.find("input", id="search-q").attrs["value"]
    assert shown in ("詐欺", "監視器")
    assert page.find("input", id="header-q").attrs["value"] == shown
    assert keys(result_rows(page)) == reference_search(shown)


@pytest.mark.parametrize(
    "extra",
    [
        "kind=bogus",
        "kind=%00",
        "kind[]=goal",
        "kind=goal&kind=",
        "category=9",
        "category=0",
        "category=2-2",
        "category=%E5%A3%B9",
        "category[]=2",
        "sort=zzz",
        "sort=%00",
        "sort=-label",
        "sort=" + "x" * 1000,
    ],
    ids=short,
)
def test_unknown_filter_and_sort_values_give_the_unfiltered_results(quiet_client, plan, extra):
    response = quiet_client.get(f"/114/search/?q=%E4%BA%A4%E9%80%9A&{extra}")  # 交通
    assert response.status_code == 200
    assert keys(result_rows(parse(response.content.decode()))) == reference_search("交通")


def test_a_search_page_without_any_parameters_invites_a_query(client, plan):
    _html, page = get_search(client, {})
    assert any("請輸入要搜尋的字詞" in notice for notice in notices(page))
    assert page.find("input", id="search-q").attrs["value"] == ""
