"""loadplan, checkplan and exportplan: the command contract docs/data.md documents."""

import copy
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.db import IntegrityError, transaction

from plan.document.contract import DocumentError
from plan.document.loader import load_plan
from plan.models import BudgetLine, DataLoad, Measure, Plan, PolicyGoal
from tests.support.commands import command_output

pytestmark = pytest.mark.django_db


def counts():
    return (
        Plan.objects.count(),
        PolicyGoal.objects.count(),
        BudgetLine.objects.count(),
        Measure.objects.count(),
    )


def test_the_loaded_plan_has_every_goal_line_and_measure(plan_document):
    assert counts() == (1, 19, 42, 143)


def test_loadplan_twice_changes_nothing_and_keeps_every_id(plan):
    before = dict(BudgetLine.objects.values_list("code", "pk"))
    measures_before = dict(Measure.objects.values_list("code", "pk"))
    assert "沒有變更" in command_output("loadplan")
    assert dict(BudgetLine.objects.values_list("code", "pk")) == before
    assert dict(Measure.objects.values_list("code", "pk")) == measures_before
    assert counts() == (1, 19, 42, 143)


def test_loadplan_replace_edited_restores_edited_rows_in_place(plan):
    # Changed outside the loader (here in the shell): an editor's change, which a bare
    # loadplan keeps (tests/document/test_editors_changes.py); --replace-edited undoes it.
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 1
    line.save()
    Measure.objects.filter(code="2-1-1-m2").delete()
    output = command_output("loadplan", replace_edited=True)
    assert "更新 預算項目 1" in output and "新增 計畫項目 1" in output
    line.refresh_from_db()
    assert line.amount == 688
    assert Measure.objects.get(code="2-1-1-m2").name == "新聞聯繫"


def test_loadplan_reorders_and_removes_rows_without_breaking_uniqueness(plan, plan_document):
    document = copy.deepcopy(plan_document)
    items = document["budget"][1]["children"]
    items.reverse()  # 勤業務管理 before 本部室務行政: every position and sequence changes
    del document["budget"][0]["children"][0]["measures"][1]
    load_plan(document)
    codes = list(BudgetLine.objects.filter(parent__code="2").values_list("code", flat=True))
    assert codes == ["2-2", "2-1"]
    assert not Measure.objects.filter(code="1-1-m2").exists()
    load_plan(plan_document)
    codes = list(BudgetLine.objects.filter(parent__code="2").values_list("code", flat=True))
    assert codes == ["2-1", "2-2"]


def test_loadplan_is_one_transaction(plan, plan_document, monkeypatch):
    # The document rules would refuse the empty name before any write; without them the
    # database refuses it, after the goal has been written, and the whole load rolls back.
    monkeypatch.setattr("plan.document.loader.validate", lambda document: None)
    broken = copy.deepcopy(plan_document)
    broken["goals"][0]["text"] = "已修改"
    broken["budget"][0]["measures"] = []
    broken["budget"][0]["children"][0]["measures"][0]["name"] = ""  # violates a constraint
    with pytest.raises(DocumentError, match="database refused"):
        load_plan(broken)
    assert PolicyGoal.objects.get(number=1).text.startswith("積極檢肅非法槍彈")


def test_checkplan_passes_on_the_published_data(plan):
    output = command_output("checkplan")
    assert "all checks passed" in output
    assert "施政計畫提要 19 項" in output
    assert "推算金額：(三)外事業務（2-2-3）688 千元" in output


def test_checkplan_fails_loudly_on_a_broken_sum(plan):
    BudgetLine.objects.filter(code="2-1-1").update(amount=954)
    with pytest.raises(CommandError, match="failed"):
        command_output("checkplan")


def test_the_database_refuses_a_measure_with_no_content(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(code="2-1-1-m2").update(objectives="", approach="", editor_note="")


def test_the_database_refuses_an_amount_without_its_source(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(code="2-1-1").update(amount_source="")


def test_checkplan_fails_on_a_missing_goal(plan):
    PolicyGoal.objects.filter(number=19).delete()
    with pytest.raises(CommandError):
        command_output("checkplan")


def test_checkplan_without_data_says_what_to_do():
    Plan.objects.all().delete()
    with pytest.raises(CommandError, match="loadplan"):
        command_output("checkplan")


def test_exportplan_writes_exactly_the_published_document(plan, plan_document):
    exported = json.loads(command_output("exportplan"))
    assert exported == plan_document
    nodes = list(_walk(exported["budget"]))
    assert len(nodes) == 42
    assert sum(len(node["measures"]) for node in nodes) == 143
    assert {node["amount_source"] for node in nodes} == {"stated", "derived"}


def test_exportplan_reflects_edits_in_the_database(plan):
    Measure.objects.filter(code="2-1-1-m2").update(objectives="1.加強為民服務！")
    exported = json.loads(command_output("exportplan"))
    measure = exported["budget"][1]["children"][0]["children"][0]["measures"][1]
    assert measure["objectives"] == "1.加強為民服務！"


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


# --- loadplan with a broken document: one line naming the record and field, nothing written --


def _line(document, code):
    return next(node for node in _walk(document["budget"]) if node["code"] == code)


def _measure(document, code):
    measures = (m for node in _walk(document["budget"]) for m in node["measures"])
    return next(measure for measure in measures if measure["code"] == code)


# Each: how the document is broken, and the record and field the message must name.
BROKEN_DOCUMENTS = {
    "negative amount": (
        lambda d: _line(d, "2-2-3").update(amount=-5),
        ("預算項目 2-2-3", "budget line 2-2-3", "amount"),
    ),
    "empty measure name": (
        lambda d: _measure(d, "2-1-1-m2").update(name=""),
        ("計畫項目 2-1-1-m2", "measure 2-1-1-m2", "name"),
    ),
    "missing field": (
        lambda d: _line(d, "1-1").pop("name"),
        ("預算項目 1-1", "budget line 1-1", "name"),
    ),
    "text for a number": (
        lambda d: _line(d, "2-2").update(amount="430,018"),
        ("預算項目 2-2", "budget line 2-2", "amount"),
    ),
    "amount without its source": (
        lambda d: _line(d, "2-2-3").update(amount_source=""),
        ("預算項目 2-2-3", "budget line 2-2-3", "amount_source"),
    ),
    "a 目 among the 項": (
        lambda d: _line(d, "4-1").update(level="subitem"),
        ("預算項目 4-1", "budget line 4-1", "level"),
    ),
    "a level below the 目": (
        lambda d: _line(d, "2-2-3")["children"].append(copy.deepcopy(_line(d, "2-2-2"))),
        ("預算項目 2-2-3", "budget line 2-2-3", "children"),
    ),
    "a repeated measure code": (
        lambda d: _measure(d, "2-2-3-m2").update(code="2-2-3-m1"),
        ("計畫項目 2-2-3-m1", "measure 2-2-3-m1", "code"),
    ),
    "a goal linked to a missing measure": (
        lambda d: d["goals"][3]["measures"].append("2-2-3-m99"),
        ("提要 4", "goal 4", "measures"),
    ),
    "a measure with no text": (
        lambda d: _measure(d, "2-1-1-m2").update(objectives="", approach="", editor_note=""),
        ("計畫項目 2-1-1-m2", "measure 2-1-1-m2", "editor_note"),
    ),
    "a number too large for PostgreSQL": (
        lambda d: d["plan"].update(fiscal_year=40000),
        ("施政計畫 kcpd-114", "plan kcpd-114", "fiscal_year"),
    ),
    "an amount too large for any database": (
        lambda d: _line(d, "1").update(amount=10**20),
        ("預算項目 1", "budget line 1", "amount"),
    ),
    "an empty goal": (
        lambda d: d["goals"][0].update(text=" "),
        ("提要 1", "goal 1", "text"),
    ),
}


def broken_fixture(plan_document, tmp_path, case: str):
    document = copy.deepcopy(plan_document)
    BROKEN_DOCUMENTS[case][0](document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def published_state():
    """What a reader and an auditor see: the export, the load log and the edit history."""
    return command_output("exportplan"), DataLoad.objects.count(), BudgetLine.history.count()


def assert_one_line_naming(message: str, *names: str) -> None:
    assert "\n" not in message.strip(), message
    assert "Traceback" not in message
    for name in names:
        assert name in message, (name, message)


@pytest.mark.parametrize("case", BROKEN_DOCUMENTS)
def test_loadplan_refuses_a_broken_document_in_one_line_and_writes_nothing(
    plan, plan_document, tmp_path, case
):
    before = published_state()
    record_zh, record_en, field = BROKEN_DOCUMENTS[case][1]
    with pytest.raises(CommandError) as refused:
        command_output("loadplan", fixture=broken_fixture(plan_document, tmp_path, case))
    message = str(refused.value)
    assert_one_line_naming(message, record_zh, record_en, f"的 {field} ", f"field {field}:")
    assert published_state() == before


def test_loadplan_points_at_a_json_syntax_error(plan, plan_document, tmp_path):
    before = published_state()
    path = tmp_path / "broken.json"
    text = json.dumps(plan_document, ensure_ascii=False, indent=2)
    path.write_text(text.replace('"amount": 688,', '"amount": 688', 1), encoding="utf-8")
    line = text[: text.index('"amount": 688,')].count("\n") + 2  # the next line is the error
    with pytest.raises(CommandError) as refused:
        command_output("loadplan", fixture=path)
    message = str(refused.value)
    assert_one_line_naming(message, str(path), f"第 {line} 行", f"line {line}, column")
    assert published_state() == before


def test_loadplan_turns_a_database_refusal_into_one_line(plan, plan_document, tmp_path):
    # A second plan of the same agency and year: only the database can know it is one too many.
    document = copy.deepcopy(plan_document)
    document["plan"]["slug"] = "kcpd-114-copy"
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = published_state()
    with pytest.raises(CommandError) as refused:
        command_output("loadplan", fixture=path)
    message = str(refused.value)
    assert_one_line_naming(message, "施政計畫 kcpd-114-copy", "nothing was written")
    assert "agency" in message and "fiscal_year" in message
    assert published_state() == before
    assert not Plan.objects.filter(slug="kcpd-114-copy").exists()


@pytest.mark.parametrize("case", ["negative amount", "a level below the 目"])
def test_loadplan_in_a_terminal_exits_non_zero_with_one_line_and_no_traceback(
    plan_document, tmp_path, case
):
    fixture = broken_fixture(plan_document, tmp_path, case)
    database = tmp_path / "never-opened.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "loadplan", "--fixture", str(fixture)],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    record_zh, record_en, field = BROKEN_DOCUMENTS[case][1]
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("CommandError: ")
    assert_one_line_naming(result.stderr, record_zh, record_en, f"field {field}:")
    # The document is checked before the database is touched.
    assert not database.exists()
