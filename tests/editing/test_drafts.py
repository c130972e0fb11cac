"""Drafts, preview and publishing: an editor's correction reaches the public whole, once, with
its reason, or not at all (docs/editing.md)."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from plan.models import BudgetLine, Draft, GoalMeasure, Measure, Plan, PolicyGoal, Publication
from tests.support.admin import (
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    edit_in_draft,
    logged_in_client,
    post_change,
    publish,
)
from tests.support.commands import command_output
from tests.support.html import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return create_editor("draft-editor", "draft-editor-pass-9471")


@pytest.fixture
def editor_client(editor):
    return logged_in_client(editor)


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_superuser("draft-admin", password="draft-admin-pass-9471")
    return logged_in_client(user)


def published(model, **lookups):
    """The published record (a draft holds a copy with the same code)."""
    return model.objects.get(plan__published=True, **lookups)


def shown_amount(client, path: str, code: str) -> str:
    """The amount a budget table on a public page shows for the line `code`."""
    html = client.get(path).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    row = next((r for r in rows if re.search(rf'href="[^"]*/budget/{re.escape(code)}/"', r)), None)
    assert row, f"no row for {code} on {path}"
    return text_of(row)


def total_on_home(client, prefix: str = "") -> str:
    html = client.get(f"{prefix}/114/").content.decode()
    return text_of(html)


def overview(client, draft) -> str:
    response = client.get(reverse("admin:plan_draft_change", args=[draft.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- published records are read-only ----------------------------------------------------------


def test_a_published_record_is_read_only_and_offers_a_draft(editor_client):
    line = published(BudgetLine, code="2-1-1")
    page = editor_client.get(change_url(line)).content.decode()
    assert "在修正草稿中修改" in page
    assert 'name="amount"' not in page  # no editable field
    response = editor_client.post(change_url(line), {"amount": "1953"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.amount == 953


def test_edit_in_draft_opens_one_draft_per_editor_and_plan(editor_client):
    line = published(BudgetLine, code="2-1-1")
    copy = draft_copy(editor_client, line)
    assert copy.pk != line.pk and copy.code == "2-1-1" and not copy.plan.published
    again = draft_copy(editor_client, published(BudgetLine, code="2-1"))
    assert again.plan_id == copy.plan_id
    assert Draft.objects.count() == 1
    draft = Draft.objects.get()
    plan = Plan.objects.get(published=True)
    assert draft.base == plan
    counts = [
        (model.objects.filter(plan=draft.plan).count(), model.objects.filter(plan=plan).count())
        for model in (PolicyGoal, BudgetLine, Measure)
    ]
    assert all(copied == published for copied, published in counts)
    links = GoalMeasure.objects.filter(goal__plan=draft.plan).count()
    assert links == GoalMeasure.objects.filter(goal__plan=plan).count() > 0


# --- the draft is not public; the preview shows it -------------------------------------------


def test_a_draft_edit_is_seen_in_the_preview_only(client, editor_client):
    line = published(BudgetLine, code="2-1-1")
    edit_in_draft(editor_client, line, amount="1,953")
    assert "1,953" not in shown_amount(client, "/114/budget/2-1/", "2-1-1")
    assert "953" in shown_amount(client, "/114/budget/2-1/", "2-1-1")

    preview = editor_client.get("/preview/114/budget/2-1/")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "1,953" in shown_amount(editor_client, "/preview/114/budget/2-1/", "2-1-1")
    assert "預覽" in text_of(html.split("<main", 1)[0])
    assert "no-store" in preview["Cache-Control"]
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    # Links stay in the preview.
    assert 'href="/preview/114/budget/2-1-1/"' in html
    assert 'href="/114/budget/2-1-1/"' not in html
    # The public page, asked again after the preview, is still the published one.
    assert "953" in shown_amount(client, "/114/budget/2-1/", "2-1-1")


def test_the_preview_needs_a_signed_in_editor(client, editor_client, editor):
    edit_in_draft(editor_client, published(BudgetLine, code="2-1-1"), amount="1953")
    response = client.get("/preview/114/budget/2-1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/preview/114/budget/2-1/")
    outsider = User.objects.create_user("reader", password="reader-pass-9471-x")
    assert logged_in_client(outsider).get("/preview/114/").status_code == 302
    assert editor_client.get("/preview/113/").status_code == 404
    assert editor_client.get("/preview/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/budget/",
        "/budget/2-1/",
        "/budget/lines/",
        "/goals/",
        "/goals/4/",
        "/measures/2-2-3-m1/",
        "/search/?q=詐騙",
        "/changes/",
        "/open-data/",
        "/about/",
    ],
)
def test_every_kind_of_page_can_be_previewed(editor_client, path):
    draft_copy(editor_client, published(BudgetLine, code="2-1-1"))
    response = editor_client.get(f"/preview/114{path}")
    assert response.status_code == 200, path
    assert "尚未發布" in response.content.decode()


# --- publishing -------------------------------------------------------------------------------


def test_publishing_a_supplementary_budget_applies_it_whole_with_one_log_event(
    client, editor_client
):
    plan = Plan.objects.get(published=True)
    total = plan.total_amount
    for code, amount in (("2-1-1", 1953), ("2-1", 43668), ("2", None)):
        line = BudgetLine.objects.get(plan=plan, code=code)
        new = amount if amount is not None else line.amount + 1000
        edit_in_draft(editor_client, line, amount=f"{new:,}", change_reason="追加預算")
    draft = Draft.objects.get()
    page = overview(editor_client, draft)
    # Every sum holds; only the plan's total differs from the sum of the 類, and the check
    # links to the plan's page, where the total is changed.
    checks = page.split("3. 檢查", 1)[1].split("4. 將發布的修改", 1)[0]
    assert "1 處未通過" in checks
    assert f'href="{change_url(draft.plan)}"' in checks
    # The plan's total is still the old one: the draft cannot be published yet.
    response = publish(editor_client, draft, "114 年度追加預算")
    assert response.status_code == 400
    assert "檢查未通過" in response.content.decode()
    assert plan.total_amount == Plan.objects.get(pk=plan.pk).total_amount

    draft_plan = draft.plan
    response = post_change(editor_client, draft_plan, total_amount=f"{total + 1000:,}")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = overview(editor_client, draft)
    assert "全部通過" in page
    assert "將發布的修改：4 筆" in page

    before = client.get("/114/changes/").content.decode()
    response = publish(editor_client, draft, "114 年度追加預算")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Clear-Site-Data"] == '"cache"'
    assert not Draft.objects.exists()
    assert not Plan.objects.filter(published=False).exists()

    plan.refresh_from_db()
    assert plan.total_amount == total + 1000
    assert "1,953" in shown_amount(client, "/114/budget/2-1/", "2-1-1")
    assert f"{total + 1000:,}" in text_of(client.get("/114/").content.decode())
    assert "all checks passed" in command_output("checkplan")

    publication = Publication.objects.get()
    assert publication.change_count == 4 and publication.reason == "114 年度追加預算"
    log = client.get("/114/changes/").content.decode()
    assert log != before
    entries = re.findall(r'<li id="[^"]+">', log)
    old_entries = re.findall(r'<li id="[^"]+">', before)
    assert len(entries) == len(old_entries) + 1  # one event for the whole publish
    assert "114 年度追加預算" in log and "追加預算" in log
    newest = text_of(log.split('<ol class="revisions">', 1)[1].split("</li>", 1)[0])
    assert "預算總額（千元）" in newest  # the plan record has no history: the publish keeps it
    assert f"{total:,} 千元" in newest and f"{total + 1000:,} 千元" in newest
    history = BudgetLine.objects.get(plan=plan, code="2-1-1").history.latest("history_date")
    assert history.history_change_reason == "追加預算"
    assert history.changeset == publication.changeset


def test_a_draft_with_a_broken_sum_is_refused_unless_a_superuser_overrides(
    client, editor_client, superuser_client
):
    edit_in_draft(editor_client, published(BudgetLine, code="2-1-1"), amount="1953")
    draft = Draft.objects.get()
    page = overview(editor_client, draft)
    assert "1 處未通過" in page
    line_copy = BudgetLine.objects.get(plan=draft.plan, code="2-1")
    assert f'href="{change_url(line_copy)}"' in page  # the check links to the line to fix

    response = publish(editor_client, draft, "更正")
    assert response.status_code == 400
    response = publish(editor_client, draft, "更正", override_sums="1")
    assert response.status_code == 400  # an editor cannot override
    assert "953" in shown_amount(client, "/114/budget/2-1/", "2-1-1")

    response = publish(superuser_client, draft, "依議會審定數字先行公開", override_sums="1")
    assert response.status_code == 302, response.content.decode()[:2000]
    publication = Publication.objects.get()
    assert publication.sums_overridden
    assert "1,953" in shown_amount(client, "/114/budget/2-1/", "2-1-1")
    assert "依議會審定數字先行公開" in client.get("/114/changes/").content.decode()


def test_the_second_of_two_drafts_is_refused_and_shows_what_changed(db):
    first = logged_in_client(create_editor("first-editor", "first-editor-pass-9471"))
    second = logged_in_client(create_editor("second-editor", "second-editor-pass-9471"))
    measure = Measure.objects.get(code="2-2-3-m1", plan__published=True)
    edit_in_draft(first, measure, editor_note="第一位編輯的說明")
    edit_in_draft(second, measure, editor_note="第二位編輯的說明")
    assert Draft.objects.count() == 2
    first_draft, second_draft = Draft.objects.order_by("pk")
    assert publish(first, first_draft, "補充說明").status_code == 302
    response = publish(second, second_draft, "補充說明")
    assert response.status_code == 409
    html = response.content.decode()
    assert "已有人發布了修改" in html and "補充說明" in html
    measure.refresh_from_db()
    assert measure.editor_note == "第一位編輯的說明"


def test_publishing_needs_a_reason_and_a_change(editor_client):
    copy = draft_copy(editor_client, published(BudgetLine, code="2-1-1"))
    draft = draft_of(copy)
    assert publish(editor_client, draft, "  ").status_code == 400
    response = publish(editor_client, draft, "沒有修改")
    assert response.status_code == 400
    assert "沒有可發布的修改" in response.content.decode()


def test_goal_links_added_and_removed_in_a_draft_are_published(client, editor_client):
    goal = PolicyGoal.objects.get(number=4, plan__published=True)
    copy = draft_copy(editor_client, goal)
    draft = draft_of(copy)
    removed = GoalMeasure.objects.filter(goal=copy).select_related("measure").first()
    kept_code = removed.measure.code
    removed.delete()
    extra = Measure.objects.get(plan=draft.plan, code="2-2-3-m1")
    if GoalMeasure.objects.filter(goal=copy, measure=extra).exists():
        extra = Measure.objects.get(plan=draft.plan, code="1-1-1-m1")
    GoalMeasure.objects.create(goal=copy, measure=extra)
    assert f"/114/measures/{kept_code}/" in client.get("/114/goals/4/").content.decode()
    response = publish(editor_client, draft, "調整提要對應")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/114/goals/4/").content.decode()
    assert f"/114/measures/{kept_code}/" not in page
    assert f"/114/measures/{extra.code}/" in page


def test_discarding_a_draft_leaves_nothing_behind(client, editor_client):
    before = client.get("/114/changes/").content.decode()
    copy = edit_in_draft(editor_client, published(BudgetLine, code="2-1-1"), editor_note="試寫")
    draft = draft_of(copy)
    url = reverse("admin:plan_draft_delete", args=[draft.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Draft.objects.exists() and not Plan.objects.filter(published=False).exists()
    assert not BudgetLine.history.filter(plan_id=copy.plan_id).exists()
    assert client.get("/114/changes/").content.decode() == before


def test_view_on_site_of_a_draft_record_opens_the_preview(editor_client):
    copy = draft_copy(editor_client, published(BudgetLine, code="2-1-1"))
    page = editor_client.get(change_url(copy)).content.decode()
    preview = reverse("admin:plan_draft_preview", args=[draft_of(copy).pk])
    assert f'href="{preview}?path=/114/budget/2-1-1/"' in page
    response = editor_client.get(f"{preview}?path=/114/budget/2-1-1/")
    assert response["Location"] == "/preview/114/budget/2-1-1/"
    assert editor_client.get(response["Location"]).status_code == 200
    plan_page = editor_client.get(change_url(draft_of(copy).plan))
    assert plan_page.status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/preview/114/budget/nope/", 404),
        ("/preview/114/budget/%00/", 404),
        ("/preview/114/measures/2-2-3-m999/", 404),
        ("/preview/114/budget/2-1/?sort=%3Cscript%3E", 200),
        ("/preview/114/search/?q=" + "詐" * 3000, 200),
        ("/preview/abc/", 404),
        ("/preview/1140/", 404),
    ],
)
def test_odd_preview_addresses_get_a_clear_answer_never_a_500(editor_client, path, status):
    draft_copy(editor_client, published(BudgetLine, code="2-1-1"))
    response = editor_client.get(path)
    assert response.status_code in (status, 400), (path, response.status_code)
    assert "no-store" in response["Cache-Control"]
