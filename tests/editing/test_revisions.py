"""The public revision log (/changes/), its Atom feed and the budget-line pages' "last revised".

The initial load is the published baseline, not a revision; every later change, by an editor
publishing a draft or by reloading the published data, is listed with its old and new values and
time, and never with the name of the member of staff who made it. A draft's saves are not
revisions until the draft is published, as one entry with its reason.
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from plan.models import BudgetLine, DataLoad, Draft, GoalMeasure, Measure, PolicyGoal
from tests.support.admin import (
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    edit_amount_in_draft,
    form_data,
    logged_in_client,
    publish,
    published,
)
from tests.support.commands import command_output
from tests.support.html import text_of

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time (Atom's date construct, RFC 4287 3.3): an offset or Z is required.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
NO_REVISIONS = "沒有任何修訂"
STAFF_USERNAME = "staff-wang-7"
STAFF_EMAIL = "wang7@police.example"
STAFF_NAME = ("小明", "王")
PUBLISH_REASON = "更正已發布的資料"


# --- helpers ---------------------------------------------------------------------------------


def admin_save(client, obj, **changes):
    """Submit the object's admin change form (with its inlines) as a browser would: a draft's
    record (a published one is read-only)."""
    url = change_url(obj)
    page = client.get(url).content.decode()
    data = form_data(page)
    for name, value in changes.items():
        assert f'name="{name}"' in page, f"{name} is not a field of the form"
        data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def in_draft(client, obj, **changes):
    """Save the copy of the published `obj` in the editor's draft (opened or reused) with
    `changes`; returns the copy."""
    copy = draft_copy(client, obj)
    admin_save(client, copy, **changes)
    copy.refresh_from_db()
    return copy


def publish_draft(client, reason: str = PUBLISH_REASON):
    """Publish the (one) open draft from its page."""
    response = publish(client, Draft.objects.get(), reason)
    assert response.status_code == 302, response.content.decode()[:3000]


def publish_edit(client, obj, reason: str = PUBLISH_REASON, **changes):
    """Change a published record as an editor does: in a draft, then publish the draft."""
    in_draft(client, obj, **changes)
    publish_draft(client, reason)


def _field_changes(html: str) -> dict:
    changes = {}
    for label, value in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S):
        old = re.search(r"原值：<del>(.*?)</del>", value, re.S)
        new = re.search(r"新值：<ins>(.*?)</ins>", value, re.S)
        changes[text_of(label)] = (
            (text_of(old.group(1)), text_of(new.group(1))) if old and new else text_of(value)
        )
    return changes


def _records(title: str, body: str) -> list[dict]:
    """Each record an entry changed: the first under the entry's title, then each 同一次編修."""
    parts = re.split(r'<h3 class="revision-part">', body)
    records = [(text_of(title), parts[0])]
    for part in parts[1:]:
        head, rest = part.split("</h3>", 1)
        records.append((text_of(head).removeprefix("同一次編修："), rest))
    shown = []
    for record_title, html in records:
        note = re.search(r'<p class="record-note">(.*?)</p>', html, re.S)
        shown.append(
            {
                "title": record_title,
                "note": text_of(note.group(1)) if note else "",
                "changes": _field_changes(html),
            }
        )
    return shown


def revisions(client, query: str = "") -> list[dict]:
    """The revision log's entries, in the order shown: title, source line, time, publish reason,
    the first record's field changes, and every record changed with its title, note and changes."""
    response = client.get(f"/114/changes/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if '<ol class="revisions">' not in html:
        return []
    block = html.split('<ol class="revisions">', 1)[1].split("</ol>", 1)[0]
    entries = []
    for key, body in re.findall(r'<li id="([^"]+)">(.*?)</li>', block, re.S):
        head = re.search(r'<p class="revision-head">(.*?)</p>', body, re.S).group(1)
        when = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', head)
        title = re.search(r'<h2 class="revision-title">(.*?)</h2>', body, re.S).group(1)
        link = re.search(r'href="([^"]+)"', title)
        reason = re.search(r'<p class="revision-reason">(.*?)</p>', body, re.S)
        records = _records(title, body.split("</h2>", 1)[1])
        entries.append(
            {
                "key": key,
                "title": text_of(title),
                "url": link.group(1) if link else "",
                "source": text_of(head).split("・", 1)[1],
                "datetime": when.group(1),
                "time_text": when.group(2),
                "reason": text_of(reason.group(1)) if reason else "",
                "changes": records[0]["changes"],
                "records": records,
            }
        )
    return entries


def shown_time(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year} 年 {local.month} 月 {local.day} 日 {local:%H:%M}"


def feed(client) -> ET.Element:
    response = client.get("/114/changes/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def feed_entries(client) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "id": entry.findtext(f"{ATOM}id"),
        }
        for entry in feed(client).findall(f"{ATOM}entry")
    ]


def last_revised_text(client, code: str) -> str:
    html = client.get(f"/114/budget/{code}/").content.decode()
    match = re.search(r'<p class="muted">((?:最後修訂|自初次載入).*?)</p>', html, re.S)
    assert match, "the budget-line page says nothing about revisions"
    return match.group(1)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return create_editor(
        STAFF_USERNAME,
        "staff-wang-pass-8832",
        email=STAFF_EMAIL,
        first_name=STAFF_NAME[0],
        last_name=STAFF_NAME[1],
    )


@pytest.fixture
def staff_client(staff):
    return logged_in_client(staff)


# --- the baseline ----------------------------------------------------------------------------


def test_right_after_the_initial_load_there_are_no_revisions(client, plan):
    assert DataLoad.objects.filter(plan=plan, initial=True).exists()
    html = client.get("/114/changes/").content.decode()
    assert NO_REVISIONS in html
    assert revisions(client) == []
    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.findall(f"{ATOM}entry") == []
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2-3")
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2")


# --- an editor's change ----------------------------------------------------------------------


def test_a_published_edit_is_listed_with_field_old_and_new_values_and_time(
    client, staff_client, staff, plan
):
    # Seen before the edit (and so cached, if pages are cached): the edit must still show at once.
    assert NO_REVISIONS in client.get("/114/changes/").content.decode()
    assert feed_entries(client) == []
    measure = published(Measure, code="2-2-3-m1")
    old_text = measure.objectives
    new_text = "加強外國駐華機構及其官員之安全維護（修訂）。"
    in_draft(staff_client, measure, objectives=new_text)
    # Saved in a draft: not a revision of the published data yet.
    assert NO_REVISIONS in client.get("/114/changes/").content.decode()
    assert feed_entries(client) == []

    publish_draft(staff_client, "補充計畫目標")
    record = measure.history.latest("history_date")
    assert record.history_user == staff  # the admin history knows who did it…

    entries = revisions(client)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["title"] == "修改計畫項目：1.外國駐華機構及其所屬官員安全維護"
    assert entry["url"] == "/114/measures/2-2-3-m1/"
    assert entry["source"] == "發布修正"
    assert entry["reason"] == "發布理由：補充計畫目標"
    assert entry["changes"] == {"計畫目標": (old_text, new_text)}
    assert entry["time_text"] == shown_time(record.history_date)
    assert entry["datetime"] == timezone.localtime(record.history_date).isoformat("T", "seconds")
    html = client.get("/114/changes/").content.decode()
    assert "原值" in html and "新值" in html and "共 1 筆修訂" in html
    assert NO_REVISIONS not in html

    # …and the public log does not.
    pages = [
        client.get("/114/changes/").content.decode(),
        client.get("/114/changes/?code=2-2-3").content.decode(),
        client.get("/114/changes/feed/").content.decode(),
        client.get("/114/budget/2-2-3/").content.decode(),
        client.get("/114/measures/2-2-3-m1/").content.decode(),
    ]
    for page in pages:
        for secret in (STAFF_USERNAME, "wang7", STAFF_EMAIL, "王小明", "小明"):
            assert secret not in page


def test_an_amount_edit_shows_the_amounts_as_printed(client, staff_client):
    # A supplementary budget: the line, the lines above it and the total, in one draft.
    edit_amount_in_draft(staff_client, published(BudgetLine, code="2-2-3"), 1000)
    publish_draft(staff_client, "追加預算")
    (entry,) = revisions(client)
    assert [(record["title"], record["changes"]) for record in entry["records"]] == [
        ("修改預算項目：貳、警政警衛實施", {"金額（千元）": ("430,018 千元", "430,330 千元")}),
        ("修改預算項目：二、勤業務管理", {"金額（千元）": ("387,350 千元", "387,662 千元")}),
        ("修改預算項目：(三)外事業務", {"金額（千元）": ("688 千元", "1,000 千元")}),
        # The plan record has no history of its own: the publish keeps its change.
        (
            "修改施政計畫：高雄市政府警察局 114 年度施政計畫",
            {"預算總額（千元）": ("11,722,205 千元", "11,722,517 千元")},
        ),
    ]


def test_the_feed_is_atom_with_one_entry_per_revision_newest_first(client, staff_client):
    measure = published(Measure, code="2-2-3-m1")
    publish_edit(staff_client, measure, objectives="第一次修訂。")
    line = published(BudgetLine, code="2-1-1")
    publish_edit(staff_client, line, note="第二次修訂的備考。")

    root = feed(client)
    assert root.findtext(f"{ATOM}title").endswith("修訂紀錄")
    entries = feed_entries(client)
    assert [entry["title"] for entry in entries] == [
        "修改預算項目「(一)公關事務」",
        "修改計畫項目「1.外國駐華機構及其所屬官員安全維護」",
    ]
    assert "備考：（空白） → 第二次修訂的備考。" in entries[0]["summary"]
    assert "計畫目標：" in entries[1]["summary"] and "→ 第一次修訂。" in entries[1]["summary"]
    assert entries[0]["updated"] >= entries[1]["updated"]
    assert len({entry["id"] for entry in entries}) == 2
    for secret in (STAFF_USERNAME, STAFF_EMAIL):
        assert secret not in client.get("/114/changes/feed/").content.decode()
    # The page lists the same revisions in the same order.
    assert [entry["title"] for entry in revisions(client)] == [
        "修改預算項目：(一)公關事務",
        "修改計畫項目：1.外國駐華機構及其所屬官員安全維護",
    ]


def test_the_feed_is_valid_atom(client, plan):
    """RFC 4287: every atom:id is an absolute IRI (4.2.6), and the feed names an author unless
    every entry does (4.1.1). Feed readers de-duplicate on the id; "measure-144" is not an IRI
    and would be the same id on every copy of the site."""
    measure = Measure.objects.get(code="2-2-3-m1")
    measure.objectives = "修訂。"
    measure.save()
    root = feed(client)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    absolute_iri = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
    assert absolute_iri.match(root.findtext(f"{ATOM}id"))
    for entry in entries:
        assert absolute_iri.match(entry.findtext(f"{ATOM}id") or ""), entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}title")
    authors = root.findall(f"{ATOM}author") or [
        author for entry in entries for author in entry.findall(f"{ATOM}author")
    ]
    assert authors, "an Atom feed needs an author (the site or the agency, never the staff member)"
    assert root.findall(f"{ATOM}author") or all(e.findall(f"{ATOM}author") for e in entries)


def test_after_a_publish_the_feed_is_well_formed_atom_1_0(client, staff_client):
    """RFC 4287: a feed has exactly one id, title and updated and links to its page; so does
    every entry, whose link leads to the revision on /changes/; dates are RFC 3339."""
    line = published(BudgetLine, code="2-2-3")
    publish_edit(staff_client, line, note="補充預算調整。")
    record = line.history.latest("history_date")

    root = feed(client)  # parsing it proves it is well-formed XML
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    for element in (root, *entries):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (element.tag, name)
            assert (element.findtext(f"{ATOM}{name}") or "").strip(), (element.tag, name)
        assert RFC3339.match(element.findtext(f"{ATOM}updated")), element.tag
        alternates = [
            link.get("href")
            for link in element.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1 and alternates[0].startswith(f"{settings.SITE_URL}/")
    assert (
        root.find(f"{ATOM}link[@rel='self']").get("href")
        == f"{settings.SITE_URL}/114/changes/feed/"
    )

    entry = entries[0]
    assert entry.findtext(f"{ATOM}title") == "修改預算項目「(三)外事業務」"
    updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == record.history_date
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == updated
    href = entry.find(f"{ATOM}link").get("href")
    page, _, anchor = href.removeprefix(settings.SITE_URL).partition("#")
    assert page == "/114/changes/"
    assert f'<li id="{anchor}">' in client.get(page).content.decode()


# --- "last revised" on budget-line pages and the filtered log ---------------------------------


def test_a_budget_line_page_says_when_it_or_anything_under_it_last_changed(client, plan):
    line = BudgetLine.objects.get(code="2-2-3")
    for code in ("2-2-3", "2-2", "2", "2-1"):
        text = last_revised_text(client, code)
        assert "自初次載入後未曾修訂" in text
        assert f'href="/114/changes/?code={code}"' in text

    line.amount = 690
    line.save()
    record = line.history.latest("history_date")
    local = timezone.localtime(record.history_date)
    for code in ("2-2-3", "2-2", "2"):
        text = last_revised_text(client, code)
        assert "最後修訂" in text, code
        assert f"{local.year} 年 {local.month} 月 {local.day} 日" in text
        assert f'href="/114/changes/?code={code}"' in text
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-1")


def test_a_change_to_a_measure_counts_for_its_budget_line(client, plan):
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-1-1")
    measure = Measure.objects.get(code="2-1-1-m2")
    measure.approach = "新的實施要領。"
    measure.save()
    assert "最後修訂" in last_revised_text(client, "2-1-1")
    assert "最後修訂" in last_revised_text(client, "2-1")
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2")


def test_the_log_filtered_by_code_lists_only_that_subtree(client, plan):
    measure = Measure.objects.get(code="2-2-3-m1")
    measure.objectives = "外事的修訂。"
    measure.save()
    line = BudgetLine.objects.get(code="2-1-1")
    line.editor_note = "公關的編者註。"
    line.save()
    goal = PolicyGoal.objects.get(number=1)
    goal.link_note = "提要的修訂。"
    goal.save()

    assert len(revisions(client)) == 3
    assert [e["title"] for e in revisions(client, "?code=2-2-3")] == [
        "修改計畫項目：1.外國駐華機構及其所屬官員安全維護"
    ]
    assert [e["title"] for e in revisions(client, "?code=2-2")] == [
        "修改計畫項目：1.外國駐華機構及其所屬官員安全維護"
    ]
    assert [e["title"] for e in revisions(client, "?code=2-1")] == ["修改預算項目：(一)公關事務"]
    assert sorted(e["title"] for e in revisions(client, "?code=2")) == [
        "修改計畫項目：1.外國駐華機構及其所屬官員安全維護",
        "修改預算項目：(一)公關事務",
    ]
    assert revisions(client, "?code=1") == []
    filtered = client.get("/114/changes/?code=1").content.decode()
    assert NO_REVISIONS in filtered and "一般行政" in filtered
    assert "修訂紀錄：(三)外事業務" in client.get("/114/changes/?code=2-2-3").content.decode()


def test_saving_without_changing_anything_is_not_a_revision(client, staff_client):
    """An editor who opens a record in a draft and presses 儲存 has changed nothing: there is
    nothing to publish, the log says so, and the budget-line page must not claim a revision that
    its own 修訂紀錄 link does not show."""
    copy = in_draft(staff_client, published(BudgetLine, code="2-2-3"))
    response = publish(staff_client, draft_of(copy), PUBLISH_REASON)
    assert response.status_code == 400
    assert "沒有可發布的修改" in response.content.decode()
    assert revisions(client) == []
    assert NO_REVISIONS in client.get("/114/changes/?code=2-2-3").content.decode()
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2-3")
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2")


def test_a_removed_goal_link_counts_as_a_revision_on_the_budget_line_page(client, staff_client):
    """The budget-line page shows each measure's goals (對應施政提要); when a link goes, the
    line's filtered log lists it, and the page's 最後修訂 must agree with that log."""
    assert 'href="/114/goals/11/"' in client.get("/114/budget/2-2-3/").content.decode()
    goal = draft_copy(staff_client, published(PolicyGoal, number=11))
    link = GoalMeasure.objects.get(goal=goal, measure__code="2-2-3-m1")
    url = reverse("admin:plan_goalmeasure_delete", args=[link.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2-3")  # not published yet
    publish_draft(staff_client)
    assert [e["title"] for e in revisions(client, "?code=2-2-3")] == [
        "刪除提要對應：提要十一 ↔ 1.外國駐華機構及其所屬官員安全維護"
    ]
    assert "最後修訂" in last_revised_text(client, "2-2-3")


@pytest.mark.parametrize("query", ["?code=zz", "?code=2-2-3-m1", "?code=9", "?code=2-2-"])
def test_an_unknown_code_is_404(client, plan, query):
    response = client.get(f"/114/changes/{query}")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=999", "?page=0", "?page=-1", "?code=2&page=x"]
)
def test_odd_page_numbers_still_show_the_log(client, plan, query):
    measure = Measure.objects.get(code="2-2-3-m1")
    measure.objectives = "修訂。"
    measure.save()
    response = client.get(f"/114/changes/{query}")
    assert response.status_code == 200
    assert [e["title"] for e in revisions(client, query)] == [
        "修改計畫項目：1.外國駐華機構及其所屬官員安全維護"
    ]


def test_the_log_pages_by_a_hundred(client, plan):
    measure = Measure.objects.get(code="2-2-3-m1")
    for number in range(101):
        measure.editor_note = f"第 {number} 次"
        measure.save()
    first, second = revisions(client), revisions(client, "?page=2")
    assert (len(first), len(second)) == (100, 1)
    assert first[0]["changes"]["編者註"][1] == "第 100 次"
    assert second[0]["changes"]["編者註"] == ("（空白）", "第 0 次")  # it was empty
    html = client.get("/114/changes/").content.decode()
    assert "共 101 筆修訂" in html and 'href="?page=2"' in html
    assert len(feed_entries(client)) == 50


# --- reloading the published data -------------------------------------------------------------


def test_a_bare_reload_keeps_an_edit_and_logs_nothing_new(client, plan):
    goal = PolicyGoal.objects.get(number=1)
    goal.text = "被改過的提要內容。"
    goal.save()  # in the shell: not the loader, so an editor's change
    before = revisions(client)
    output = command_output("loadplan")
    assert "沒有變更" in output and "提要 1「提要一」：檔案會改 內容（text）" in output
    goal.refresh_from_db()
    assert goal.text == "被改過的提要內容。"
    assert revisions(client) == before


def test_a_reload_replacing_edits_restores_them_and_is_logged_as_an_event(client, plan):
    goal = PolicyGoal.objects.get(number=1)
    published = goal.text
    goal.text = "被改過的提要內容。"
    goal.save()
    loads = DataLoad.objects.count()
    assert len(revisions(client)) == 1  # seen (and perhaps cached) before the reload

    output = command_output("loadplan", replace_edited=True)
    assert "更新 提要 1" in output
    goal.refresh_from_db()
    assert goal.text == published
    assert DataLoad.objects.count() == loads + 1
    load = DataLoad.objects.latest()
    assert (load.initial, load.created, load.updated, load.deleted) == (False, 0, 1, 0)

    entries = revisions(client)
    titles = [entry["title"] for entry in entries]
    assert titles.count("修改施政提要：提要一") == 2  # the edit, then the reload
    reloaded = [
        e
        for e in entries
        if e["title"] == "修改施政提要：提要一" and e["source"] == "重新載入，取代編者修改"
    ]
    assert len(reloaded) == 1
    assert reloaded[0]["changes"] == {"內容": ("被改過的提要內容。", published)}
    events = [e for e in entries if e["title"] == "重新載入已發布資料"]
    assert len(events) == 1
    assert events[0]["source"] == "重新載入已發布資料"
    assert events[0]["url"] == ""
    assert "更新" in events[0]["changes"]["結果"] and "1" in events[0]["changes"]["結果"]
    assert events[0]["changes"]["結果"] == load.summary
    edited = [e for e in entries if e["source"] == "網站編修"]
    assert len(edited) == 1
    assert any(e["title"] == "重新載入已發布資料" for e in feed_entries(client))


def test_the_reload_event_names_what_changed_in_chinese(client, plan):
    """The public log is for citizens and journalists: it must not show the database's internal
    model names (policygoal, budgetline…). plan/document/loader.py has MODEL_LABELS for exactly
    this."""
    goal = PolicyGoal.objects.get(number=1)
    goal.text = "被改過的提要內容。"
    goal.save()
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 1
    line.save()
    command_output("loadplan", replace_edited=True)
    (event,) = [e for e in revisions(client) if e["title"] == "重新載入已發布資料"]
    result = event["changes"]["結果"]
    for internal in ("policygoal", "budgetline", "measure", "goalmeasure"):
        assert internal not in result, result
    assert "提要 1" in result and "預算項目 1" in result
    (entry,) = [e for e in feed_entries(client) if e["title"] == "重新載入已發布資料"]
    assert "policygoal" not in entry["summary"]


def test_a_reload_that_changes_nothing_is_recorded_but_not_published(client, plan):
    loads = DataLoad.objects.count()
    assert "沒有變更" in command_output("loadplan")
    assert DataLoad.objects.count() == loads + 1
    load = DataLoad.objects.latest()
    assert not load.initial and not load.changed
    assert NO_REVISIONS in client.get("/114/changes/").content.decode()
    assert feed_entries(client) == []
    assert "自初次載入後未曾修訂" in last_revised_text(client, "2-2-3")


def test_a_reload_after_an_amount_edit_restores_the_amount_in_the_log(client, plan):
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 700
    line.save()
    command_output("loadplan", replace_edited=True)
    line.refresh_from_db()
    assert line.amount == 688
    changes = [e["changes"] for e in revisions(client, "?code=2-2-3")]
    assert changes == [
        {"金額（千元）": ("700 千元", "688 千元")},
        {"金額（千元）": ("688 千元", "700 千元")},
    ]
    assert [e["source"] for e in revisions(client, "?code=2-2-3")] == [
        "重新載入，取代編者修改",
        "網站編修",
    ]


# --- goal links ------------------------------------------------------------------------------


def test_removing_a_goal_link_in_the_admin_is_a_public_revision(client, staff_client, staff):
    goal = published(PolicyGoal, number=4)
    copy = draft_copy(staff_client, goal)
    links = list(copy.measure_links.select_related("measure"))
    index = 0
    removed_copy = links[index]
    admin_save(staff_client, copy, **{f"measure_links-{index}-DELETE": "on"})
    assert not GoalMeasure.objects.filter(pk=removed_copy.pk).exists()
    removed = GoalMeasure.objects.select_related("measure__budget_line").get(
        goal=goal, measure__code=removed_copy.measure.code
    )
    publish_draft(staff_client, "移除不相干的對應")
    assert not GoalMeasure.objects.filter(pk=removed.pk).exists()
    assert GoalMeasure.history.get(id=removed.pk, history_type="-").history_user == staff

    entries = revisions(client)
    assert len(entries) == 1
    assert entries[0]["title"] == f"刪除提要對應：提要四 ↔ {removed.measure.label}"
    assert entries[0]["url"] == ""  # nothing left to link to
    assert entries[0]["source"] == "發布修正"
    assert entries[0]["reason"] == "發布理由：移除不相干的對應"
    code = removed.measure.budget_line.code
    assert [e["title"] for e in revisions(client, f"?code={code}")] == [entries[0]["title"]]
    assert feed_entries(client)[0]["title"] == f"刪除提要對應「提要四 ↔ {removed.measure.label}」"
    assert STAFF_USERNAME not in client.get("/114/changes/").content.decode()


def test_removing_a_goal_link_through_its_delete_page_is_a_public_revision(client, staff_client):
    goal = draft_copy(staff_client, published(PolicyGoal, number=4))
    link = GoalMeasure.objects.select_related("measure").filter(goal=goal).first()
    url = reverse("admin:plan_goalmeasure_delete", args=[link.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert revisions(client) == []  # removed from the draft only
    publish_draft(staff_client)
    titles = [e["title"] for e in revisions(client)]
    assert titles == [f"刪除提要對應：提要四 ↔ {link.measure.label}"]


def test_changing_which_measure_a_goal_link_points_to_is_a_public_revision(client, staff_client):
    """The editor may change a goal link in a draft (change_goalmeasure): pointing 提要四's link
    at another measure changes both public pages, so the log must list it with the old and new
    measure. Published, it is what the public pages see: the old link removed and a link to the
    new measure added, in one entry."""
    link = (
        GoalMeasure.objects.select_related("measure")
        .filter(goal__number=4, goal__plan__published=True)
        .first()
    )
    old_measure = link.measure
    goal = draft_copy(staff_client, link.goal)
    copy = GoalMeasure.objects.get(goal=goal, measure__code=old_measure.code)
    new_measure = Measure.objects.get(plan=goal.plan, code="2-1-2-m2")  # 硬體汰換與維護
    assert not GoalMeasure.objects.filter(goal=goal, measure=new_measure).exists()
    admin_save(staff_client, copy, measure=str(new_measure.pk))
    copy.refresh_from_db()
    assert copy.measure == new_measure
    assert copy.history.latest("history_date").history_type == "~"
    publish_draft(staff_client, "改正提要四的對應")
    assert not GoalMeasure.objects.filter(pk=link.pk).exists()
    assert GoalMeasure.objects.filter(goal=link.goal, measure__code="2-1-2-m2").exists()

    entries = revisions(client)
    assert len(entries) == 1, "the changed goal link is missing from the public log"
    assert sorted(record["title"] for record in entries[0]["records"]) == sorted(
        [
            f"新增提要對應：提要四 ↔ {new_measure.label}",
            f"刪除提要對應：提要四 ↔ {old_measure.label}",
        ]
    )
    assert len(feed_entries(client)) == 1


# --- one admin save, one entry (browsers post CRLF) -------------------------------------------


def history_rows() -> int:
    return sum(model.history.count() for model in (PolicyGoal, BudgetLine, Measure, GoalMeasure))


def test_the_form_helper_posts_line_breaks_as_a_browser_does(staff_client):
    # 2-2-3's inline measures have multi-line texts: a browser sends them back with CRLF.
    line = draft_copy(staff_client, published(BudgetLine, code="2-2-3"))
    page = staff_client.get(change_url(line)).content.decode()
    data = form_data(page)
    multi_line = [value for name, value in data.items() if name.endswith("-approach")]
    assert any("\r\n" in value for value in multi_line)
    assert all("\n" not in value.replace("\r\n", "") for value in multi_line)


def test_a_save_without_changes_writes_no_history_and_no_entry(client, staff_client):
    records = (
        published(BudgetLine, code="2-2-3"),  # with 11 inline measures, CRLF in their texts
        published(Measure, code="2-2-3-m1"),
        published(PolicyGoal, number=4),  # with its goal links inline
    )
    draft_copy(staff_client, records[0])  # the draft's copies start with one history row each
    before = history_rows()
    for obj in records:
        in_draft(staff_client, obj)
    assert history_rows() == before
    assert publish(staff_client, Draft.objects.get(), PUBLISH_REASON).status_code == 400
    assert revisions(client) == []
    assert feed_entries(client) == []


def test_one_changed_field_is_one_entry_with_one_change(client, staff_client):
    line = published(BudgetLine, code="2-2-3")
    copy = in_draft(staff_client, line, note="新的備考。")
    # The inline measures the browser sent back unchanged (with CRLF) were not saved: their
    # history is the copy's first row only.
    assert not Measure.history.filter(budget_line_id=copy.pk, history_type="~").exists()
    publish_draft(staff_client)
    entries = revisions(client)
    assert [entry["title"] for entry in entries] == ["修改預算項目：(三)外事業務"]
    assert entries[0]["changes"] == {"備考": ("（空白）", "新的備考。")}
    assert len(entries[0]["records"]) == 1
    assert [entry["title"] for entry in feed_entries(client)] == ["修改預算項目「(三)外事業務」"]
    assert not Measure.history.filter(budget_line_id=line.pk, history_type="~").exists()


def test_one_publish_of_a_line_its_inline_measure_and_the_lines_above_is_one_entry(
    client, staff_client
):
    line = published(BudgetLine, code="2-2-3")
    measures = list(line.measures.order_by("position"))
    index = 1  # the second inline measure, saved with the line's amount
    edit_amount_in_draft(
        staff_client, line, 700, **{f"measures-{index}-editor_note": "同一次儲存的編者註。"}
    )
    publish_draft(staff_client, "追加預算")
    html = client.get("/114/changes/").content.decode()
    assert "共 1 筆修訂" in html
    (entry,) = revisions(client)
    assert entry["title"] == "修改預算項目：貳、警政警衛實施"  # the first record it changed
    records = {record["title"]: record["changes"] for record in entry["records"]}
    assert len(records) == 5  # with the plan total, which the sums need
    assert records["修改預算項目：(三)外事業務"] == {"金額（千元）": ("688 千元", "700 千元")}
    assert records[f"修改計畫項目：{measures[index].label}"] == {
        "編者註": ("（空白）", "同一次儲存的編者註。")
    }
    assert f"同一次編修：修改計畫項目：{measures[index].label}" in text_of(html)
    (feed_entry,) = feed_entries(client)
    assert feed_entry["title"] == "修改預算項目「貳、警政警衛實施」及另 4 筆相關修改"
    assert "金額（千元）：688 千元 → 700 千元" in feed_entry["summary"]
    assert f"修改計畫項目「{measures[index].label}」：編者註" in feed_entry["summary"]


def test_a_long_text_change_shows_what_changed_character_by_character(client, staff_client):
    measure = published(Measure, code="2-2-3-m1")
    old = measure.objectives
    assert len(old) > 40
    new = old.replace("安全維護", "安全維護與聯繫", 1)
    publish_edit(staff_client, measure, objectives=new)
    html = client.get("/114/changes/").content.decode()
    diff = re.search(r'<p class="diff">(.*?)</p>', html, re.S).group(1)
    assert "<ins>與聯繫</ins>" in diff and "<del>" not in diff
    assert len(text_of(diff)) < len(new)  # the unchanged text around it is shortened
    (entry,) = revisions(client)
    assert entry["changes"]["計畫目標"] == (old, new)  # and the full values stay available
    (feed_entry,) = feed_entries(client)
    assert "〔增：與聯繫〕" in feed_entry["summary"]


def test_text_saved_with_crlf_is_stored_with_the_documents_line_ends(plan):
    measure = Measure.objects.get(code="2-2-3-m1")
    measure.approach = "1.第一項\r\n2.第二項\r3.第三項"
    measure.save()
    measure.refresh_from_db()
    assert measure.approach == "1.第一項\n2.第二項\n3.第三項"
