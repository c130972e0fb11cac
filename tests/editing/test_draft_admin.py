"""What the admin shows an editor working in a draft: a 類 or 項 with its children and their sum,
amounts with separators, the changed characters in a record's history, the goal links removed
by a publish, and a revert made in a draft as the public log shows it (docs/editing.md)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plan.models import BudgetLine, GoalMeasure, Measure, PolicyGoal
from tests.support.admin import (
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    edit_in_draft,
    form_data,
    logged_in_client,
    post_change,
    publish,
    published,
)
from tests.support.html import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return create_editor("draft-admin-editor", "draft-admin-editor-pass-5812")


@pytest.fixture
def editor_client(editor):
    return logged_in_client(editor)


def changelist_rows(html: str) -> list[dict[str, str]]:
    """The changelist's rows as {column: text}, in the order shown."""
    body = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r'<t[hd] class="field-([\w]+)"[^>]*>(.*?)</t[hd]>', row, flags=re.S)
        rows.append({name: text_of(value) for name, value in cells})
    return rows


def children_sum(html: str) -> tuple[list[tuple[str, str, str]], str]:
    """The readonly 「下層項目與合計」 of a budget line's form: (link, label, amount) of each
    child, and the footer's text."""
    assert "下層項目與合計" in html
    table = re.search(r'<table class="children-sum">(.*?)</table>', html, re.S)
    assert table, "no table of the children and their sum"
    rows = re.findall(
        r'<tr><td><a href="([^"]+)">(.*?)</a></td><td class="amount">(.*?)</td></tr>',
        table.group(1),
    )
    footer = re.search(r"<tfoot>(.*?)</tfoot>", table.group(1), re.S).group(1)
    return [(url, text_of(label), text_of(amount)) for url, label, amount in rows], text_of(footer)


def removed_links(client, record) -> str:
    """The text of the readonly 「已刪除的對應」 on a goal's or a measure's form."""
    html = client.get(change_url(record)).content.decode()
    pattern = r'<div class="[^"]*field-removed_links[^"]*">(.*?)</div>\s*</div>'
    field = re.search(pattern, html, re.S)
    assert field, "no 已刪除的對應 on the form"
    text = " ".join(text_of(field.group(1)).split())
    return text.removeprefix("已刪除的對應").strip(" :：")


def history_page(client, obj) -> str:
    response = client.get(reverse(f"admin:plan_{obj._meta.model_name}_history", args=[obj.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- a 類 or 項 with its children and their sum ------------------------------------------------


def test_a_drafts_category_and_item_list_their_children_and_their_sum(editor_client):
    item = draft_copy(editor_client, published(BudgetLine, code="2-2"))
    children = list(BudgetLine.objects.filter(parent=item).order_by("position"))
    assert len(children) == 11
    rows, footer = children_sum(editor_client.get(change_url(item)).content.decode())
    assert [(url, label) for url, label, _amount in rows] == [
        (change_url(child), child.label) for child in children
    ]
    assert ("(三)外事業務", "688") in [(label, amount) for _url, label, amount in rows]
    assert footer == "合計（＝ 本項金額）387,350"

    category = BudgetLine.objects.get(plan=item.plan, code="2")
    rows, footer = children_sum(editor_client.get(change_url(category)).content.decode())
    assert [(label, amount) for _url, label, amount in rows] == [
        ("一、本部室務行政", "42,668"),
        ("二、勤業務管理", "387,350"),
    ]
    assert footer == "合計（＝ 本項金額）430,018"

    # A child changed in the draft: the parent's form says its sum no longer holds.
    line = BudgetLine.objects.get(plan=item.plan, code="2-2-3")
    assert post_change(editor_client, line, amount="700").status_code == 302
    rows, footer = children_sum(editor_client.get(change_url(item)).content.decode())
    assert ("(三)外事業務", "700") in [(label, amount) for _url, label, amount in rows]
    assert footer == "合計（≠ 本項金額，請修正）387,362"
    assert "（無下層項目）" in editor_client.get(change_url(line)).content.decode()


# --- amounts ----------------------------------------------------------------------------------


def test_the_budget_line_list_shows_amounts_with_separators_for_each_version(editor_client):
    copy = edit_in_draft(editor_client, published(BudgetLine, code="2-1-1"), amount="1953")
    plan = published(BudgetLine, code="2-1-1").plan
    html = editor_client.get(f"/admin/plan/budgetline/?plan={copy.plan_id}").content.decode()
    rows = {row["code"]: row for row in changelist_rows(html)}
    assert len(rows) == 42
    assert rows["2-1-1"]["shown_amount"] == "1,953"
    assert rows["1"]["shown_amount"] == "850,994"
    assert rows["2-1-1"]["version"] == f"114 年度修正草稿 #{draft_of(copy).pk}"

    html = editor_client.get(f"/admin/plan/budgetline/?plan={plan.pk}").content.decode()
    rows = {row["code"]: row for row in changelist_rows(html)}
    assert rows["2-1-1"]["shown_amount"] == "953"
    assert rows["2"]["shown_amount"] == "430,018"
    assert rows["2-1-1"]["version"] == "114 年度（已發布）"


@pytest.mark.parametrize("typed", ["1,953", "1953", "1，953", "1 953"])
def test_an_amount_is_accepted_with_or_without_separators(editor_client, typed):
    copy = draft_copy(editor_client, published(BudgetLine, code="2-1-1"))
    page = editor_client.get(change_url(copy)).content.decode()
    assert form_data(page)["amount"] == "953"
    assert post_change(editor_client, copy, amount=typed).status_code == 302
    copy.refresh_from_db()
    assert copy.amount == 1953
    assert form_data(editor_client.get(change_url(copy)).content.decode())["amount"] == "1,953"


# --- a draft record's history -----------------------------------------------------------------


def test_the_history_of_a_draft_record_marks_the_changed_characters(editor_client):
    measure = published(Measure, code="2-2-3-m1")
    first = measure.objectives.replace("安全維護", "安全維護與聯繫", 1)
    copy = edit_in_draft(editor_client, measure, objectives=first)
    second = first.replace("與聯繫", "及協調", 1)
    assert post_change(editor_client, copy, objectives=second).status_code == 302
    html = history_page(editor_client, copy)
    assert "計畫目標" in html
    assert "<del>與聯繫</del>" in html and "<ins>及協調</ins>" in html

    line = edit_in_draft(editor_client, published(BudgetLine, code="2-2-3"), amount="1953")
    assert post_change(editor_client, line, amount="2,000").status_code == 302
    assert "1,953 千元" in text_of(history_page(editor_client, line))
    assert "2,000 千元" in text_of(history_page(editor_client, line))


def test_the_first_edit_in_a_draft_is_shown_in_its_history_and_can_be_reverted(editor_client):
    measure = published(Measure, code="2-2-3-m1")
    published_text = measure.objectives
    changed = published_text.replace("安全維護", "安全維護與聯繫", 1)
    copy = edit_in_draft(editor_client, measure, objectives=changed)
    html = history_page(editor_client, copy)
    assert "<ins>與聯繫</ins>" in html
    assert copy.history.filter(objectives=published_text).exists()


# --- goal links removed -----------------------------------------------------------------------


def test_a_goals_admin_page_lists_the_links_a_publish_removed(editor_client):
    goal = published(PolicyGoal, number=11)
    measure = published(Measure, code="2-2-3-m1")
    link = GoalMeasure.objects.get(goal=goal, measure=measure)
    assert removed_links(editor_client, goal) == "（無）"

    goal_copy = draft_copy(editor_client, goal)
    link_copy = GoalMeasure.objects.get(goal=goal_copy, measure__code="2-2-3-m1")
    url = reverse("admin:plan_goalmeasure_delete", args=[link_copy.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    label = "提要十一 ↔ 1.外國駐華機構及其所屬官員安全維護"
    assert removed_links(editor_client, goal) == "（無）"  # removed in the draft only
    response = publish(editor_client, draft_of(goal_copy), "移除對應")
    assert response.status_code == 302, response.content.decode()[:3000]

    removed = GoalMeasure.history.get(id=link.pk, history_type="-")
    history_url = reverse("admin:plan_goalmeasure_simple_history", args=[link.pk, removed.pk])
    for record in (goal, measure):
        html = editor_client.get(change_url(record)).content.decode()
        assert f'<a href="{history_url}">{label}</a>' in html, record
        shown = removed_links(editor_client, record)
        assert re.fullmatch(rf"{re.escape(label)}（\d{{4}}-\d\d-\d\d \d\d:\d\d 刪除）", shown)
    assert editor_client.get(history_url).status_code == 200


def test_the_removed_links_say_when_in_the_sites_time_zone(editor_client):
    goal = published(PolicyGoal, number=11)
    goal_copy = draft_copy(editor_client, goal)
    GoalMeasure.objects.get(goal=goal_copy, measure__code="2-2-3-m1").delete()
    assert publish(editor_client, draft_of(goal_copy), "移除對應").status_code == 302
    removed = GoalMeasure.history.get(goal_id=goal.pk, history_type="-")
    local = timezone.localtime(removed.history_date)
    assert f"（{local:%Y-%m-%d %H:%M} 刪除）" in removed_links(editor_client, goal)


# --- a revert in a draft, published -----------------------------------------------------------


def test_a_revert_in_a_draft_is_shown_as_a_revert_in_the_public_log(client, editor_client):
    measure = published(Measure, code="2-2-3-m1")
    old_text = measure.objectives
    kept = "加強外國駐華機構安全維護（保留的修訂）。"
    copy = edit_in_draft(editor_client, measure, objectives=kept)
    version = copy.history.latest("history_date")
    assert post_change(editor_client, copy, objectives="不要的修訂。").status_code == 302
    revert_url = reverse("admin:plan_measure_simple_history", args=[copy.pk, version.pk])
    data = form_data(editor_client.get(revert_url).content.decode())
    assert data["objectives"] == kept
    data["change_reason"] = "回到前一版"
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    response = publish(editor_client, draft_of(copy), "修正計畫目標")
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/114/changes/").content.decode()
    entry = html.split('<ol class="revisions">', 1)[1].split("</li>", 1)[0]
    assert "發布理由：修正計畫目標" in text_of(entry)
    assert '<strong class="revert-mark">還原舊版本</strong>' in entry
    note = re.search(r'<p class="record-note">(.*?)</p>', entry, re.S).group(1)
    assert text_of(note) == "還原舊版本 修改理由：還原舊版本：回到前一版"
    assert old_text in text_of(entry) and kept in text_of(entry)
    assert "不要的修訂" not in html


# --- the plan of a draft's goal ----------------------------------------------------------------


def test_a_drafts_goal_cannot_be_moved_to_another_plan(editor):
    client = logged_in_client(editor, raise_request_exception=False)
    goal = published(PolicyGoal, number=4)
    copy = draft_copy(client, goal)
    GoalMeasure.objects.filter(goal=copy).delete()
    page = client.get(change_url(copy)).content.decode()
    assert 'name="plan"' not in page
    data = form_data(page)
    data["plan"] = str(goal.plan_id)
    assert client.post(change_url(copy), data).status_code in {200, 302}
    copy.refresh_from_db()
    assert not copy.plan.published
