"""The Django admin for the department's editors: permissions, the tree-shaped budget list,
editing with history and revert, broken-sum warnings, bad input, who gets in, ADMIN_URL.

See docs/editing.md. django-axes needs the request to authenticate, so logged-in
tests use `force_login`; the login test posts to the real admin login form (throttling and the
password policy: tests/editing/test_login.py).
"""

import importlib.util
import re
import sys

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.urls import reverse

from plan.models import BudgetLine, GoalMeasure, Measure, PolicyGoal
from tests.support.admin import (
    EDITOR_GROUP,
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    edit_amount_in_draft,
    form_data,
    logged_in_client,
    post_change,
    publish,
    published,
)
from tests.support.commands import command_output, run_manage
from tests.support.html import text_of

pytestmark = pytest.mark.django_db

EDITOR_USERNAME = "staff-editor-3"
EDITOR_PASSWORD = "editor-pass-9471-long"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


# --- helpers ---------------------------------------------------------------------------------


def changelist_rows(html: str) -> list[dict[str, str]]:
    """The changelist's rows as {column: text}, in the order shown."""
    body = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r'<t[hd] class="field-([\w]+)"[^>]*>(.*?)</t[hd]>', row, flags=re.S)
        rows.append({name: text_of(value) for name, value in cells})
    return rows


def page_messages(html: str) -> list[str]:
    block = re.search(r'<ul class="messagelist">(.*?)</ul>', html, flags=re.S)
    if not block:
        return []
    return [text_of(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)]


def shown_objectives(client, code: str) -> str:
    """The 計畫目標 a measure's public page shows (not the source excerpt below it)."""
    html = client.get(f"/114/measures/{code}/").content.decode()
    match = re.search(r'<h2>計畫目標</h2><div class="doc-text"[^>]*>(.*?)</div>', html, flags=re.S)
    assert match, "the measure page shows no 計畫目標"
    return text_of(match.group(1))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return create_editor(EDITOR_USERNAME, EDITOR_PASSWORD)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def quiet_editor_client(editor):
    """Logged in as the editor, and a server error comes back as a 500 instead of raising."""
    return logged_in_client(editor, raise_request_exception=False)


# --- the editor group ------------------------------------------------------------------------


def test_the_migrations_give_the_editor_group_drafts_but_no_deleting_of_content():
    group = Group.objects.get(name=EDITOR_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    for model in ("policygoal", "budgetline", "measure"):
        assert ("plan", f"view_{model}") in codenames
        assert ("plan", f"change_{model}") in codenames  # a draft's copy (published: read-only)
        assert ("plan", f"delete_{model}") not in codenames
        assert ("plan", f"add_{model}") not in codenames
    for action in ("view", "add", "change", "delete"):
        assert ("plan", f"{action}_goalmeasure") in codenames
    # 0010_editor_drafts: editors open, change, publish and discard drafts, read the
    # publications, and change a draft's plan row (its total).
    for action in ("view", "add", "change", "delete", "publish"):
        assert ("plan", f"{action}_draft") in codenames
    assert ("plan", "view_publication") in codenames
    assert ("plan", "change_plan") in codenames
    assert not {"add_publication", "change_publication", "delete_publication"} & {
        codename for _app, codename in codenames
    }
    assert not [codename for app, codename in codenames if app != "plan"]
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    # Nobody in the group may add or delete a plan, or touch the record of reloads.
    assert not {"add_plan", "delete_plan", "add_dataload", "change_dataload"} & {
        codename for _app, codename in codenames
    }


def test_an_editor_has_the_documented_permissions(editor):
    assert editor.has_perm("plan.change_budgetline")
    assert editor.has_perm("plan.change_measure")
    assert editor.has_perm("plan.change_policygoal")
    assert editor.has_perm("plan.delete_goalmeasure")
    assert not editor.has_perm("plan.delete_budgetline")
    assert not editor.has_perm("plan.delete_measure")
    assert not editor.has_perm("plan.delete_policygoal")
    assert not editor.has_perm("plan.add_budgetline")
    assert not editor.has_perm("auth.view_user")
    assert not editor.has_perm("auth.change_group")
    assert not editor.is_superuser


# --- what an editor sees ---------------------------------------------------------------------


def test_the_editor_can_open_the_admin_index(editor_client):
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "資料維護" in html
    for path in ("budgetline", "measure", "policygoal", "goalmeasure"):
        assert f"/admin/plan/{path}/" in html
    assert "/admin/auth/user/" not in html


def test_the_budget_line_list_is_the_tree_in_document_order(editor_client):
    response = editor_client.get("/admin/plan/budgetline/")
    assert response.status_code == 200
    rows = changelist_rows(response.content.decode())
    assert len(rows) == BudgetLine.objects.count() == 42  # all on one page
    first = [
        (row["indented_label"], row["code"], row["shown_amount"], row["child_count"])
        for row in rows[:5]
    ]
    assert first == [
        ("壹、一般行政", "1", "850,994", "1"),
        ("\u3000行政管理", "1-1", "850,994", "0"),
        ("貳、警政警衛實施", "2", "430,018", "2"),
        ("\u3000一、本部室務行政", "2-1", "42,668", "9"),
        ("\u3000\u3000(一)公關事務", "2-1-1", "953", "0"),
    ]
    assert rows[4]["measure_count"] == "3"
    assert rows[0]["level"] == "類" and rows[1]["level"] == "項" and rows[4]["level"] == "目"
    assert [row["code"] for row in rows] == list(
        BudgetLine.objects.order_by("sequence").values_list("code", flat=True)
    )


def test_the_budget_line_list_filters_by_category_and_level_and_searches(editor_client):
    category = changelist_rows(
        editor_client.get("/admin/plan/budgetline/?category=2").content.decode()
    )
    codes = [row["code"] for row in category]
    assert codes[0] == "2" and all(code == "2" or code.startswith("2-") for code in codes)
    assert len(codes) == BudgetLine.objects.filter(code__regex=r"^2(-|$)").count()

    for query in ("?level=subitem", "?level__exact=subitem"):
        rows = changelist_rows(
            editor_client.get(f"/admin/plan/budgetline/{query}").content.decode()
        )
        assert {row["level"] for row in rows} == {"目"}
        assert len(rows) == BudgetLine.objects.filter(level="subitem").count()

    rows = changelist_rows(editor_client.get("/admin/plan/budgetline/?q=外事").content.decode())
    assert [(row["code"], row["indented_label"]) for row in rows] == [
        ("2-2-3", "\u3000\u3000(三)外事業務")
    ]


def test_the_editor_can_open_the_change_forms_with_their_inlines_in_a_draft(editor_client):
    # A published record's page opens read-only, with the way into a draft.
    for record in (
        published(BudgetLine, code="2-2-3"),
        published(Measure, code="2-2-3-m1"),
        published(PolicyGoal, number=4),
    ):
        response = editor_client.get(change_url(record))
        assert response.status_code == 200
        html = response.content.decode()
        assert "在修正草稿中修改" in html
        assert "<textarea" not in html and 'name="change_reason"' not in html  # nothing to edit

    line = draft_copy(editor_client, published(BudgetLine, code="2-2-3"))
    html = editor_client.get(change_url(line)).content.decode()
    assert 'name="amount"' in html and 'name="amount_source"' in html
    assert 'name="change_reason"' in html
    assert "measures-TOTAL_FORMS" in html  # the line's measures, inline

    measure = draft_copy(editor_client, published(Measure, code="2-2-3-m1"))
    assert measure.plan_id == line.plan_id  # the same draft
    response = editor_client.get(change_url(measure))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="objectives"' in html
    assert "goal_links-TOTAL_FORMS" in html and "對應的施政計畫提要" in html

    goal = draft_copy(editor_client, published(PolicyGoal, number=4))
    response = editor_client.get(change_url(goal))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="text"' in html
    assert "measure_links-TOTAL_FORMS" in html and "對應的計畫項目" in html

    for model in ("budgetline", "measure", "policygoal", "goalmeasure", "dataload", "draft"):
        assert editor_client.get(f"/admin/plan/{model}/").status_code == 200


# --- editing, history and revert --------------------------------------------------------------


def test_an_edited_measure_is_public_once_published_recorded_in_history_and_revertible_in_a_draft(
    client, editor_client, editor
):
    measure = published(Measure, code="2-2-3-m1")
    old_text = measure.objectives
    new_text = "加強外國駐華機構安全維護（測試修訂）。"
    copy = draft_copy(editor_client, measure)
    response = post_change(editor_client, copy, objectives=new_text, change_reason="文字修訂")
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    assert copy.objectives == new_text
    measure.refresh_from_db()
    assert measure.objectives == old_text
    assert shown_objectives(client, "2-2-3-m1") == old_text  # saved in the draft: not public

    first = copy.history.latest("history_date")
    assert first.history_type == "~" and first.history_user == editor
    assert first.history_change_reason == "文字修訂"

    # A second edit in the draft, then back to the first through simple-history's revert view.
    second_text = "第二次修訂，後來不要了。"
    assert post_change(editor_client, copy, objectives=second_text).status_code == 302
    history = editor_client.get(f"/admin/plan/measure/{copy.pk}/history/")
    assert history.status_code == 200
    history_html = history.content.decode()
    assert "計畫目標" in history_html and second_text in text_of(history_html)
    assert "文字修訂" in history_html  # the reason given with the first save
    assert EDITOR_USERNAME in history_html  # the admin knows who did it
    revert_url = f"/admin/plan/measure/{copy.pk}/history/{first.history_id}/"
    assert f'href="{revert_url}"' in history_html
    form = editor_client.get(revert_url)
    assert form.status_code == 200
    data = form_data(form.content.decode())
    assert data["objectives"] == new_text
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    assert copy.objectives == new_text
    # The published version the copy started from, the edit, the second edit and the revert:
    # reverting is itself a recorded change.
    rows = list(copy.history.order_by("history_date"))
    assert [row.history_type for row in rows] == ["+", "~", "~", "~"]
    assert rows[-1].history_user == editor
    assert rows[-1].history_change_reason.startswith("還原舊版本")
    assert shown_objectives(client, "2-2-3-m1") == old_text

    # A published record's history is read-only: its revert is refused.
    initial = measure.history.get()
    published_url = f"/admin/plan/measure/{measure.pk}/history/{initial.history_id}/"
    page = editor_client.get(published_url)
    assert page.status_code == 200
    assert editor_client.post(published_url, form_data(page.content.decode())).status_code == 403
    measure.refresh_from_db()
    assert measure.objectives == old_text

    response = publish(editor_client, draft_of(copy), "更正外事業務的計畫目標")
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert measure.objectives == new_text
    assert shown_objectives(client, "2-2-3-m1") == new_text
    # The initial load and the publish.
    assert list(
        measure.history.order_by("history_date").values_list("history_type", flat=True)
    ) == ["+", "~"]
    assert measure.history.latest("history_date").history_user == editor


def test_a_broken_sum_is_kept_in_the_draft_with_a_warning_and_a_panel_and_is_not_published(
    client, editor_client
):
    assert "all checks passed" in command_output("checkplan")  # the published data passes
    line = published(BudgetLine, code="2-2-3")
    assert line.amount == 688
    copy = draft_copy(editor_client, line)
    draft = draft_of(copy)
    parent = BudgetLine.objects.get(plan=draft.plan, code="2-2")
    broken = "二、勤業務管理（2-2）387,350 千元 ≠ 下層合計 387,362 千元"
    response = post_change(editor_client, copy, amount="700")
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    assert copy.amount == 700
    line.refresh_from_db()
    assert line.amount == 688

    following = editor_client.get(response["Location"]).content.decode()
    warnings = [message for message in page_messages(following) if "上層金額" in message]
    assert len(warnings) == 1
    assert broken in warnings[0]
    # The warning names the draft and links to the line to fix; checkplan, which checks the
    # published data, has nothing to report (it used to be named here).
    assert f"已存入114 年度修正草稿 #{draft.pk}" in warnings[0]
    assert "checkplan" not in warnings[0]
    messages_html = following.split('<ul class="messagelist">', 1)[1].split("</ul>", 1)[0]
    assert f'href="{change_url(parent)}"' in messages_html

    # The panel is on the draft's records, not on the published lists and records.
    for record in (copy, parent):
        page = editor_client.get(change_url(record)).content.decode()
        assert 'class="integrity-panel"' in page
        panel = page.split('class="integrity-panel"', 1)[1].split("</div>", 1)[0]
        assert broken in panel and f'href="{change_url(parent)}"' in panel
    for url in ("/admin/plan/budgetline/", "/admin/plan/measure/", change_url(line)):
        assert 'class="integrity-panel"' not in editor_client.get(url).content.decode()
    assert "all checks passed" in command_output("checkplan")

    response = publish(editor_client, draft, "追加預算")
    assert response.status_code == 400
    assert "檢查未通過" in response.content.decode()
    line.refresh_from_db()
    assert line.amount == 688
    assert (
        '<small class="exact">688 千元</small>' in client.get("/114/budget/2-2-3/").content.decode()
    )

    response = post_change(editor_client, copy, amount="688")
    assert response.status_code == 302
    following = editor_client.get(response["Location"]).content.decode()
    assert not [message for message in page_messages(following) if "上層金額" in message]
    assert 'class="integrity-panel"' not in editor_client.get(change_url(copy)).content.decode()
    assert 'class="integrity-panel"' not in editor_client.get(change_url(parent)).content.decode()
    assert "all checks passed" in command_output("checkplan")


CSV_URLS = (
    "/114/open-data/budget-lines.csv",
    "/114/budget/2-2/budget-lines.csv",
    "/114/budget/2-2-3/budget-lines.csv",
)


def _csv_row(client, url: str, code: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return next(row for row in response.content.decode().splitlines() if row.startswith(f"{code},"))


def test_public_pages_and_downloads_show_a_published_edit_immediately(editor_client):
    public = Client()
    # Fetch everything first, so that any cache now holds the old amount.
    first = public.get("/114/budget/2-2-3/")
    assert '<small class="exact">688 千元</small>' in first.content.decode()
    for url in CSV_URLS:
        assert ",688,derived," in _csv_row(public, url, "2-2-3")
    assert "688" in public.get("/114/budget/2-2/").content.decode()

    copy = edit_amount_in_draft(editor_client, published(BudgetLine, code="2-2-3"), 701)
    # Saved in the draft: the public still sees the published amount.
    assert (
        '<small class="exact">688 千元</small>' in public.get("/114/budget/2-2-3/").content.decode()
    )
    for url in CSV_URLS:
        assert ",688,derived," in _csv_row(public, url, "2-2-3"), url

    response = publish(editor_client, draft_of(copy), "追加預算")
    assert response.status_code == 302, response.content.decode()[:3000]
    page = public.get("/114/budget/2-2-3/").content.decode()
    assert '<small class="exact">701 千元</small>' in page
    assert '<small class="exact">688 千元</small>' not in page
    for url in CSV_URLS:
        assert ",701,derived," in _csv_row(public, url, "2-2-3"), url
    parent_table = public.get("/114/budget/2-2/").content.decode()
    assert "701" in parent_table
    # A browser or CDN revalidating its old copy gets the new page, not "304 Not Modified".
    if first.has_header("ETag"):
        again = public.get("/114/budget/2-2-3/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert '<small class="exact">701 千元</small>' in again.content.decode()


def test_a_removed_goal_link_leaves_the_public_pages_once_published(editor_client):
    public = Client()
    assert 'href="/114/measures/2-2-3-m1/"' in public.get("/114/goals/11/").content.decode()
    assert "\n11,2-2-3-m1," in public.get("/114/open-data/goal-measures.csv").content.decode()
    goal = draft_copy(editor_client, published(PolicyGoal, number=11))
    link = GoalMeasure.objects.get(goal=goal, measure__code="2-2-3-m1")
    url = reverse("admin:plan_goalmeasure_delete", args=[link.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not GoalMeasure.objects.filter(pk=link.pk).exists()
    # Removed in the draft only: the public pages keep the link until the draft is published.
    assert 'href="/114/measures/2-2-3-m1/"' in public.get("/114/goals/11/").content.decode()
    assert "\n11,2-2-3-m1," in public.get("/114/open-data/goal-measures.csv").content.decode()

    response = publish(editor_client, draft_of(goal), "修正提要對應")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert 'href="/114/measures/2-2-3-m1/"' not in public.get("/114/goals/11/").content.decode()
    assert "\n11,2-2-3-m1," not in public.get("/114/open-data/goal-measures.csv").content.decode()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "12.5"}, "amount"),
        ({"amount": "七百"}, "amount"),
        ({"amount": "99999999999999999999999"}, "amount"),
        ({"amount": "700", "amount_source": ""}, "amount_source"),
        ({"amount": "", "amount_source": "stated"}, "amount_source"),
    ],
    ids=["negative", "decimal", "words", "huge", "amount-without-source", "source-without-amount"],
)
def test_bad_amounts_re_render_the_form_with_an_error_and_save_nothing(
    quiet_editor_client, changes, field
):
    line = draft_copy(quiet_editor_client, published(BudgetLine, code="2-2-3"))
    history_before = line.history.count()
    response = post_change(quiet_editor_client, line, **changes)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'class="errornote"' in html
    assert re.search(rf'<div class="[^"]*errors[^"]*field-{field}\b', html), "no error on the field"
    line.refresh_from_db()
    assert (line.amount, line.amount_source) == (688, "derived")
    assert line.history.count() == history_before
    original = published(BudgetLine, code="2-2-3")
    assert (original.amount, original.amount_source) == (688, "derived")


def _state(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.mark.parametrize(
    "model, lookup, changes",
    [
        (BudgetLine, {"code": "2-2-3"}, {"name": ""}),
        (BudgetLine, {"code": "2-2-3"}, {"name": "   "}),
        (BudgetLine, {"code": "2-2-3"}, {"measures-0-name": ""}),
        (Measure, {"code": "2-2-3-m1"}, {"name": ""}),
        (Measure, {"code": "2-2-3-m1"}, {"objectives": "", "approach": "", "editor_note": ""}),
        (PolicyGoal, {"number": 1}, {"text": ""}),
        (PolicyGoal, {"number": 1}, {"text": " \n "}),
    ],
    ids=[
        "line-without-name",
        "line-with-blank-name",
        "inline-measure-without-name",
        "measure-without-name",
        "measure-without-any-text",
        "goal-without-text",
        "goal-with-blank-text",
    ],
)
def test_other_bad_input_re_renders_the_form_and_saves_nothing(
    quiet_editor_client, model, lookup, changes
):
    obj = draft_copy(quiet_editor_client, published(model, **lookup))
    measures = list(Measure.objects.filter(plan=obj.plan, budget_line__code="2-2-3").order_by("pk"))
    assert len(measures) == 11
    before = _state(obj), [_state(measure) for measure in measures]
    history_before = obj.history.count()
    response = post_change(quiet_editor_client, obj, **changes)
    assert response.status_code == 200, response.status_code
    assert 'class="errornote"' in response.content.decode()
    obj.refresh_from_db()
    for measure in measures:
        measure.refresh_from_db()
    assert (_state(obj), [_state(measure) for measure in measures]) == before
    assert obj.history.count() == history_before


# --- what an editor cannot do ----------------------------------------------------------------


@pytest.mark.parametrize("model", [BudgetLine, Measure, PolicyGoal])
def test_the_editor_cannot_delete_content(editor_client, model):
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:plan_{model._meta.model_name}_delete", args=[obj.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
    assert 'name="_delete"' not in editor_client.get(change_url(obj)).content.decode()
    assert "/delete/" not in editor_client.get(change_url(obj)).content.decode()


def test_the_editor_cannot_bulk_delete_from_the_list(editor_client):
    line = BudgetLine.objects.get(code="2-2-3")
    listing = editor_client.get("/admin/plan/budgetline/").content.decode()
    assert 'value="delete_selected"' not in listing
    response = editor_client.post(
        "/admin/plan/budgetline/",
        {"action": "delete_selected", "_selected_action": [line.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_the_editor_cannot_add_lines_or_manage_users(editor_client):
    assert editor_client.get("/admin/plan/budgetline/add/").status_code == 403
    assert editor_client.post("/admin/plan/budgetline/add/", {"name": "新項目"}).status_code == 403
    assert editor_client.get("/admin/plan/measure/add/").status_code == 403
    assert editor_client.get("/admin/plan/policygoal/add/").status_code == 403
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get("/admin/auth/user/add/").status_code == 403


def test_the_editor_may_remove_a_goal_link_in_a_draft_but_not_a_published_one(editor_client):
    link = GoalMeasure.objects.filter(goal__number=4, goal__plan__published=True).first()
    url = reverse("admin:plan_goalmeasure_delete", args=[link.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403

    goal = draft_copy(editor_client, link.goal)
    copy = GoalMeasure.objects.get(goal=goal, measure__code=link.measure.code)
    url = reverse("admin:plan_goalmeasure_delete", args=[copy.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not GoalMeasure.objects.filter(pk=copy.pk).exists()
    assert GoalMeasure.objects.filter(pk=link.pk).exists()  # until the draft is published


# --- who gets in -----------------------------------------------------------------------------


def _admin_pages() -> list[str]:
    pages = ["/admin/"]
    for model in admin.site._registry:
        pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return pages


def test_every_registered_model_has_a_changelist():
    pages = _admin_pages()
    for path in ("budgetline", "measure", "policygoal", "goalmeasure", "dataload", "plan"):
        assert f"/admin/plan/{path}/" in pages
    assert "/admin/auth/user/" in pages


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_only_staff_get_past_the_admin_login(client, who):
    if who == "non-staff":
        citizen = User.objects.create_user("citizen-1", password="citizen-pass-1234")
        client.force_login(citizen)
    for url in _admin_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), (url, response["Location"])


def test_the_login_form_lets_an_editor_in(client, editor):
    response = client.post(ADMIN_LOGIN, {"username": EDITOR_USERNAME, "password": EDITOR_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- ADMIN_URL -------------------------------------------------------------------------------


def test_the_admin_is_at_admin_by_default():
    assert reverse("admin:index") == "/admin/"
    assert reverse("admin:login") == "/admin/login/"


def test_admin_url_moves_the_admin(client, editor, monkeypatch):
    """ADMIN_URL is read once, at start: changing the variable takes a restart. Here the
    setting is read in a fresh process, and a fresh copy of the URLconf is imported with it."""
    shown = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ADMIN_URL)",
        ADMIN_URL="/secret-admin/",
    )
    assert shown.stdout.strip() == "secret-admin/", shown.stderr
    import config.urls

    with override_settings(ADMIN_URL="secret-admin/"):
        spec = importlib.util.spec_from_file_location("secret_admin_urls", config.urls.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, "secret_admin_urls", module)

    with override_settings(ROOT_URLCONF="secret_admin_urls", ADMIN_URL="secret-admin/"):
        assert reverse("admin:index") == "/secret-admin/"
        response = client.get("/secret-admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/secret-admin/login/")
        assert client.get("/admin/").status_code == 404
        assert client.get("/admin/login/").status_code == 404
        client.force_login(editor)
        assert client.get("/secret-admin/plan/budgetline/").status_code == 200
        assert client.get("/114/budget/2-2-3/").status_code == 200
        # robots.txt must not advertise the moved admin's address.
        assert "secret-admin" not in client.get("/robots.txt").content.decode()
    assert reverse("admin:index") == "/admin/"
