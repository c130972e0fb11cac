"""What the backup tests do inside a site's own process (`manage.py shell -c`), against whatever
database DATABASE_URL names: edit through the admin as staff do (in a draft, then publish it),
read back everything a backup must keep, and sign in."""

import json

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from plan.models import BudgetLine, DataLoad, Draft, GoalMeasure, Measure, PolicyGoal, Publication
from tests.support.admin import (
    change_url,
    create_editor,
    draft_copy,
    draft_of,
    form_data,
    publish,
    published,
)
from tests.support.commands import command_output

USERNAME = "backup-editor"
PASSWORD = "kcpd-backup-editor-passphrase-7301"
LINE_NOTE = "備份測試：追加預算後修正"
MEASURE_OBJECTIVES = "加強外國駐華機構安全維護（備份測試修訂）。"
ADDED_GOAL = 1  # a goal the measure below is not linked to in the published mapping
MEASURE = "2-2-3-m1"
PUBLISH_REASON = "備份測試：發布修正"
HISTORY_MODELS = (PolicyGoal, BudgetLine, Measure, GoalMeasure)


def _sign_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in ({response.status_code})"
    return client


def _post_form(client: Client, url: str, **changes) -> None:
    """Open an admin form, change some fields, submit it as a browser would; it must save."""
    data = form_data(client.get(url).content.decode())
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def edit_as_staff() -> None:
    """A staff member in the editor group signs in, opens a draft, edits a budget line and a
    measure in it, on the measure's form adds one goal link and removes another, and publishes
    the draft."""
    create_editor(USERNAME, PASSWORD, email="backup-editor@example.org")
    client = _sign_in(USERNAME, PASSWORD)
    line = draft_copy(client, published(BudgetLine, code="2-2-3"))
    _post_form(client, change_url(line), note=LINE_NOTE, change_reason="備份測試")

    measure = draft_copy(client, published(Measure, code=MEASURE))
    links = list(measure.goal_links.order_by("pk"))
    assert links and ADDED_GOAL not in {link.goal.number for link in links}
    removed_goal = links[0].goal.number
    prefix = "goal_links"
    added = f"{prefix}-{len(links)}"
    _post_form(
        client,
        change_url(measure),
        objectives=MEASURE_OBJECTIVES,
        **{
            f"{prefix}-0-DELETE": "on",
            f"{prefix}-TOTAL_FORMS": str(len(links) + 1),
            f"{added}-id": "",
            f"{added}-measure": str(measure.pk),
            f"{added}-goal": str(PolicyGoal.objects.get(plan=measure.plan, number=ADDED_GOAL).pk),
        },
    )
    assert not GoalMeasure.objects.filter(pk=links[0].pk).exists()
    assert measure.goal_links.filter(goal__number=ADDED_GOAL).exists()

    response = publish(client, draft_of(measure), PUBLISH_REASON)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Draft.objects.exists()
    measure = published(Measure, code=MEASURE)
    assert measure.objectives == MEASURE_OBJECTIVES
    assert measure.goal_links.filter(goal__number=ADDED_GOAL).exists()
    assert not measure.goal_links.filter(goal__number=removed_goal).exists()


def _history(model) -> list[dict]:
    historical = model.history.model
    fields = [f.attname for f in historical._meta.concrete_fields if f.name != "history_user"]
    rows = historical.objects.order_by("history_id").values(*fields, "history_user__username")
    return list(rows)


def state() -> dict:
    """Everything a restore must give back, keyed by names rather than database ids where a
    restore may number rows afresh (users, groups, permissions, content types)."""
    return {
        "exportplan": command_output("exportplan"),
        "history": {model.__name__: _history(model) for model in HISTORY_MODELS},
        "loads": list(DataLoad.objects.order_by("pk").values()),
        "publications": list(
            Publication.objects.order_by("pk").values(
                "plan__slug",
                "published_at",
                "published_by__username",
                "reason",
                "changeset",
                "change_count",
                "new_plan",
                "sums_overridden",
            )
        ),
        "groups": {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.order_by("name")
        },
        "users": list(
            User.objects.order_by("username").values(
                "username",
                "password",
                "email",
                "is_staff",
                "is_superuser",
                "is_active",
                "date_joined",
                "last_login",
                "groups__name",
            )
        ),
        "admin_log": list(
            LogEntry.objects.order_by("pk").values(
                "action_time",
                "user__username",
                "content_type__app_label",
                "content_type__model",
                "object_id",
                "object_repr",
                "action_flag",
                "change_message",
            )
        ),
    }


def print_state() -> None:
    # str() keeps every microsecond of a time, where Django's JSON encoder would round it.
    print(json.dumps(state(), default=str, ensure_ascii=False, sort_keys=True))


def sign_in() -> None:
    """The editor signs in through the admin's login form and reaches the admin."""
    client = _sign_in(USERNAME, PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
