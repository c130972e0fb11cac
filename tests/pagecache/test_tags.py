"""Cache tags: every public answer names what it shows in the tag header (docs/operating.md,
"Cache tags and purges"), and a hit from the page cache names the same."""

import pytest
from django.test import Client, override_settings

from plan.content import tags
from plan.models import BudgetLine, Measure, PolicyGoal
from tests.support.production import HOST, PRODUCTION

pytestmark = pytest.mark.django_db


def keys_of(response, header: str = "xkey") -> set[str]:
    assert response.status_code == 200
    return set(response[header].split())


def test_a_line_page_names_the_line_its_ancestors_children_and_measures(client, plan):
    keys = keys_of(client.get("/114/budget/2-2/"))
    line = BudgetLine.objects.get(plan=plan, code="2-2")
    assert {"site", "y114", "y114-line-2", "y114-line-2-2"} <= keys
    assert {f"y114-line-{child.code}" for child in line.children.all()} <= keys
    assert "y114-all" not in keys and not any(key.startswith("y113") for key in keys)

    leaf = keys_of(client.get("/114/budget/2-1-1/"))
    measures = Measure.objects.filter(plan=plan, budget_line__code="2-1-1")
    assert {f"y114-measure-{measure.code}" for measure in measures} <= leaf
    goals = PolicyGoal.objects.filter(plan=plan, measures__in=measures)
    assert {f"y114-goal-{goal.number}" for goal in goals} <= leaf


def test_a_measure_page_names_the_measure_its_lines_and_goals(client, plan):
    measure = Measure.objects.get(plan=plan, code="2-1-1-m2")
    keys = keys_of(client.get(measure.get_absolute_url()))
    lines = {f"y114-line-{line.code}" for line in measure.budget_line.lineage}
    assert {"site", "y114", "y114-measure-2-1-1-m2", *lines} <= keys
    assert {f"y114-goal-{goal.number}" for goal in measure.goals.all()} <= keys


def test_a_goal_page_names_the_goal_and_its_measures(client, plan):
    goal = PolicyGoal.objects.get(plan=plan, number=2)
    keys = keys_of(client.get("/114/goals/2/"))
    assert {"site", "y114", "y114-goal-2"} <= keys
    assert {f"y114-measure-{measure.code}" for measure in goal.measures.all()} <= keys


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/114/budget/",
        "/114/budget/lines/",
        "/114/budget/lines.csv",
        "/114/goals/",
        "/114/open-data/",
        "/114/open-data/goals.csv",
        "/114/changes/",
        "/api/v1/114/budget-lines/",
        "/api/v1/114/goals/1/",
    ],
)
def test_lists_name_the_whole_year_not_each_record(client, plan, url):
    assert keys_of(client.get(url)) == {"site", "y114", "y114-all"}


@pytest.mark.parametrize(
    "url", ["/114/search/?q=詐欺", "/114/search/results.csv?q=詐欺", "/api/v1/114/search/?q=詐欺"]
)
def test_search_answers_name_the_synonyms(client, plan, url):
    assert keys_of(client.get(url)) == {"site", "y114", "y114-all", "synonyms"}


def test_pages_of_no_year_name_every_year(client, plan):
    assert keys_of(client.get("/sitemap.xml")) == {"site", "y114-all"}
    assert keys_of(client.get("/api/v1/plans/")) == {"site", "y114-all"}


def test_errors_and_the_admin_carry_no_tags(client, plan):
    assert "xkey" not in client.get("/114/budget/9-9/")
    assert "xkey" not in client.get("/admin/login/")


@override_settings(CACHE_TAG_HEADER="Surrogate-Key")
def test_the_header_is_named_by_the_setting(client, plan):
    response = client.get("/114/goals/2/")
    assert "y114-goal-2" in response["Surrogate-Key"].split()
    assert "xkey" not in response


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("url", ["/114/budget/2-2/", "/114/search/?q=詐欺"])
def test_a_hit_from_the_page_cache_carries_the_same_tags(plan, url):
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="br")
    miss = client.get(url)
    hit = client.get(url)
    assert hit["ETag"] == miss["ETag"]  # the same entry, answered by the front door
    assert hit["xkey"] == miss["xkey"] and "site" in hit["xkey"].split()


def test_a_long_list_of_records_falls_back_to_the_year(plan):
    lines = list(BudgetLine.objects.filter(plan=plan))
    many = lines * 3 + [BudgetLine(code=f"9-{n}") for n in range(tags.MAX_KEYS)]
    keys = tags.page_keys(plan, many)
    assert keys == ["site", "y114", "y114-all"]
    assert len(tags.page_keys(plan, lines[:20])) <= tags.MAX_KEYS
