"""loadsynonyms and the editors' synonym groups: groups changed, added or deleted in the admin
stay as the editor left them (and are listed) until `loadsynonyms --replace-edited`."""

import pytest

from plan.models import SearchSynonym, SearchSynonymRemoval
from plan.search.synonyms import default_path, read_groups
from tests.support.admin import create_editor, logged_in_client
from tests.support.commands import command_output

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(db):
    return logged_in_client(create_editor("synonym-keeper", "synonym-keeper-pass-7702"))


def file_words() -> list[str]:
    return [group.words for group in read_groups(default_path())]


def stored_words() -> list[str]:
    return list(SearchSynonym.objects.values_list("words", flat=True))


def test_a_group_changed_in_the_admin_survives_loadsynonyms(editor_client, plan):
    group = SearchSynonym.objects.get(words__contains="詐騙")
    response = editor_client.post(
        f"/admin/plan/searchsynonym/{group.pk}/change/",
        {"words": "詐騙、詐欺、騙局", "reason": group.reason, "position": group.position},
    )
    assert response.status_code == 302
    output = command_output("loadsynonyms")
    assert "沒有變更" in output
    assert "保留編者在管理介面的修改" in output
    assert "「詐騙、詐欺、騙局」：編者修改，檔案為「詐騙、詐欺」" in output
    assert SearchSynonym.objects.get(pk=group.pk).words == "詐騙、詐欺、騙局"
    assert "詐騙、詐欺" not in stored_words()  # the file's version is not added beside it

    output = command_output("loadsynonyms", replace_edited=True)
    assert "已更新" in output and "以檔案取代編者的修改 1 組" in output
    assert stored_words() == file_words()
    assert "保留編者" not in command_output("loadsynonyms")


def test_a_group_added_in_the_admin_survives_loadsynonyms(editor_client, plan):
    response = editor_client.post(
        "/admin/plan/searchsynonym/add/",
        {"words": "竊賊、竊盜", "reason": "民眾的說法", "position": 99},
    )
    assert response.status_code == 302
    output = command_output("loadsynonyms")
    assert "「竊賊、竊盜」：編者新增，檔案沒有這一組" in output
    assert SearchSynonym.objects.filter(words="竊賊、竊盜", edited_in_admin=True).exists()
    command_output("loadsynonyms", replace_edited=True)
    assert not SearchSynonym.objects.filter(words="竊賊、竊盜").exists()


def test_a_group_deleted_in_the_admin_does_not_come_back(editor_client, plan):
    group = SearchSynonym.objects.get(words__contains="詐騙")
    response = editor_client.post(f"/admin/plan/searchsynonym/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert SearchSynonymRemoval.objects.filter(source_words="詐騙、詐欺").exists()
    output = command_output("loadsynonyms")
    assert "「詐騙、詐欺」：編者已刪除，檔案仍有這一組" in output
    assert "詐騙、詐欺" not in stored_words()
    assert "沒有變更" in command_output("loadsynonyms")

    command_output("loadsynonyms", replace_edited=True)
    assert stored_words() == file_words()
    assert not SearchSynonymRemoval.objects.exists()


def test_a_group_changed_outside_the_admin_is_put_back(plan):
    SearchSynonym.objects.filter(words__contains="詐騙").update(words="詐騙、騙局")
    output = command_output("loadsynonyms")
    assert "已更新" in output and "保留編者" not in output
    assert stored_words() == file_words()
