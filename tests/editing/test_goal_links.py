"""The goal-to-measure mapping: curated in fixtures/goal-links.toml, loaded, editable in admin."""

import tomllib

import pytest
from django.contrib.auth.models import User

from plan.document.folders import plan_folder
from plan.models import GoalMeasure, Measure, PolicyGoal

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


def test_an_admin_can_link_a_goal_to_another_measure(client):
    admin = User.objects.create_superuser("editor-admin", "admin@example.com", "pw-1234-long")
    client.force_login(admin)
    goal = PolicyGoal.objects.get(number=4)
    measure = Measure.objects.get(code="2-1-2-m2")  # 硬體汰換與維護
    links = list(goal.measure_links.all())
    data = {
        "plan": goal.plan_id,
        "number": goal.number,
        "ordinal": goal.ordinal,
        "text": goal.text,
        "link_note": goal.link_note,
        "source_start_line": goal.source_start_line,
        "source_end_line": goal.source_end_line,
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
    assert "硬體汰換與維護" in client.get("/114/goals/4/").content.decode()


def test_loadplan_replace_edited_restores_the_curated_links(client):
    from django.core.management import call_command

    GoalMeasure.objects.filter(goal__number=4).delete()
    call_command("loadplan", verbosity=0, replace_edited=True)
    assert PolicyGoal.objects.get(number=4).measures.filter(code="2-2-1-m2").exists()
