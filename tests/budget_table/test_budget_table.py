"""The budget table (/budget/lines/): every budget line in one table, filtered, sorted, and
downloaded with exactly the rows shown; and the tree's open-all and shares.

Expected values come from the committed fixture (the published record), not from the code
under test. CI runs this file on SQLite and on PostgreSQL.
"""

import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from openpyxl import load_workbook

from plan.content import published
from plan.document.folders import plan_folder
from plan.open_data.files import BUDGET_LINES, BUDGET_LINES_COMPARED
from tests.support import second_year
from tests.support.downloads import csv_dicts, csv_records
from tests.support.html import Element, parse, squash

pytestmark = pytest.mark.django_db

URL = "/114/budget/lines/"
LEVELS = {"category": "類", "item": "項", "subitem": "目"}


def fixture_lines() -> list[dict]:
    """Every line of the published document, in document order, with its parent's amount and
    the number of measures it and the lines under it list."""
    document = json.loads(plan_folder("kcpd-114").fixture.read_text(encoding="utf-8"))
    found = []

    def measures_under(node) -> int:
        return len(node["measures"]) + sum(measures_under(child) for child in node["children"])

    def walk(nodes, parent):
        for node in nodes:
            found.append(
                node
                | {
                    "parent_amount": parent["amount"] if parent else None,
                    "measures_under": measures_under(node),
                }
            )
            walk(node["children"], node)

    walk(document["budget"], None)
    return found


LINES = fixture_lines()
BY_CODE = {line["code"]: line for line in LINES}
TOTAL = 11_722_205


@dataclass
class Row:
    code: str
    label: str
    path: str
    level: str
    amount: str
    share_of_parent: str
    share_of_total: str
    measures: str
    cells: dict[str, str]

    @property
    def amount_value(self) -> int:
        return int(self.amount.split()[0].replace(",", ""))


def table_rows(page: Element) -> list[Row]:
    tables = page.find_all("table", class_="budget-table")
    if not tables:
        return []
    rows = []
    for tr in tables[0].find("tbody").find_all("tr"):
        cells = tr.cells()
        name = cells[1]
        path = name.find_all("span", class_="line-path")
        by_label = {cell.attrs.get("data-label", ""): squash(cell.text()) for cell in cells}
        rows.append(
            Row(
                code=squash(cells[0].text()),
                label=squash(name.find("a").text()),
                path=squash(path[0].text()) if path else "",
                level=squash(cells[2].text()),
                amount=squash(cells[3].text()),
                share_of_parent=squash(cells[4].text()),
                share_of_total=squash(cells[5].text()),
                measures=squash(cells[6].text()),
                cells=by_label,
            )
        )
    return rows


def get(client, params=None) -> tuple[str, Element]:
    response = client.get(URL, params or {})
    assert response.status_code == 200, params
    html = response.content.decode()
    return html, parse(html)


def rows_of(client, **params) -> list[Row]:
    return table_rows(get(client, params)[1])


def codes(rows) -> list[str]:
    return [row.code for row in rows]


# ---------------------------------------------------------------- every line, as published


def test_the_table_lists_every_budget_line_in_document_order(client, plan):
    rows = rows_of(client)
    assert codes(rows) == [line["code"] for line in LINES]
    assert len(rows) == 42


def test_the_order_holds_when_the_database_groups_by_hashing(client, plan):
    """Counting measures makes a GROUP BY, from which Django drops the model's default order;
    PostgreSQL may then hash the groups (as it chose once a second plan made the table bigger)
    and return them in any order. Hashing forced, the table and the file keep document order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")  # until the test's transaction ends
    expected = [line["code"] for line in LINES]
    assert codes(rows_of(client)) == expected
    published = csv_dicts(client.get("/114/open-data/budget-lines.csv"))
    assert [record["id"] for record in published] == expected


def test_every_row_has_the_published_amount_level_and_path(client, plan):
    for row in rows_of(client):
        line = BY_CODE[row.code]
        assert row.amount_value == line["amount"], row.code
        assert row.label == f"{line['ordinal']}{line['name']}"
        assert row.level == LEVELS[line["level"]]
        depth = row.code.count("-")
        assert len(row.path.split(" › ")) == depth if depth else row.path == ""


def test_only_the_derived_amount_is_flagged_推算(client, plan):
    flagged = [row.code for row in rows_of(client) if "推算" in row.amount]
    assert flagged == [line["code"] for line in LINES if line["amount_source"] == "derived"]
    assert flagged == ["2-2-3"]


def share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_shares_of_parent_and_of_total_are_the_amounts_over_them(client, plan):
    siblings: dict[str, list[str]] = {}
    for row in rows_of(client):
        line = BY_CODE[row.code]
        parent = line["parent_amount"]
        if parent is None:
            assert row.share_of_parent == "—"
            siblings.setdefault("", []).append(row.share_of_total)
        else:
            shown = row.share_of_parent.rstrip("%")
            # Largest remainder may move a share by one unit of its last place, no more.
            if not shown.startswith("<"):
                assert abs(Decimal(shown) - share(line["amount"], parent)) <= Decimal("0.1")
            siblings.setdefault(row.code.rsplit("-", 1)[0], []).append(row.share_of_parent)
            total = row.share_of_total
            if not total.startswith("<"):
                assert Decimal(total.rstrip("%")) == share(line["amount"], TOTAL), row.code
    for code, shares in siblings.items():
        values = [Decimal(text.rstrip("%").lstrip("<")) for text in shares if "<" not in text]
        if len(values) == len(shares):
            assert sum(values) == 100, code


def test_the_number_of_measures_counts_the_lines_under_it_and_says_so(client, plan):
    _html, page = get(client)
    rows = table_rows(page)
    for row in rows:
        assert int(row.measures) == BY_CODE[row.code]["measures_under"], row.code
        assert row.cells["計畫項目（含下層）"] == row.measures
    # A 類 lists no measure of its own: its count is that of its 項 and 目, never 0.
    categories = {row.code: int(row.measures) for row in rows if row.level == "類"}
    assert categories == {"1": 2, "2": 89, "3": 3, "4": 22, "5": 27, "6": 0}
    assert sum(categories.values()) == 143
    headers = [squash(th.text()) for th in page.find("table", class_="budget-table").find_all("th")]
    assert "計畫項目（含下層）" in headers and "計畫項目" not in headers
    notes = squash(page.find("ul", class_="table-notes").text())
    assert "「計畫項目（含下層）」是該項目及其下各層所列的計畫項目數" in notes


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize("category", ["1", "2", "4", "6"])
def test_the_category_filter_keeps_that_category_and_everything_under_it(client, plan, category):
    expected = [line["code"] for line in LINES if line["code"].split("-")[0] == category]
    assert codes(rows_of(client, category=category)) == expected


@pytest.mark.parametrize("level", ["category", "item", "subitem"])
def test_the_level_filter_keeps_that_level_and_says_what_it_adds_up_to(client, plan, level):
    expected = [line for line in LINES if line["level"] == level]
    _html, page = get(client, {"level": level})
    assert codes(table_rows(page)) == [line["code"] for line in expected]
    total = sum(line["amount"] for line in expected)
    summary = squash(page.find("p", class_="table-summary").text())
    assert f"這 {len(expected)} 個{LEVELS[level]}合計 {total:,} 千元" in summary


def test_every_category_sums_to_the_total_and_nothing_is_summed_across_levels(client, plan):
    _html, page = get(client, {"level": "category"})
    assert f"合計 {TOTAL:,} 千元" in squash(page.find("p", class_="table-summary").text())
    _html, page = get(client, {})
    assert "合計" not in squash(page.find("p", class_="table-summary").text())


def test_filters_combine(client, plan):
    expected = [
        line["code"] for line in LINES if line["code"].startswith("2-") and line["level"] == "item"
    ]
    assert codes(rows_of(client, category="2", level="item")) == expected
    assert 1 < len(expected) < len(rows_of(client, category="2"))


@pytest.mark.parametrize(
    "query",
    [
        "category=9",
        "category=2-2",
        "category=%00",
        "level=bogus",
        "level=%00",
        "category[]=2",
        "parent=%00",
        "code_prefix=x",
        "sort=%00",
        "sort=bogus",
        "sort=" + "x" * 1000,
        "page=99999999999999999999",
        "open=all",
    ],
)
def test_a_value_that_is_not_valid_filters_nothing_and_never_fails(quiet_client, plan, query):
    response = quiet_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert codes(table_rows(parse(response.content.decode()))) == [line["code"] for line in LINES]


def test_an_ignored_filter_is_pointed_out(client, plan):
    _html, page = get(client, {"level": "bogus"})
    notices = [squash(p.text()) for p in page.find_all("p", class_="notice")]
    assert any("層級" in notice for notice in notices)


def test_a_repeated_parameter_uses_the_value_the_form_shows(client, plan):
    response = client.get(f"{URL}?category=2&category=4")
    page = parse(response.content.decode())
    chosen = [
        option.attrs["value"]
        for option in page.find("select", id="id_category").find_all("option")
        if "selected" in option.attrs
    ]
    assert chosen == ["4"]
    assert {row.code.split("-")[0] for row in table_rows(page)} == {"4"}


# ---------------------------------------------------------------- sorting


def sort_link(page: Element, header: str) -> str:
    for th in page.find("table", class_="budget-table").find("thead").find_all("th"):
        if squash(th.text()).startswith(header):
            return th.find("a").attrs["href"]
    raise AssertionError(header)


@pytest.mark.parametrize("direction", ["amount", "-amount"])
def test_sorting_by_amount_orders_rows_with_ties_in_document_order(client, plan, direction):
    rows = rows_of(client, sort=direction)
    amounts = [row.amount_value for row in rows]
    assert amounts == sorted(amounts, reverse=direction.startswith("-"))
    order = [line["code"] for line in LINES]
    for amount in set(amounts):
        tied = [row.code for row in rows if row.amount_value == amount]
        assert tied == sorted(tied, key=order.index)


@pytest.mark.parametrize("column", ["share_of_parent", "share_of_total", "measure_count"])
def test_sorting_by_a_share_or_count_column_orders_by_its_value(client, plan, column):
    rows = rows_of(client, sort=f"-{column}")
    if column == "measure_count":
        values = [int(row.measures) for row in rows]
        assert values == sorted(values, reverse=True)
        return
    exact = {
        line["code"]: Decimal(line["amount"]) / (line["parent_amount"] or TOTAL)
        if column == "share_of_parent"
        else Decimal(line["amount"]) / TOTAL
        for line in LINES
    }
    known = [
        row.code for row in rows if column == "share_of_total" or BY_CODE[row.code]["parent_amount"]
    ]
    assert [exact[code] for code in known] == sorted((exact[code] for code in known), reverse=True)
    if column == "share_of_parent":  # the 類 have no parent: last, in either direction
        assert codes(rows)[-6:] == ["1", "2", "3", "4", "5", "6"]
        assert codes(rows_of(client, sort=column))[-6:] == ["1", "2", "3", "4", "5", "6"]


def test_a_header_link_sorts_and_keeps_the_filters(client, plan):
    _html, page = get(client, {"category": "2", "level": "subitem"})
    href = sort_link(page, "金額")
    query = parse_qs(urlsplit(href).query)
    assert query == {"category": ["2"], "level": ["subitem"], "sort": ["amount"]}
    _html, page = get(client, {k: v[0] for k, v in query.items()})
    assert parse_qs(urlsplit(sort_link(page, "金額")).query)["sort"] == ["-amount"]
    th = next(
        th
        for th in page.find("table", class_="budget-table").find("thead").find_all("th")
        if "aria-sort" in th.attrs
    )
    assert th.attrs["aria-sort"] == "ascending"


def test_the_address_reproduces_the_state_and_the_filter_form_keeps_the_sort(client, plan):
    params = {"category": "4", "level": "item", "sort": "-amount"}
    _html, page = get(client, params)
    form = page.find("form", class_="budget-filter")
    assert form.find("input", type="hidden").attrs == {
        "type": "hidden",
        "name": "sort",
        "value": "-amount",
    }
    for select_id, value in (("id_category", "4"), ("id_level", "item")):
        chosen = [
            option.attrs["value"]
            for option in page.find("select", id=select_id).find_all("option")
            if "selected" in option.attrs
        ]
        assert chosen == [value]
    canonical = next(
        link.attrs["href"] for link in page.find_all("link") if link.attrs.get("rel") == "canonical"
    )
    assert parse_qs(urlsplit(canonical).query) == {k: [v] for k, v in params.items()}


# ---------------------------------------------------------------- downloads

STATES = [
    {},
    {"sort": "-amount"},
    {"category": "2", "sort": "share_of_parent"},
    {"level": "item", "sort": "-amount"},
    {"category": "6", "level": "subitem"},
]


def state_id(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items()) or "all"


def download_links(page: Element) -> dict[str, str]:
    links = page.find("p", class_="downloads").find_all("a")
    return {urlsplit(a.attrs["href"]).path.rsplit(".", 1)[-1]: a.attrs["href"] for a in links[:2]}


@pytest.mark.parametrize("params", STATES, ids=state_id)
def test_the_csv_has_exactly_the_rows_shown_in_the_order_shown(client, plan, params):
    _html, page = get(client, params)
    shown = codes(table_rows(page))
    link = download_links(page)["csv"]
    assert parse_qs(urlsplit(link).query) == {k: [v] for k, v in params.items()}
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert csv_records(response)[0] == [column.name for column in BUDGET_LINES.columns]
    records = csv_dicts(response)
    assert [record["id"] for record in records] == shown
    for record in records:
        assert int(record["amount_thousand_twd"]) == BY_CODE[record["id"]]["amount"]


@pytest.mark.parametrize("params", STATES, ids=state_id)
def test_the_xlsx_has_exactly_the_rows_shown_with_numbers_as_numbers(client, plan, params):
    _html, page = get(client, params)
    shown = codes(table_rows(page))
    response = client.get(download_links(page)["xlsx"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == [column.name for column in BUDGET_LINES.columns]
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert [record["id"] for record in records] == shown
    for record in records:
        assert type(record["amount_thousand_twd"]) is int
        assert isinstance(record["share_of_total"], float)
        assert type(record["measure_count"]) is int


def test_the_unfiltered_csv_is_budget_lines_csv(client, plan):
    table = client.get("/114/budget/lines.csv").content
    assert table == client.get("/114/open-data/budget-lines.csv").content


def test_budget_lines_csv_has_share_of_parent_and_the_number_of_measures(client, plan):
    records = {r["id"]: r for r in csv_dicts(client.get("/114/open-data/budget-lines.csv"))}
    assert records["1"]["share_of_parent"] == ""
    line = BY_CODE["2-2-3"]
    expected = (Decimal(line["amount"]) / line["parent_amount"]).quantize(Decimal("0.000001"))
    assert records["2-2-3"]["share_of_parent"] == str(expected)
    assert records["2-2-3"]["measure_count"] == str(len(line["measures"]))
    # The same count as the table's: a 類 counts the measures of the lines under it.
    assert records["2"]["measure_count"] == str(BY_CODE["2"]["measures_under"]) == "89"


# ---------------------------------------------------------------- with a previous year


@pytest.fixture
def second(plan, plan_document):
    loaded = second_year.load_second_year(plan_document)
    cache.clear()
    published.forget()
    return loaded


def test_with_one_plan_there_are_no_comparison_columns(client, plan):
    _html, page = get(client)
    headers = [squash(th.text()) for th in page.find("table", class_="budget-table").find_all("th")]
    assert not any("上年度" in header or "增減" in header for header in headers)


def test_with_a_previous_year_the_table_gains_the_comparison_columns(client, second):
    response = client.get("/115/budget/lines/")
    page = parse(response.content.decode())
    rows = {row.code: row for row in table_rows(page)}
    raised = rows[second_year.RAISED[0]]
    before = BY_CODE[second_year.RAISED[0]]["amount"]
    assert raised.cells["上年度（千元）"] == f"{before:,}"
    after = before * (100 + second_year.RAISED[1]) // 100
    assert raised.cells["增減（千元）"].startswith(f"+{after - before:,}")
    assert "變動較大" in raised.cells["增減（千元）"]
    assert rows[second_year.ADDED[0]].cells["增減（千元）"] == "本年度新增"
    assert rows[second_year.RENAMED[0]].cells["上年度（千元）"] == "688"


@pytest.mark.parametrize("direction", ["change", "-change"])
def test_sorting_by_change_puts_a_new_line_last_either_way(client, second, direction):
    response = client.get(f"/115/budget/lines/?sort={direction}")
    rows = table_rows(parse(response.content.decode()))
    assert rows[-1].code == second_year.ADDED[0]
    changes = [
        int(row.cells["增減（千元）"].split()[0].replace(",", "").replace("−", "-"))
        for row in rows[:-1]
    ]
    assert changes == sorted(changes, reverse=direction.startswith("-"))


def test_the_downloads_of_a_compared_table_carry_the_comparison_columns(client, second):
    response = client.get("/115/budget/lines.csv?level=subitem&sort=-change")
    assert csv_records(response)[0] == [column.name for column in BUDGET_LINES_COMPARED.columns]
    records = csv_dicts(response)
    assert records[-1]["id"] == second_year.ADDED[0]
    assert records[-1]["comparison"] == "new"


# ---------------------------------------------------------------- ways in, and the tree


@pytest.mark.parametrize("url", ["/114/", "/114/budget/", "/114/search/", "/114/search/?q=詐欺"])
def test_home_the_tree_and_search_link_to_the_table(client, plan, url):
    page = parse(client.get(url).content.decode())
    assert URL in page.find("main").links()


def open_details(page: Element) -> tuple[int, int]:
    details = page.find("ul", class_="tree").find_all("details")
    return sum("open" in each.attrs for each in details), len(details)


def test_the_tree_opens_every_level_with_a_link_and_closes_them_with_another(client, plan):
    page = parse(client.get("/114/budget/").content.decode())
    opened, total = open_details(page)
    assert opened == 6 and total > 6  # the 類
    tools = page.find("ul", class_="tree-tools").links()
    assert "/114/budget/?open=all" in tools and "/114/budget/?open=none" in tools
    page = parse(client.get("/114/budget/?open=all").content.decode())
    assert open_details(page) == (total, total)
    page = parse(client.get("/114/budget/?open=none").content.decode())
    assert open_details(page) == (0, total)
    page = parse(client.get("/114/budget/?open=%00").content.decode())
    assert open_details(page) == (6, total)


def test_the_tree_shows_each_nodes_share(client, plan):
    page = parse(client.get("/114/budget/").content.decode())
    shares = {}
    for node in page.find("ul", class_="tree").find_all("div", class_="node"):
        code = node.find("a").attrs["href"].strip("/").split("/")[-1]
        shares[code] = squash(node.find("span", class_="node-share").text())
    assert len(shares) == 42
    assert shares["2"].startswith("占總額")
    for code, text in shares.items():
        line = BY_CODE[code]
        whole = line["parent_amount"] or TOTAL
        value = text.split()[-1].rstrip("%")
        if not value.startswith("<"):
            assert abs(Decimal(value) - share(line["amount"], whole)) <= Decimal("0.1"), code
