"""Search: what a reader finds, how it is shown, filtered, sorted and downloaded.

The expected results come from a reference implementation in plain Python over the committed
files (tests/support/reference_search.py: folded substrings, the Simplified-to-Traditional
conversion, the synonym table; every term in at least one searched field). The site must
return exactly the same records in document order. CI runs this file on SQLite and on
PostgreSQL, so passing on both proves the two databases agree.
"""

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils.html import escape
from openpyxl import load_workbook

from plan.models import BudgetLine, Measure, PolicyGoal
from plan.search.downloads import SEARCH_RESULTS
from tests.support import reference_search as reference
from tests.support.downloads import csv_dicts, csv_records
from tests.support.html import Element, parse, squash

pytestmark = pytest.mark.django_db

KIND_LABELS = {"goal": "施政提要", "line": "預算項目", "measure": "計畫項目"}
RECORDS = reference.records()
reference_search = reference.search
reference_terms = reference.terms


# ---------------------------------------------------------------- reading the results page


@dataclass
class Row:
    kind: str
    url: str
    label: str
    field: str
    context: str
    marks: list[str]
    path: str  # the budget path above the record
    line_label: str  # a measure's 「所屬預算」: its budget line…
    line_amount: str  # …and that line's amount
    amount: str  # the amount column: a budget line's own amount only

    @property
    def key(self) -> tuple[str, str]:
        """(kind, code) from the link: /114/goals/3/, /114/budget/2-2/, /114/measures/2-2-3-m1/."""
        _year, section, code = self.url.strip("/").split("/")
        return {"goals": "goal", "budget": "line", "measures": "measure"}[section], code

    @property
    def amount_value(self) -> int | None:
        return number(self.amount)

    @property
    def budget_amount(self) -> int | None:
        """The amount sorting by amount goes by: a line's own, a measure's line's."""
        return number(self.line_amount) if self.kind == "計畫項目" else self.amount_value


def number(text: str) -> int | None:
    digits = re.match(r"[0-9,]+", text)
    return int(digits.group(0).replace(",", "")) if digits else None


def result_rows(page: Element) -> list[Row]:
    tables = page.find_all("table", class_="search-results")
    if not tables:
        return []
    rows = []
    for tr in tables[0].find_all("tr"):
        if tr.parent.tag != "tbody" or "group-heading" in tr.classes:
            continue
        kind, head, path, *amount = tr.cells()  # grouped by line: no amount column
        link = head.find("a")
        context = head.find("span", class_="context")
        line_of = path.find_all("span", class_="budget-line-of")
        parents = path.text() if not line_of else path.text().split("所屬預算：")[0]
        rows.append(
            Row(
                kind=squash(kind.text()),
                url=link.attrs["href"],
                label=squash(link.text()),
                field=squash(context.find("span", class_="field-label").text()).rstrip("："),
                context=context.text(),
                marks=[mark.text() for mark in head.find_all("mark")],
                path=squash(parents),
                line_label=squash(line_of[0].find("a").text()) if line_of else "",
                line_amount=squash(line_of[0].find("span", class_="line-amount").text())
                if line_of
                else "",
                amount=squash(amount[0].text()) if amount else "",
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


def is_fallback(page: Element) -> bool:
    """The page found nothing for the query and shows what matches its longest parts."""
    return any("fallback" in h2.classes for h2 in page.find_all("h2", id="results"))


def search_rows(client, **params) -> list[Row]:
    """The records the query itself matches (none when the page falls back to its parts)."""
    page = get_search(client, params)[1]
    return [] if is_fallback(page) else result_rows(page)


def keys(rows: list[Row]) -> list[tuple[str, str]]:
    return [row.key for row in rows]


# ---------------------------------------------------------------- same results as the reference

REFERENCE_QUERIES = [
    "科技執法",
    "110",
    "１１０",
    "0911510917",
    "監視器",
    "酒駕",
    "詐欺",
    "詐騙",
    "诈骗",
    "诈欺",
    "诈骗集团",
    "监视器",
    "交通执法",
    "台灣",
    "車禍",
    "黑道",
    "ai",
    "AI",
    "ＡＩ",
    "人工智慧",
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
    fields = {record.key: record.fields for record in RECORDS}
    for query in ["交通 執法", "業務", "詐欺", "诈骗", "監視器"]:
        forms = {form for term in reference_terms(query) for form in reference.forms(term)}
        for row in search_rows(client, q=query):
            assert row.marks, (query, row.key)
            assert all(reference.fold(mark) in forms for mark in row.marks), (query, row.key)
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
    both = search_rows(client, q="酒駕 宣導")
    assert keys(both) == reference_search("酒駕 宣導")
    assert both
    assert set(keys(both)) <= set(keys(search_rows(client, q="酒駕")))
    assert set(keys(both)) <= set(keys(search_rows(client, q="宣導")))
    assert len(search_rows(client, q="宣導")) > len(both)


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


def test_a_measure_result_names_its_budget_line_and_that_lines_amount_as_the_lines(client, plan):
    rows = {row.key: row for row in search_rows(client, q="科技執法")}
    row = rows["measure", "4-4-m1"]
    assert row.kind == "計畫項目"
    assert row.path == "肆、大隊業務"
    assert row.line_label == "四、交通警察勤務"
    assert row.line_amount == "65,518 千元"
    assert row.amount == "無個別金額"


def test_a_measure_under_a_subitem_shows_the_path_and_its_derived_line(client, plan):
    measure = Measure.objects.filter(budget_line__code="2-2-3").order_by("sequence").first()
    _html, page = get_search(client, {"q": measure.name, "kind": "measure"})
    rows = {row.key: row for row in result_rows(page)}
    row = rows["measure", measure.code]
    assert row.path == "貳、警政警衛實施 › 二、勤業務管理"
    assert row.line_label == "(三)外事業務"
    assert row.line_amount == "688 千元（推算）"
    cell = squash(page.find("td", class_="path").text())
    assert "所屬預算：(三)外事業務 688 千元（推算）" in cell


def test_a_budget_line_result_shows_its_parents_and_its_own_amount(client, plan):
    rows = {row.key: row for row in search_rows(client, q="外事業務")}
    row = rows["line", "2-2-3"]
    assert row.kind == "預算項目"
    assert row.label == "(三)外事業務"
    assert row.path == "貳、警政警衛實施 › 二、勤業務管理"
    assert row.line_label == ""
    assert row.amount == "688（推算）"


def test_a_goal_result_has_no_budget_path_or_amount(client, plan):
    rows = {row.key: row for row in search_rows(client, q="科技執法")}
    row = rows["goal", "3"]
    assert row.kind == "施政提要"
    assert row.path == "—"
    assert row.amount == "—"


def test_a_goal_result_shows_its_short_title_as_the_sites_wording(client, plan):
    goal = PolicyGoal.objects.get(plan=plan, number=3)
    assert goal.short_title
    _html, page = get_search(client, {"q": "科技執法"})
    link = page.find("a", href="/114/goals/3/")
    assert squash(link.text()) == f"提要三：{goal.short_title}"
    head = link.parent
    assert [squash(tag.text()) for tag in head.find_all("span", class_="tag")] == ["本站整理的簡稱"]
    # The excerpt under it is the document's own text.
    context = squash(head.find("span", class_="context").text())
    assert context.startswith("提要內容：") and "科技執法" in context


def test_a_measure_row_marks_its_empty_amount_cell_so_a_phone_card_leaves_it_out(client, plan):
    # On a desk the amount column says 「無個別金額」; a phone's card shows only the cells
    # with something to say (tests/browser/test_layout.py looks at the card).
    _html, page = get_search(client, {"q": "監視器"})
    for tr in page.find("table", class_="search-results").find("tbody").find_all("tr"):
        amount = tr.cells()[-1]
        kind = squash(tr.cells()[0].text())
        assert ("empty" in amount.classes) == (kind != "預算項目"), kind


@pytest.mark.parametrize("query", ["業務", "詐欺", "交通"])
def test_no_measure_row_presents_an_amount_as_its_own(client, plan, query):
    rows = search_rows(client, q=query)
    measures = [row for row in rows if row.kind == "計畫項目"]
    assert measures
    for row in measures:
        assert row.amount_value is None, row.key
        expected = reference.record(("line", reference.record(row.key).line)).amount
        assert number(row.line_amount) == expected, row.key
    for row in rows:
        if row.kind == "預算項目":
            assert row.amount_value == reference.record(row.key).amount, row.key


def test_the_amount_column_adds_up_without_counting_a_line_twice(client, plan):
    # 「詐欺」 once showed 101,090 and 20,498 twice each, for two measures of one line.
    rows = search_rows(client, q="詐欺")
    shown = [row.amount_value for row in rows if row.amount_value is not None]
    lines = {row.key[1] for row in rows if row.kind == "預算項目"}
    assert sum(shown) == sum(reference.record(("line", code)).amount for code in lines)
    assert len([row for row in rows if row.line_amount == "101,090 千元"]) >= 2


def test_grouped_by_budget_line_each_line_and_its_amount_appear_once(client, plan):
    flat = search_rows(client, q="詐欺")
    _html, page = get_search(client, {"q": "詐欺", "group": "line"})
    grouped = result_rows(page)
    assert sorted(keys(grouped)) == sorted(keys(flat))
    headings = [squash(tr.text()) for tr in page.find_all("tr", class_="group-heading")]
    assert headings[0].startswith("施政提要")
    lines = list(dict.fromkeys(reference.record(row.key).line for row in grouped))
    lines.remove("")
    assert len(headings) == 1 + len(lines)
    for heading, code in zip(headings[1:], lines, strict=True):
        line = BudgetLine.objects.get(plan=plan, code=code)
        assert heading.startswith(f"{line.label} {line.amount:,} 千元"), heading
    # The rows of a group are together, under their heading.
    owners = [reference.record(row.key).line for row in grouped]
    assert owners == sorted(owners, key=["", *lines].index)


def test_the_heading_and_counts_agree_with_the_grouped_rows(client, plan):
    _html, page = get_search(client, {"q": "交通", "group": "line"})
    rows = result_rows(page)
    text = squash(page.find("main").text())
    assert f"找到 {len(rows)} 筆符合「交通」的資料" in text
    counts = {label: sum(row.kind == label for row in rows) for label in KIND_LABELS.values()}
    assert (
        f"施政提要 {counts['施政提要']} 筆・預算項目 {counts['預算項目']} 筆・"
        f"計畫項目 {counts['計畫項目']} 筆"
    ) in text


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
def test_sorting_by_amount_orders_by_budget_amount_and_puts_goals_last(client, plan, sort):
    # A budget line by its own amount, a measure by its line's (shown as the line's).
    unsorted = search_rows(client, q="交通")
    rows = search_rows(client, q="交通", sort=sort)
    assert sorted(keys(rows)) == sorted(keys(unsorted))
    assert {row.kind for row in rows} == set(KIND_LABELS.values())
    amounts = [row.budget_amount for row in rows]
    with_amount = [amount for amount in amounts if amount is not None]
    assert None in amounts and with_amount
    assert amounts == with_amount + [None] * (len(amounts) - len(with_amount))
    assert with_amount == sorted(with_amount, reverse=sort == "-amount")


def test_equal_amounts_keep_document_order(client, plan):
    document_order = keys(search_rows(client, q="業務"))
    rows = search_rows(client, q="業務", sort="-amount")
    by_amount: dict[int | None, list] = {}
    for row in rows:
        by_amount.setdefault(row.budget_amount, []).append(row.key)
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
    "kind",
    "kind_label",
    "code",
    "name",
    "category",
    "budget_path",
    "amount",
    "amount_source",
    "budget_line_code",
    "budget_line_name",
    "budget_line_amount",
    "budget_line_amount_source",
    "matched_field",
    "matched_text",
    "url",
]

EXPORT_QUERIES = [
    {"q": "業務"},
    {"q": "交通", "sort": "-amount"},
    {"q": "交通", "sort": "amount"},
    {"q": "交通 執法", "kind": "measure", "category": "4"},
    {"q": "詐欺", "kind": "goal"},
    {"q": "詐欺", "group": "line"},
    {"q": "ai"},
    {"q": "監視器\u3000系統"},
    {"q": "一般行政", "category": "3", "sort": "kind"},
]


def export_id(params: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in params.items())


def page_table(client, params) -> list[Row]:
    _html, page = get_search(client, params)
    rows = result_rows(page)
    assert rows, params
    return rows


def expected_export(row: Row) -> dict:
    """What a download must hold for a row the page shows."""
    line_code = reference.record(row.key).line
    if row.kind == "計畫項目":
        # Grouped by line, a measure's row leaves its line to the group's heading.
        label = row.line_label or BudgetLine.objects.get(code=line_code).label
        path = f"{row.path} › {label}" if row.path else label
        line_amount = reference.record(("line", line_code)).amount
    else:
        path, line_amount = ("" if row.path == "—" else row.path), row.amount_value
    return {
        "kind_label": row.kind,
        "code": row.key[1],
        # A goal's page link adds the site's short title to its number (提要三：…); the file
        # names the goal as the document does.
        "name": row.label.partition("：")[0] if row.kind == "施政提要" else row.label,
        "budget_path": path.replace(" › ", " > "),
        "amount": row.amount_value,
        "budget_line_code": line_code,
        "budget_line_amount": line_amount,
        "url": f"{settings.SITE_URL}{row.url}",
    }


def test_the_export_header_is_the_documented_one():
    assert [column.name for column in SEARCH_RESULTS.columns] == EXPORT_HEADER


@pytest.mark.parametrize("params", EXPORT_QUERIES, ids=export_id)
def test_the_csv_download_has_the_rows_the_page_shows_in_the_same_order(client, plan, params):
    rows = page_table(client, params)
    response = client.get("/114/search/results.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    assert csv_records(response)[0] == EXPORT_HEADER
    got = [{key: record[key] for key in expected_export(rows[0])} for record in csv_dicts(response)]
    expected = [
        {key: "" if value is None else str(value) for key, value in expected_export(row).items()}
        for row in rows
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
    header, *body = [list(record) for record in sheet.iter_rows(values_only=True)]
    assert header == EXPORT_HEADER
    wanted = list(expected_export(rows[0]))
    got = [{key: dict(zip(header, record, strict=True))[key] for key in wanted} for record in body]
    expected = [
        {key: None if value == "" else value for key, value in expected_export(row).items()}
        for row in rows
    ]
    assert got == expected
    for record in got:
        for column in ("amount", "budget_line_amount"):
            assert record[column] is None or type(record[column]) is int


def test_a_measure_row_of_the_download_has_no_amount_of_its_own(client, plan):
    records = csv_dicts(client.get("/114/search/results.csv", {"q": "詐欺"}))
    measures = [record for record in records if record["kind"] == "measure"]
    assert measures
    for record in measures:
        assert record["amount"] == ""
        assert record["amount_source"] == ""
        line = reference.record(("line", record["budget_line_code"]))
        assert record["budget_line_amount"] == str(line.amount)
    derived = csv_dicts(client.get("/114/search/results.csv", {"q": "外事業務"}))
    line = next(record for record in derived if record["kind"] == "line")
    assert (line["amount"], line["amount_source"]) == ("688", "derived")


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
    # Nothing matches the query itself (a long one may still have parts that do).
    assert is_fallback(page) or result_rows(page) == []
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
