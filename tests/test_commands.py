"""loadplan, checkplan and exportplan: the command contract the README documents."""

import copy
import json

import pytest
from django.core.management import CommandError
from django.db import IntegrityError, transaction

from plan.loader import load_plan
from plan.models import BudgetLine, Measure, Plan, PolicyGoal
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


def test_loadplan_restores_edited_rows_in_place(plan):
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 1
    line.save()
    Measure.objects.filter(code="2-1-1-m2").delete()
    output = command_output("loadplan")
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


def test_loadplan_is_one_transaction(plan, plan_document):
    broken = copy.deepcopy(plan_document)
    broken["goals"][0]["text"] = "已修改"
    broken["budget"][0]["measures"] = []
    broken["budget"][0]["children"][0]["measures"][0]["name"] = ""  # violates a constraint
    with pytest.raises(Exception):  # noqa: B017 - any database error must roll everything back
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
