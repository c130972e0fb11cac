"""A new year's plan through the admin: a superuser uploads plan.json as a draft, previews
/preview/115/, publishes it; bad files change nothing and say what is wrong (in Chinese)."""

import copy
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plan.document.contract import dump
from plan.models import BudgetLine, Draft, Plan
from tests.support.admin import create_editor, logged_in_client, publish
from tests.support.html import text_of
from tests.support.second_year import second_year_document

pytestmark = pytest.mark.django_db
UPLOAD = "admin:plan_draft_upload"


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_superuser("upload-admin", password="upload-admin-pass-9471")
    return logged_in_client(user)


@pytest.fixture
def plan_115(plan_document) -> dict:
    return second_year_document(plan_document)


def upload(client, content: bytes, name: str = "plan.json"):
    return client.post(reverse(UPLOAD), {"plan_file": SimpleUploadedFile(name, content)})


def messages_of(response) -> str:
    return text_of(response.content.decode().split('class="messagelist"', 1)[-1][:3000])


def test_a_good_file_becomes_a_draft_previewed_then_published(client, superuser_client, plan_115):
    response = upload(superuser_client, dump(plan_115).encode())
    assert response.status_code == 302, messages_of(response)
    draft = Draft.objects.get()
    assert draft.base is None and draft.plan.fiscal_year == 115 and not draft.plan.published
    assert client.get("/115/").status_code == 404  # not public yet
    preview = superuser_client.get("/preview/115/")
    assert preview.status_code == 200
    assert "115" in text_of(preview.content.decode())

    page = superuser_client.get(reverse("admin:plan_draft_change", args=[draft.pk]))
    assert "全部通過" in page.content.decode()
    response = publish(superuser_client, draft, "115 年度施政計畫公布")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/115/").status_code == 200
    assert Plan.objects.get(fiscal_year=115).published
    assert not Draft.objects.exists()
    log = client.get("/115/changes/").content.decode()
    assert "115 年度施政計畫公布" in log


def _broken_sum(document: dict) -> dict:
    broken = copy.deepcopy(document)
    broken["budget"][1]["children"][0]["children"][0]["amount"] += 1000
    return broken


def _other_agency(document: dict) -> dict:
    other = copy.deepcopy(document)
    other["plan"]["agency"] = "高雄市政府消防局"
    return other


def _wrong_type(document: dict) -> dict:
    wrong = copy.deepcopy(document)
    wrong["budget"][0]["amount"] = "很多"
    return wrong


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (lambda doc: b'{"plan": {"slug": ', "JSON 語法錯誤"),
        (lambda doc: "不是 UTF-8".encode("big5"), "不是 UTF-8"),
        (lambda doc: b"", "檔案是空的"),
        (lambda doc: b"[1, 2, 3]", "不是施政計畫檔"),
        (lambda doc: dump(_wrong_type(doc)).encode(), "amount"),
        (lambda doc: dump(_broken_sum(doc)).encode(), "≠ 下層合計"),
        (lambda doc: dump(_other_agency(doc)).encode(), "高雄市政府消防局"),
        (lambda doc: b" " * (3 * 1024 * 1024), "檔案太大"),
        (lambda doc: b"[" * 100_000 + b"]" * 100_000, "巢狀"),
    ],
    ids=[
        "json-error",
        "not-utf8",
        "empty",
        "not-a-plan",
        "wrong-type",
        "broken-sum",
        "other-agency",
        "huge",
        "deeply-nested",
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(
    superuser_client, plan_115, content, says
):
    plans, lines = Plan.objects.count(), BudgetLine.objects.count()
    response = upload(superuser_client, content(plan_115))
    assert response.status_code == 400
    shown = messages_of(response)
    assert "沒有上傳" in shown and says in shown, shown
    assert (Plan.objects.count(), BudgetLine.objects.count()) == (plans, lines)
    assert not Draft.objects.exists()


def test_the_published_year_cannot_be_uploaded_again(superuser_client, plan_document):
    response = upload(superuser_client, json.dumps(plan_document, ensure_ascii=False).encode())
    assert response.status_code == 400
    assert "114 年度的施政計畫已經發布" in messages_of(response)


def test_a_second_upload_of_the_same_year_is_refused(superuser_client, plan_115):
    assert upload(superuser_client, dump(plan_115).encode()).status_code == 302
    response = upload(superuser_client, dump(plan_115).encode())
    assert response.status_code == 400
    assert Draft.objects.count() == 1


def test_only_a_superuser_may_upload(plan_115):
    editor = logged_in_client(create_editor("upload-editor", "upload-editor-pass-9471"))
    assert editor.get(reverse(UPLOAD)).status_code == 403
    assert upload(editor, dump(plan_115).encode()).status_code == 403
    assert not Draft.objects.exists()


def test_the_upload_page_is_linked_from_the_drafts(superuser_client):
    page = superuser_client.get(reverse("admin:plan_draft_changelist")).content.decode()
    assert reverse(UPLOAD) in page
