"""Each page type costs a small, fixed number of queries, whatever the size of the record.

The limits are the counts measured when these tests were written. One of them is always the
current-plan lookup the header and footer need (plan.plans.current_plan).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGES = [
    # (url, queries): plan + what the page itself reads
    ("/", 3),  # categories, goals
    ("/budget/", 2),  # every line in one query
    # Budget lines: plan, line, previous, next, children, measures, and three for "last
    # revised" (the subtree's history of budget lines, measures and goal links).
    ("/budget/2/", 9),  # 類
    ("/budget/2-2/", 9),  # 項 with 11 children
    ("/budget/2-2-3/", 10),  # 目 with 11 measures: + their goals in one prefetch
    ("/budget/6-1/", 9),  # leaf without measures
    ("/measures/2-2-3-m1/", 5),  # measure, previous, next, goals
    ("/goals/", 2),  # goals with measure counts
    ("/goals/4/", 4),  # goal, its measures with lines, first/last number
    ("/about/", 2),  # derived lines
    ("/sitemap.xml", 5),  # lines, measures, goals; the template's context asks for the plan again
]


@pytest.mark.parametrize(("url", "queries"), PAGES, ids=[url for url, _ in PAGES])
def test_page_query_count_is_pinned(client, plan, django_assert_max_num_queries, url, queries):
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_budget_line_cost_does_not_grow_with_its_number_of_measures(client, plan):
    # 2-2-3 has 11 measures, 2-2-7 has 1, 4-2 (a 項) has 14; all three have measures with goals.
    assert plan.budget_lines.get(code="2-2-3").measures.count() == 11
    assert plan.budget_lines.get(code="2-2-7").measures.count() == 1
    many = count_queries(client, "/budget/2-2-3/")
    assert count_queries(client, "/budget/2-2-7/") == many
    assert count_queries(client, "/budget/4-2/") == many


def test_budget_line_cost_does_not_grow_with_its_number_of_children(client, plan):
    # 2-2 has 11 children, 1 has 1.
    assert count_queries(client, "/budget/2-2/") == count_queries(client, "/budget/1/")


def test_goal_cost_does_not_grow_with_its_number_of_measures(client, plan):
    # Goal 1 has 10 measures under three lines, goal 4 has one.
    assert count_queries(client, "/goals/1/") == count_queries(client, "/goals/4/")


# ---------------------------------------------------------------- search, downloads, open data

DATA_PAGES = [
    # (url, queries): plan + what the page itself reads
    ("/search/?q=業務", 5),  # 類 for the filter, goals, lines, measures (with their paths)
    ("/search/?q=業務&kind=measure&category=2&sort=-amount", 3),  # 類, measures
    ("/search/", 2),  # no query: 類 for the filter only
    ("/search/?q=%E7%9B%A3", 2),  # one character: nothing to search for
    ("/search/results.csv?q=業務", 5),  # the same reads as the page
    ("/search/results.xlsx?q=業務", 5),
    ("/open-data/", 11),  # builds every file to give its size
    ("/open-data/budget-lines.csv", 2),  # every line in one query
    ("/open-data/measures.csv", 4),  # lines (paths), line codes, measures
    ("/open-data/goals.csv", 2),
    ("/open-data/goal-measures.csv", 2),  # links with goals and measures joined
    ("/open-data/plan.json", 5),  # goal links, goals, lines, measures
    ("/open-data/datapackage.json", 1),
    ("/budget/2-2/budget-lines.csv", 2),  # a subtree: still the whole tree in one query
    ("/budget/6-1/budget-lines.csv", 2),
]


@pytest.mark.parametrize(("url", "queries"), DATA_PAGES, ids=[url for url, _ in DATA_PAGES])
def test_search_and_data_query_count_is_pinned(
    client, plan, django_assert_max_num_queries, url, queries
):
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_search_cost_does_not_grow_with_the_number_of_results(client, plan):
    # 業務 finds 47 records (goals, lines and measures under all three levels); 監視器 finds 2.
    assert count_queries(client, "/search/?q=業務") == count_queries(client, "/search/?q=監視器")
    assert count_queries(client, "/search/results.csv?q=業務") == count_queries(
        client, "/search/results.csv?q=監視器"
    )


def test_subtree_csv_cost_does_not_grow_with_the_size_of_the_subtree(client, plan):
    assert count_queries(client, "/budget/2/budget-lines.csv") == count_queries(
        client, "/budget/6-1/budget-lines.csv"
    )
