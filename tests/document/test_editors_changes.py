"""loadplan and what editors published: kept and listed by a bare load, replaced (and said so
in the public log) with --replace-edited; and a document whose sums are broken is refused
(docs/data.md, "Editors' changes and reloads" and "Sums")."""

import copy
import json

import pytest
from django.core.management import CommandError

from plan.document.contract import dump
from plan.document.rules import broken_sums_in
from plan.models import BudgetLine, DataLoad, GoalMeasure, Measure, PolicyGoal
from tests.document.test_commands import published_state
from tests.support.admin import (
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    edit_and_publish,
    form_data,
    logged_in_client,
    publish,
)
from tests.support.commands import command_output

pytestmark = pytest.mark.django_db

NOTE = "本項金額含追加預算，編者註。"


@pytest.fixture
def editor_client(db):
    return logged_in_client(create_editor("loader-editor", "loader-editor-pass-5531"))


def set_editor_note(client, code: str, note: str = NOTE) -> BudgetLine:
    """An editor's note published as editors publish: through a draft."""
    line = BudgetLine.objects.get(code=code)
    edit_and_publish(client, line, "補充編者註", editor_note=note)
    line.refresh_from_db()
    assert line.editor_note == note
    return line


def fixture_file(tmp_path, document, name="plan.json"):
    path = tmp_path / name
    path.write_text(dump(document), encoding="utf-8")
    return path


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def line_of(document, code):
    return next(node for node in walk(document["budget"]) if node["code"] == code)


def public_log(client, query=""):
    return client.get(f"/114/changes/{query}").content.decode()


# --- editors' changes ------------------------------------------------------------------------


def test_an_editor_note_set_in_the_admin_survives_a_bare_loadplan_and_is_listed(
    editor_client, plan
):
    set_editor_note(editor_client, "2-1-1")
    output = command_output("loadplan")
    assert BudgetLine.objects.get(code="2-1-1").editor_note == NOTE
    assert "資料已是最新，沒有變更" in output
    assert "保留編者的修改" in output and "--replace-edited" in output
    assert "預算項目 2-1-1「(一)公關事務」：檔案會改 編者註（editor_note）" in output
    load = DataLoad.objects.latest()
    assert not load.changed
    assert "保留編者修改 1 筆：2-1-1 會改 編者註（editor_note）" in load.summary
    # Nothing was undone, so the public log has the edit and nothing after it.
    assert "・重新載入" not in public_log(editor_client, "?code=2-1-1")


def test_replace_edited_replaces_it_and_the_public_log_says_so(editor_client, client, plan):
    set_editor_note(editor_client, "2-1-1")
    output = command_output("loadplan", replace_edited=True)
    assert BudgetLine.objects.get(code="2-1-1").editor_note == ""
    assert "以資料檔取代編者的修改 1 筆" in output
    assert "更新 預算項目 1" in output
    assert "取代編者修改 1 筆" in DataLoad.objects.latest().summary
    assert "重新載入，取代編者修改" in public_log(client, "?code=2-1-1")
    # The record is the file's again: the next bare load finds nothing of the editor's.
    assert "保留編者" not in command_output("loadplan")


def test_a_record_only_the_loader_wrote_still_follows_the_file(
    editor_client, plan, plan_document, tmp_path
):
    set_editor_note(editor_client, "2-1-1")
    document = copy.deepcopy(plan_document)
    line_of(document, "2-1-1")["editor_note"] = "檔案的說明。"
    line_of(document, "2-1-2")["editor_note"] = "檔案的另一個說明。"
    output = command_output("loadplan", fixture=fixture_file(tmp_path, document))
    assert BudgetLine.objects.get(code="2-1-2").editor_note == "檔案的另一個說明。"
    assert BudgetLine.objects.get(code="2-1-1").editor_note == NOTE
    assert "更新 預算項目 1" in output
    assert "2-1-1「(一)公關事務」：檔案會改 編者註（editor_note）" in output


def test_a_record_an_editor_changed_is_not_deleted_with_the_file(
    editor_client, plan, plan_document, tmp_path
):
    line = set_editor_note(editor_client, "2-1-1")
    document = copy.deepcopy(plan_document)
    item = line_of(document, "2-1")
    item["children"] = [child for child in item["children"] if child["code"] != "2-1-1"]
    item["amount"] = sum(child["amount"] for child in item["children"])
    category = line_of(document, "2")
    category["amount"] = sum(child["amount"] for child in category["children"])
    document["plan"]["total_amount"] = sum(node["amount"] for node in document["budget"])
    for goal in document["goals"]:
        goal["measures"] = [code for code in goal["measures"] if not code.startswith("2-1-1-")]
    output = command_output("loadplan", fixture=fixture_file(tmp_path, document))
    assert BudgetLine.objects.filter(pk=line.pk, editor_note=NOTE).exists()
    assert "預算項目 2-1-1「(一)公關事務」：檔案會刪除" in output
    command_output("loadplan", fixture=fixture_file(tmp_path, document), replace_edited=True)
    assert not BudgetLine.objects.filter(code="2-1-1").exists()


def remove_link_in_admin(client, goal_number: int) -> GoalMeasure:
    """Remove the goal's first link in a draft, and publish it."""
    goal = PolicyGoal.objects.get(number=goal_number)
    removed = goal.measure_links.order_by("measure__sequence").first()
    copy = draft_copy(client, goal)
    links = list(copy.measure_links.order_by("measure__sequence"))
    url = change_url(copy)
    data = form_data(client.get(url).content.decode())
    ids = [data[f"measure_links-{index}-id"] for index in range(len(links))]
    data[f"measure_links-{ids.index(str(links[0].pk))}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert publish(client, draft_of(copy), "調整提要對應").status_code == 302
    assert not GoalMeasure.objects.filter(pk=removed.pk).exists()
    return removed


def test_a_goal_link_an_editor_removed_stays_removed(editor_client, plan):
    removed = remove_link_in_admin(editor_client, 4)
    pair = {"goal_id": removed.goal_id, "measure_id": removed.measure_id}
    output = command_output("loadplan")
    assert not GoalMeasure.objects.filter(**pair).exists()
    code = Measure.objects.get(pk=removed.measure_id).code
    assert f"提要對應 4↔{code}" in output and "會加回（編者移除的對應）" in output
    assert "沒有變更" in command_output("loadplan")  # and again
    command_output("loadplan", replace_edited=True)
    assert GoalMeasure.objects.filter(**pair).exists()
    assert "保留編者" not in command_output("loadplan")


def test_a_goal_link_an_editor_added_stays(editor_client, plan):
    goal = PolicyGoal.objects.get(number=4)
    measure = Measure.objects.get(code="2-1-2-m2")
    copy = draft_copy(editor_client, goal)
    url = change_url(copy)
    data = form_data(editor_client.get(url).content.decode())
    extra = int(data["measure_links-TOTAL_FORMS"])
    data["measure_links-TOTAL_FORMS"] = str(extra + 1)
    data[f"measure_links-{extra}-goal"] = str(copy.pk)
    data[f"measure_links-{extra}-measure"] = str(
        Measure.objects.get(plan=copy.plan, code="2-1-2-m2").pk
    )
    assert editor_client.post(url, data).status_code == 302
    assert publish(editor_client, draft_of(copy), "新增提要對應").status_code == 302
    assert GoalMeasure.objects.filter(goal=goal, measure=measure).exists()
    output = command_output("loadplan")
    assert GoalMeasure.objects.filter(goal=goal, measure=measure).exists()
    assert "提要對應 4↔2-1-2-m2" in output and "會移除（編者新增的對應）" in output
    command_output("loadplan", replace_edited=True)
    assert not GoalMeasure.objects.filter(goal=goal, measure=measure).exists()


# --- sums --------------------------------------------------------------------------------------


def test_the_published_document_has_no_broken_sums(plan_document):
    assert broken_sums_in(plan_document) == []


def test_loadplan_refuses_a_broken_sum_naming_it_and_changes_nothing(plan, plan_document, tmp_path):
    document = copy.deepcopy(plan_document)
    line_of(document, "2-1-1")["amount"] += 1  # 955 against its 項 and its own 目
    before = published_state()
    with pytest.raises(CommandError) as refused:
        command_output("loadplan", fixture=fixture_file(tmp_path, document))
    message = str(refused.value)
    assert "\n" not in message
    assert "施政計畫 kcpd-114 有 1 處金額不等於下層合計，沒有載入" in message
    line = BudgetLine.objects.get(code="2-1")
    total = line.amount + 1
    assert f"預算項目 2-1「{line.label}」{line.amount:,} 千元 ≠ 下層合計 {total:,} 千元" in message
    assert "sum_differs_in_source" in message
    assert published_state() == before


def test_loadplan_refuses_a_plan_total_that_is_not_the_sum_of_its_categories(
    plan, plan_document, tmp_path
):
    document = copy.deepcopy(plan_document)
    document["plan"]["total_amount"] += 10
    before = published_state()
    with pytest.raises(CommandError, match="施政計畫 kcpd-114「總額」"):
        command_output("loadplan", fixture=fixture_file(tmp_path, document))
    assert published_state() == before


def test_a_mismatch_marked_as_the_sources_own_loads_and_passes_checkplan(
    plan, plan_document, tmp_path
):
    document = copy.deepcopy(plan_document)
    item = line_of(document, "2-1")
    item["children"][0]["amount"] += 1
    item["sum_differs_in_source"] = True
    item["editor_note"] = "原文所載本項金額與下層合計相差 1 千元，照錄原文。"
    document = json.loads(dump(document))
    command_output("loadplan", fixture=fixture_file(tmp_path, document))
    line = BudgetLine.objects.get(code="2-1")
    assert line.sum_differs_in_source
    output = command_output("checkplan")
    assert "原文如此" in output and "all checks passed" in output
    exported = json.loads(command_output("exportplan"))
    assert exported == document  # the mark goes out as it came in


def test_a_marked_mismatch_needs_an_editor_note(plan, plan_document, tmp_path):
    document = copy.deepcopy(plan_document)
    item = line_of(document, "2-1")
    item["children"][0]["amount"] += 1
    item["sum_differs_in_source"] = True
    with pytest.raises(CommandError, match="預算項目 2-1 的 editor_note"):
        command_output("loadplan", fixture=fixture_file(tmp_path, document))
