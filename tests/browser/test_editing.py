"""An editor's correction in the browser, as the department would make it (1280 px): open a
draft from a published line, change three lines and the plan total, preview the site with them
while the public still sees the published figures, publish with a reason, and the public site
and its revision log show the change as one event. Screenshots of each step go to artifacts/.

The browser tests share the session's database (no rollback), so the test puts every row it
changed back as it was.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User

from plan.content import published
from plan.editing.drafts import discard
from plan.models import BudgetLine, Draft, Plan, Publication
from tests.support.admin import create_editor
from tests.support.browser import screenshot

USERNAME, PASSWORD = "browser-editor", "browser-editor-pass-9471"
CHANGES = {"2-1-1": 1953, "2-1": 43668}


@pytest.fixture
def editor_account(served):
    plan = Plan.objects.get(published=True, fiscal_year=114)
    lines = {
        line.code: line for line in BudgetLine.objects.filter(plan=plan, code__in=[*CHANGES, "2"])
    }
    kept = {code: line.amount for code, line in lines.items()}
    total, updated_at = plan.total_amount, plan.data_updated_at
    user = create_editor(USERNAME, PASSWORD)
    yield plan
    for draft in Draft.objects.all():
        discard(draft)
    for publication in Publication.objects.filter(plan=plan):
        BudgetLine.history.filter(changeset=publication.changeset).delete()
        publication.delete()
    for code, amount in kept.items():
        BudgetLine.objects.filter(pk=lines[code].pk).update(amount=amount)
    Plan.objects.filter(pk=plan.pk).update(total_amount=total, data_updated_at=updated_at)
    User.objects.filter(pk=user.pk).delete()
    for record in (AccessLog, AccessAttempt, AccessFailureLog):
        record.objects.filter(username=USERNAME).delete()
    published.forget()


def amount_in_row(page, code: str) -> str:
    row = page.locator("table.split-table tr", has=page.locator(f'a[href$="/budget/{code}/"]'))
    return row.locator("td.num").first.inner_text()


def test_an_editor_drafts_previews_and_publishes_a_supplementary_budget(
    browser, served, editor_account
):
    plan = editor_account
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    page, reader = context.new_page(), public.new_page()

    page.goto(f"{served}/admin/login/?next=/admin/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{served}/admin/")

    # A published line is read-only: one click opens the editor's draft on the same line.
    line = BudgetLine.objects.get(plan=plan, code="2-1-1")
    page.goto(f"{served}/admin/plan/budgetline/{line.pk}/change/")
    screenshot(page, "editor-1-published-line")
    page.get_by_role("button", name="在修正草稿中修改").click()
    page.wait_for_selector("input.amount-input")
    draft = Draft.objects.get()

    for code, amount in [*CHANGES.items(), ("2", None)]:
        copy = BudgetLine.objects.get(plan=draft.plan, code=code)
        page.goto(f"{served}/admin/plan/budgetline/{copy.pk}/change/")
        new = amount if amount is not None else copy.amount + 1000
        field = page.locator("input[name=amount]")
        field.fill("")
        field.type(f"{new:,}")
        assert re.search("[萬億]元", page.locator("output.amount-reading").inner_text())
        page.fill("input[name=change_reason]", "114 年度追加預算")
        if code == "2-1":
            screenshot(page, "editor-2-draft-line-with-children")
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist")

    page.goto(f"{served}/admin/plan/draft/{draft.pk}/change/")
    assert "1 處未通過" in page.inner_text("#content-main")  # the plan total is still the old one
    page.locator(".integrity-panel a").first.click()
    total = page.locator("input[name=total_amount]")
    total.fill(f"{plan.total_amount + 1000:,}")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    page.goto(f"{served}/admin/plan/draft/{draft.pk}/change/")
    overview = page.inner_text("#content-main")
    assert "全部通過" in overview and "將發布的修改：4 筆" in overview
    screenshot(page, "editor-3-draft-overview")

    # The preview shows the draft; the public, at the same moment, the published figures.
    page.get_by_role("link", name=re.compile("預覽整個網站")).click()
    page.wait_for_url(f"{served}/preview/114/")
    assert "預覽" in page.inner_text(".preview-banner")
    page.goto(f"{served}/preview/114/budget/2-1/")
    assert amount_in_row(page, "2-1-1").startswith("1,953")
    screenshot(page, "editor-4-preview")
    axe = Axe().run(page)  # the banner keeps the page accessible
    assert axe.violations_count == 0, axe.generate_report()
    reader.goto(f"{served}/114/budget/2-1/")
    assert amount_in_row(reader, "2-1-1").startswith("953")
    reader.goto(f"{served}/114/changes/")
    log_before = reader.locator("ol.revisions > li").count()
    # The editor looks at the public page too: the browser keeps it for a minute.
    page.goto(f"{served}/114/budget/2-1/")
    assert amount_in_row(page, "2-1-1").startswith("953")

    page.goto(f"{served}/admin/plan/draft/{draft.pk}/change/")
    page.fill("#id_reason", "114 年度追加預算（議會審定）")
    page.click("input[type=submit][value='發布']")
    page.wait_for_selector(".messagelist")
    assert "已發布" in page.inner_text(".messagelist")
    screenshot(page, "editor-5-published")

    # 「在網站上檢視」 right after publishing shows the published page, not the one the
    # editor's browser kept (the publish answer clears it: Clear-Site-Data).
    page.goto(f"{served}/114/budget/2-1/")
    assert amount_in_row(page, "2-1-1").startswith("1,953")
    # A new visitor gets it too (a reader's browser may keep the old page for its max-age).
    public.close()
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    reader = public.new_page()
    reader.goto(f"{served}/114/budget/2-1/")
    assert amount_in_row(reader, "2-1-1").startswith("1,953")
    reader.goto(f"{served}/114/changes/")
    assert reader.locator("ol.revisions > li").count() == log_before + 1
    newest = reader.locator("ol.revisions > li").first.inner_text()
    assert "114 年度追加預算（議會審定）" in newest
    screenshot(reader, "editor-6-public-log")
    context.close()
    public.close()
