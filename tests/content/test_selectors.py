"""The reads behind a page give what the tree says, however they are put together."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from plan.addresses.links import remembered_reverse
from plan.content import published, selectors
from plan.content.outline import line_tree
from plan.models import BudgetLine, GoalMeasure, Measure, PolicyGoal

pytestmark = pytest.mark.django_db


def test_every_budget_line_page_has_the_line_its_path_children_and_neighbours(plan):
    lines = list(BudgetLine.objects.in_plan(plan).order_by("sequence"))
    for line in lines:
        page = selectors.budget_line_page(plan=plan, code=line.code)
        siblings = [each for each in lines if each.parent_id == line.parent_id]
        index = siblings.index(line)
        assert page.line == line
        assert [each.code for each in page.ancestors] == [each.code for each in line.lineage[:-1]]
        assert page.children == [each for each in lines if each.parent_id == line.pk]
        assert page.previous == (siblings[index - 1] if index else None)
        assert page.next == (siblings[index + 1] if index + 1 < len(siblings) else None)
        assert page.measures == list(line.measures.order_by("sequence"))


@pytest.mark.parametrize("code", ["9", "2-99", "2-2-3-1", "x", "2--2", ""])
def test_a_budget_line_page_for_a_code_the_plan_does_not_have_is_none(plan, code):
    assert selectors.budget_line_page(plan=plan, code=code) is None


def test_the_budget_tree_is_read_once_per_data_version(plan, django_assert_num_queries):
    tree = line_tree(plan)
    with django_assert_num_queries(0):
        assert line_tree(plan) is tree
        assert [line.code for line in tree.children_of(tree.line("2-2"))][:2] == ["2-2-1", "2-2-2"]
        assert [line.code for line in tree.line("2-2-3").ancestors] == ["2", "2-2"]
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    line.name = "外事服務業務"
    line.save()  # as the admin saves: the data version moves
    assert line_tree(plan) is not tree
    assert line_tree(plan).line("2-2-3").label == "(三)外事服務業務"


def test_forgetting_the_data_version_makes_again_what_was_made_from_it(plan):
    made = []
    assert published.remembered("test", lambda: made.append(1) or len(made)) == 1
    assert published.remembered("test", lambda: made.append(1) or len(made)) == 1
    published.forget()
    assert published.remembered("test", lambda: made.append(1) or len(made)) == 2


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_save_is_visible_on_the_next_uncached_page(client, plan):
    assert "(三)外事業務" in client.get("/114/budget/2-2/").content.decode()
    assert "，0 項計畫項目。" in client.get("/114/budget/6-1/").content.decode()
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    line.name = "外事服務業務"
    line.amount = 701
    line.save()
    html = client.get("/114/budget/2-2/").content.decode()
    assert "(三)外事服務業務" in html and "(三)外事業務" not in html
    assert '金額（千元）">701 <span' in html  # its row in the split table
    # A line without measures gets one: its page reads its measures again.
    reserve = BudgetLine.objects.get(plan=plan, code="6-1")
    Measure.objects.create(
        plan=plan,
        budget_line=reserve,
        code="6-1-m1",
        name="新增的計畫項目",
        objectives="測試用的計畫目標。",
        position=1,
        sequence=10_000,
        source_start_line=reserve.source_start_line,
        source_end_line=reserve.source_end_line,
    )
    html = client.get("/114/budget/6-1/").content.decode()
    assert "，1 項計畫項目。" in html and "新增的計畫項目" in html


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_goal_edit_is_visible_on_the_next_uncached_home_and_goal_pages(client, plan):
    assert "科技建警" not in client.get("/").content.decode()
    assert "科技建警" not in client.get("/114/goals/4/").content.decode()
    goal = PolicyGoal.objects.get(plan=plan, number=3)
    goal.short_title = "科技建警"
    goal.save()
    assert "科技建警" in client.get("/").content.decode()
    assert "科技建警" in client.get("/114/goals/4/").content.decode()  # its previous goal


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_goal_link_edit_is_visible_on_the_next_uncached_budget_line_page(client, plan):
    def goal_tags(code: str) -> str:
        html = client.get("/114/budget/2-2-3/").content.decode()
        article = html.split(f'id="m-{code}"', 1)[1].split("</article>", 1)[0]
        return article.split('class="goal-tags"', 1)[1] if 'class="goal-tags"' in article else ""

    link = GoalMeasure.objects.filter(measure__code="2-2-3-m1").select_related("goal").first()
    assert link.goal.title in goal_tags("2-2-3-m1")
    link.delete()  # as the admin's inline does: the data version moves
    assert link.goal.title not in goal_tags("2-2-3-m1")


def test_a_remembered_url_is_the_url_django_gives_under_each_year():
    try:
        for prefix in ("/", "/113/", "/114/"):
            set_script_prefix(prefix)
            for name, kwargs in [
                ("plan:glossary", None),
                ("plan:budget-line-detail", {"code": "2-2-3"}),
                ("plan:goal-detail", {"number": 4}),
            ]:
                expected = reverse(name, kwargs=kwargs)
                assert remembered_reverse(name, kwargs=kwargs) == expected
                assert remembered_reverse(name, kwargs=kwargs) == expected  # from the memo
            assert remembered_reverse("plan:glossary", prefix="/115/") == "/115/glossary/"
    finally:
        set_script_prefix("/")
