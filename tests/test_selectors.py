"""The reads behind a page give what the tree says, however they are put together."""

import pytest
from django.urls import reverse, set_script_prefix

from plan import selectors
from plan.models import BudgetLine
from plan.url_cache import cached_reverse

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
                assert cached_reverse(name, kwargs=kwargs) == expected
                assert cached_reverse(name, kwargs=kwargs) == expected  # from the memo
            assert cached_reverse("plan:glossary", prefix="/115/") == "/115/glossary/"
    finally:
        set_script_prefix("/")
