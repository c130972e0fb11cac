"""The goal-to-measure mapping: curated in fixtures/goal-links.toml, loaded, editable in a draft in
the admin and published with it."""

import tomllib

import pytest
from django.contrib.auth.models import User

from plan.document.folders import plan_folder
from plan.models import GoalMeasure, Measure, PolicyGoal
from tests.support.admin import draft_copy, draft_of, publish

FOLDER = plan_folder("kcpd-114")

pytestmark = pytest.mark.django_db


def test_every_goal_has_the_curated_links():
    curated = tomllib.loads(FOLDER.goal_links.read_text(encoding="utf-8"))["goal"]
    assert [entry["number"] for entry in curated] == list(range(1, 20))
    for entry in curated:
        goal = PolicyGoal.objects.get(number=entry["number"])
        assert sorted(goal.measures.values_list("code", flat=True)) == sorted(entry["measures"])
        assert goal.link_note == entry["reason"]


def test_a_goal_page_says_the_mapping_is_compiled_by_the_site(client):
    html = client.get("/114/goals/4/").content.decode()
    assert "本站整理" in html
    assert "充實警用車輛裝備" in html


def test_an_admin_can_link_a_goal_to_another_measure_and_publish_it(client):
    admin = User.objects.create_superuser("editor-admin", "admin@example.com", "pw-1234-long")
    client.force_login(admin)
    goal = draft_copy(client, PolicyGoal.objects.get(number=4, plan__published=True))
    measure = Measure.objects.get(plan=goal.plan, code="2-1-2-m2")  # 硬體汰換與維護
    links = list(goal.measure_links.all())
    data = {
        "plan": goal.plan_id,  # the form offers the plan (see test_draft_admin.py)
        "ordinal": goal.ordinal,
        "short_title": goal.short_title,
        "text": goal.text,
        "link_note": goal.link_note,
        "change_reason": "補上對應",
        "measure_links-TOTAL_FORMS": len(links) + 1,
        "measure_links-INITIAL_FORMS": len(links),
        "measure_links-MIN_NUM_FORMS": 0,
        "measure_links-MAX_NUM_FORMS": 1000,
    }
    for index, link in enumerate(links):
        data[f"measure_links-{index}-id"] = link.pk
        data[f"measure_links-{index}-goal"] = goal.pk
        data[f"measure_links-{index}-measure"] = link.measure_id
    data[f"measure_links-{len(links)}-goal"] = goal.pk
    data[f"measure_links-{len(links)}-measure"] = measure.pk
    response = client.post(f"/admin/plan/policygoal/{goal.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GoalMeasure.objects.filter(goal=goal, measure=measure).exists()
    assert "硬體汰換與維護" not in client.get("/114/goals/4/").content.decode()  # a draft's link

    response = publish(client, draft_of(goal), "補上提要四的對應")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GoalMeasure.objects.filter(
        goal__plan__published=True, goal__number=4, measure__code="2-1-2-m2"
    ).exists()
    assert "硬體汰換與維護" in client.get("/114/goals/4/").content.decode()


def test_a_link_to_a_published_record_cannot_be_added_in_the_admin(client):
    """Published links change only by publishing a draft; a draft's goal cannot be linked to a
    published measure either."""
    admin = User.objects.create_superuser("editor-admin", "admin@example.com", "pw-1234-long")
    client.force_login(admin)
    goal = PolicyGoal.objects.get(number=4, plan__published=True)
    measure = Measure.objects.get(plan=goal.plan, code="2-1-2-m2")
    response = client.post("/admin/plan/goalmeasure/add/", {"goal": goal.pk, "measure": measure.pk})
    assert response.status_code == 200
    assert "已發布的內容不能直接修改" in response.content.decode()
    assert not GoalMeasure.objects.filter(goal=goal, measure=measure).exists()


def test_loadplan_replace_edited_restores_the_curated_links(client):
    from django.core.management import call_command

    GoalMeasure.objects.filter(goal__number=4).delete()
    call_command("loadplan", verbosity=0, replace_edited=True)
    assert PolicyGoal.objects.get(number=4).measures.filter(code="2-2-1-m2").exists()
