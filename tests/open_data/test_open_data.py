"""Open data: the files a re-user downloads, read back with ordinary tools and compared with
the database, the exportplan command and the committed fixture.
"""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from plan.document.folders import plan_folder
from plan.models import BudgetLine, GoalMeasure, Measure, PolicyGoal
from tests.support.commands import command_output
from tests.support.downloads import csv_dicts, csv_records
from tests.support.html import Element, parse, squash

FOLDER = plan_folder("kcpd-114")

pytestmark = pytest.mark.django_db

CSV_FILES = ["budget-lines.csv", "measures.csv", "goals.csv", "goal-measures.csv"]
ALL_FILES = [*CSV_FILES, "plan.json", "datapackage.json"]
BOM = "\ufeff".encode()


def url_of(filename: str) -> str:
    return f"/114/open-data/{filename}"


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def optional_int(value: str) -> int | None:
    return None if value == "" else int(value)


# ---------------------------------------------------------------- the open-data page


@pytest.fixture
def open_data_page(client, plan) -> Element:
    return parse(fetch(client, "/114/open-data/").content.decode()).find("main")


def entry_for(page: Element, filename: str) -> Element:
    """The part of the page that presents a file: its section, or the block holding its link."""
    links = [a for a in page.find_all("a") if a.attrs.get("href") == url_of(filename)]
    assert links, f"{filename} is not linked"
    link = links[0]
    sections = [el for el in link.ancestors() if el.tag == "section"]
    return sections[0] if sections else link.parent


@pytest.mark.parametrize("filename", ALL_FILES)
def test_open_data_page_links_every_file(open_data_page, filename):
    entry_for(open_data_page, filename)


@pytest.mark.parametrize("filename", ALL_FILES)
def test_open_data_page_gives_every_file_a_description_and_its_size(
    client, open_data_page, filename
):
    size = len(fetch(client, url_of(filename)).content)
    with translation.override(settings.LANGUAGE_CODE):
        size_text = squash(filesizeformat(size))
    text = squash(entry_for(open_data_page, filename).text())
    assert len(text.replace(filename, "")) > 10, text  # says what the file holds
    assert size_text in text, (filename, size_text, text)


@pytest.mark.parametrize("filename", CSV_FILES)
def test_open_data_page_column_dictionary_matches_the_csv_header(client, open_data_page, filename):
    header = csv_records(fetch(client, url_of(filename)))[0]
    tables = [
        table
        for table in open_data_page.find_all("table")
        if squash(table.find("caption").text()) == f"{filename} 欄位說明"
    ]
    assert len(tables) == 1
    rows = [
        [squash(cell.text()) for cell in tr.children if getattr(cell, "tag", "") in ("th", "td")]
        for tr in tables[0].find("tbody").find_all("tr")
    ]
    assert [row[0] for row in rows] == header
    for name, title, description, column_type in rows:
        assert column_type in ("string", "integer", "number"), name
        assert title and description, name


def test_open_data_page_says_amounts_are_thousands_of_twd(open_data_page):
    section = entry_for(open_data_page, "budget-lines.csv")
    row = next(tr for tr in section.find_all("tr") if "amount_thousand_twd" in tr.text())
    assert "TWD" in row.text() and "1000" in row.text()


# ---------------------------------------------------------------- how the files are served


@pytest.mark.parametrize("filename", CSV_FILES)
def test_csv_files_are_utf8_csv_downloads_other_sites_may_read(client, plan, filename):
    response = fetch(client, url_of(filename))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{filename}"' in disposition


@pytest.mark.parametrize("filename", ["plan.json", "datapackage.json"])
def test_json_files_are_utf8_json_other_sites_may_read(client, plan, filename):
    response = fetch(client, url_of(filename))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert f'filename="{filename}"' in response["Content-Disposition"]
    json.loads(response.content.decode("utf-8"))


def test_plan_json_is_offered_as_a_download(client, plan):
    disposition = fetch(client, "/114/open-data/plan.json")["Content-Disposition"]
    assert disposition.startswith("attachment;")


CSV_URLS = [url_of(filename) for filename in CSV_FILES] + ["/114/budget/2-2/budget-lines.csv"]


@pytest.mark.parametrize("url", CSV_URLS)
def test_csv_files_start_with_a_bom_and_end_every_record_with_crlf(client, plan, url):
    response = fetch(client, url)
    content = response.content
    assert content.startswith(BOM)
    assert not content.startswith(BOM + BOM)
    text = content.decode("utf-8-sig")
    records = csv_records(response)
    assert len(records) > 1
    assert text.endswith("\r\n")
    assert text.count("\r\n") == len(records)  # no CRLF inside a field, one after each record
    assert "\r" not in text.replace("\r\n", "")
    assert len({len(record) for record in records}) == 1  # every record has every column


def test_multi_line_objectives_are_quoted_and_read_back_intact(client, plan):
    response = fetch(client, "/114/open-data/measures.csv")
    rows = {row["id"]: row for row in csv_dicts(response)}
    multi_line = Measure.objects.filter(plan=plan, objectives__contains="\n")
    assert multi_line.count() > 10
    for measure in multi_line:
        assert rows[measure.code]["objectives"] == measure.objectives, measure.code
    text = response.content.decode("utf-8-sig")
    sample = multi_line.first().objectives
    assert '"' + sample.replace('"', '""') + '"' in text


def test_fields_with_commas_and_quotes_are_quoted(client, plan):
    Measure.objects.filter(code="2-2-3-m1").update(name='名稱,含"引號"與逗號')
    response = fetch(client, "/114/open-data/measures.csv")
    assert '"名稱,含""引號""與逗號"' in response.content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv_dicts(response)}
    assert rows["2-2-3-m1"]["name"] == '名稱,含"引號"與逗號'


def test_an_unknown_open_data_file_is_a_404(client, plan):
    response = client.get("/114/open-data/secrets.csv")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()


# ---------------------------------------------------------------- budget-lines.csv is the database

BUDGET_LINE_COLUMNS = [
    "id",
    "parent_id",
    "level",
    "ordinal",
    "name",
    "path",
    "amount_thousand_twd",
    "amount_source",
    "share_of_total",
]


def test_budget_lines_csv_has_the_documented_columns(client, plan):
    header = csv_records(fetch(client, "/114/open-data/budget-lines.csv"))[0]
    assert header[: len(BUDGET_LINE_COLUMNS)] == BUDGET_LINE_COLUMNS


def test_budget_lines_csv_reads_back_as_the_database(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    lines = list(BudgetLine.objects.filter(plan=plan).select_related("parent").order_by("sequence"))
    assert len(lines) == 42
    assert [row["id"] for row in rows] == [line.code for line in lines]
    for row, line in zip(rows, lines, strict=True):
        assert row["parent_id"] == (line.parent.code if line.parent else ""), line.code
        assert row["level"] == line.level, line.code
        assert row["ordinal"] == line.ordinal, line.code
        assert row["name"] == line.name, line.code
        assert optional_int(row["amount_thousand_twd"]) == line.amount, line.code
        assert row["amount_source"] == line.amount_source, line.code
        assert row["note"] == line.note, line.code
        assert row["editor_note"] == line.editor_note, line.code
        assert int(row["source_start_line"]) == line.source_start_line, line.code
        assert int(row["source_end_line"]) == line.source_end_line, line.code


def test_budget_lines_csv_amounts_are_plain_integers(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    assert all(re.fullmatch(r"\d*", row["amount_thousand_twd"]) for row in rows)
    derived = [row for row in rows if row["amount_source"] == "derived"]
    assert [(row["id"], row["amount_thousand_twd"]) for row in derived] == [("2-2-3", "688")]


def test_budget_lines_csv_share_is_amount_over_total_to_six_decimals(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    total = plan.total_amount
    assert total == 11722205
    for row in rows:
        share = row["share_of_total"]
        assert re.fullmatch(r"0\.\d{6}|1\.000000", share), (row["id"], share)
        exact = Decimal(int(row["amount_thousand_twd"])) / Decimal(total)
        assert abs(Decimal(share) - exact) <= Decimal("0.0000005"), (row["id"], share)
    assert {row["id"]: row["share_of_total"] for row in rows}["6-1"] == "0.000068"


def test_budget_lines_csv_path_is_the_names_from_the_top_down(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    by_code = {row["id"]: row for row in rows}
    for row in rows:
        names = []
        code = row["id"]
        while code:
            names.insert(0, by_code[code]["name"])
            code = by_code[code]["parent_id"]
        assert row["path"] == " > ".join(names), row["id"]


# ---------------------------------------------------------------- the other files


def test_plan_json_is_exactly_exportplan_and_the_committed_fixture(client, plan):
    served = fetch(client, "/114/open-data/plan.json").content.decode("utf-8")
    assert served == command_output("exportplan")
    assert served == FOLDER.fixture.read_text(encoding="utf-8")
    assert json.loads(served) == json.loads(FOLDER.fixture.read_text(encoding="utf-8"))


def test_measures_csv_is_every_measure_with_its_full_text(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/measures.csv"))
    measures = list(
        Measure.objects.filter(plan=plan).select_related("budget_line").order_by("sequence")
    )
    assert len(measures) == 143
    assert [row["id"] for row in rows] == [measure.code for measure in measures]
    for row, measure in zip(rows, measures, strict=True):
        assert row["budget_line_id"] == measure.budget_line.code, measure.code
        assert row["ordinal"] == measure.ordinal, measure.code
        assert row["name"] == measure.name, measure.code
        assert row["objectives"] == measure.objectives, measure.code
        assert row["approach"] == measure.approach, measure.code
        assert row["editor_note"] == measure.editor_note, measure.code
        assert int(row["source_start_line"]) == measure.source_start_line, measure.code
        assert int(row["source_end_line"]) == measure.source_end_line, measure.code


def test_measures_csv_budget_line_path_is_the_path_of_its_line(client, plan):
    paths = {
        row["id"]: row["path"]
        for row in csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    }
    for row in csv_dicts(fetch(client, "/114/open-data/measures.csv")):
        assert row["budget_line_path"] == paths[row["budget_line_id"]], row["id"]


def test_goals_csv_is_the_nineteen_goals(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/goals.csv"))
    goals = list(PolicyGoal.objects.filter(plan=plan).order_by("number"))
    assert len(goals) == 19
    assert [int(row["number"]) for row in rows] == list(range(1, 20))
    for row, goal in zip(rows, goals, strict=True):
        assert row["ordinal"] == goal.ordinal
        assert row["text"] == goal.text
        assert row["link_note"] == goal.link_note
        assert int(row["source_start_line"]) == goal.source_start_line
        assert int(row["source_end_line"]) == goal.source_end_line


def test_goal_measures_csv_is_the_goal_measure_rows(client, plan):
    rows = csv_dicts(fetch(client, "/114/open-data/goal-measures.csv"))
    links = GoalMeasure.objects.filter(goal__plan=plan).select_related(
        "goal", "measure__budget_line"
    )
    expected = sorted(
        (link.goal.number, link.measure.sequence, link.measure.code, link.measure.budget_line.code)
        for link in links
    )
    assert len(expected) > 50
    got = [(int(row["goal_number"]), row["measure_id"], row["budget_line_id"]) for row in rows]
    assert got == [(number, code, line) for number, _seq, code, line in expected]
    names = dict(Measure.objects.filter(plan=plan).values_list("code", "ordinal"))
    measure_names = dict(Measure.objects.filter(plan=plan).values_list("code", "name"))
    for row in rows:
        assert row["measure_name"] == names[row["measure_id"]] + measure_names[row["measure_id"]]


# ---------------------------------------------------------------- datapackage.json


def test_datapackage_validates_with_frictionless(client, plan, tmp_path):
    from frictionless import validate

    descriptor = fetch(client, "/114/open-data/datapackage.json").content
    (tmp_path / "datapackage.json").write_bytes(descriptor)
    for resource in json.loads(descriptor)["resources"]:
        (tmp_path / resource["path"]).write_bytes(fetch(client, url_of(resource["path"])).content)
    report = validate(tmp_path / "datapackage.json")
    errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors
    assert [task.name for task in report.tasks] == [
        "budget-lines",
        "measures",
        "goals",
        "goal-measures",
        "plan",
    ]


def test_datapackage_describes_every_file_with_the_columns_it_has(client, plan):
    package = json.loads(fetch(client, "/114/open-data/datapackage.json").content)
    resources = {resource["path"]: resource for resource in package["resources"]}
    assert sorted(resources) == sorted([*CSV_FILES, "plan.json"])
    for filename in CSV_FILES:
        header = csv_records(fetch(client, url_of(filename)))[0]
        fields = [field["name"] for field in resources[filename]["schema"]["fields"]]
        assert fields == header, filename


def test_datapackage_amount_is_in_thousands_of_twd(client, plan):
    package = json.loads(fetch(client, "/114/open-data/datapackage.json").content)
    budget = next(r for r in package["resources"] if r["path"] == "budget-lines.csv")
    amount = next(f for f in budget["schema"]["fields"] if f["name"] == "amount_thousand_twd")
    assert amount["type"] == "integer"
    assert amount["currency"] == "TWD"
    assert amount["factor"] == 1000


# ---------------------------------------------------------------- a budget line's own CSV


def subtree_rows(client, code: str) -> list[dict[str, str]]:
    return csv_dicts(fetch(client, f"/114/budget/{code}/budget-lines.csv"))


def test_an_item_csv_has_the_item_and_its_eleven_children(client, plan):
    rows = subtree_rows(client, "2-2")
    assert len(rows) == 12
    assert rows[0]["id"] == "2-2"
    assert [row["id"] for row in rows[1:]] == [f"2-2-{n}" for n in range(1, 12)]


@pytest.mark.parametrize("code", ["2-2-3", "6-1"])
def test_a_leaf_csv_has_one_row(client, plan, code):
    rows = subtree_rows(client, code)
    assert [row["id"] for row in rows] == [code]


def test_a_budget_line_csv_is_named_for_the_line_and_readable_by_other_sites(client, plan):
    response = fetch(client, "/114/budget/2-2/budget-lines.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="budget-lines-2-2.csv"' in response["Content-Disposition"]


@pytest.mark.parametrize("code", ["9", "2-99", "2-2-", "zz"])
def test_an_unknown_budget_line_csv_is_a_404(client, plan, code):
    assert client.get(f"/114/budget/{code}/budget-lines.csv").status_code == 404


def test_every_budget_line_page_offers_its_subtree_csv(client, plan):
    whole = csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))
    for line in BudgetLine.objects.filter(plan=plan):
        csv_url = f"/114/budget/{line.code}/budget-lines.csv"
        page = fetch(client, line.get_absolute_url()).content.decode()
        assert f'href="{csv_url}"' in page, line.code
        expected = [
            row for row in whole if row["id"] == line.code or row["id"].startswith(f"{line.code}-")
        ]
        assert subtree_rows(client, line.code) == expected, line.code


# ---------------------------------------------------------------- edits show at once


def test_an_edited_amount_shows_in_the_csv_and_json_at_once(client, plan):
    BudgetLine.objects.filter(plan=plan, code="2-2-3").update(amount=700)

    def amount_in(rows):
        return {row["id"]: row["amount_thousand_twd"] for row in rows}["2-2-3"]

    assert amount_in(csv_dicts(fetch(client, "/114/open-data/budget-lines.csv"))) == "700"
    assert amount_in(subtree_rows(client, "2-2")) == "700"
    assert amount_in(subtree_rows(client, "2-2-3")) == "700"
    share = {row["id"]: row for row in subtree_rows(client, "2-2-3")}["2-2-3"]["share_of_total"]
    assert share == "0.000060"  # 700 / 11,722,205
    document = json.loads(fetch(client, "/114/open-data/plan.json").content)
    item = next(node for node in document["budget"][1]["children"] if node["code"] == "2-2")
    assert next(node for node in item["children"] if node["code"] == "2-2-3")["amount"] == 700


def test_an_edited_measure_text_shows_in_measures_csv_at_once(client, plan):
    Measure.objects.filter(plan=plan, code="2-1-1-m2").update(objectives="1.新的目標\n2.第二項")
    rows = {row["id"]: row for row in csv_dicts(fetch(client, "/114/open-data/measures.csv"))}
    assert rows["2-1-1-m2"]["objectives"] == "1.新的目標\n2.第二項"
