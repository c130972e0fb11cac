"""Each page type costs a small, fixed number of queries, whatever the size of the record.

The limits are the counts measured when these tests were written, for a page that is not in
the page cache, made after the lookups done once per data change: the published plans and
data version (plan/content/published.py, at most once a second per process), the plan's outline
(its budget tree and goals, plan/content/outline.py) and the dates of the latest revisions
(plan/editing/revisions.py), each once per data version. What those cost once is pinned at the end.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from plan.content import published

pytestmark = pytest.mark.django_db

PAGES = [
    # (url, queries): what the page itself reads
    ("/", 0),  # the 類 and the goals are the outline's
    ("/114/budget/", 1),  # every line in one query
    ("/114/budget/?open=all", 1),
    ("/114/budget/lines/", 1),  # every line with its number of measures
    ("/114/budget/lines/?category=2&level=item&sort=-amount", 2),  # …and the filter's lines
    ("/114/open-data/api/", 0),  # made from the OpenAPI document
    # Budget lines: the line with its ancestors, siblings and children come from the budget
    # tree, the measures' goals from the outline; a line with measures reads them.
    ("/114/budget/2/", 0),  # 類
    ("/114/budget/2-2/", 0),  # 項 with 11 children, no measures
    ("/114/budget/2-2-3/", 1),  # 目 with 11 measures
    ("/114/budget/6-1/", 0),  # leaf without measures
    ("/114/measures/2-2-3-m1/", 2),  # measure, siblings (its goals are the outline's)
    ("/114/goals/", 1),  # goals with measure counts
    ("/114/goals/4/", 1),  # the goal's measures with lines (the goals are the outline's)
    ("/114/about/", 1),  # derived lines
    ("/114/site-map/", 0),  # the 類 and the goals are the outline's
    ("/114/privacy/", 0),  # settings only
    ("/114/open-data-licence/", 0),  # the plan only
    ("/114/contact/", 0),  # the agency's details are the plan folder's
    ("/sitemap.xml", 3),  # lines, measures, goals
]


def after_a_data_change(client) -> None:
    """Another page has already made the lookups done once per data change; the pages measured
    are not in the page cache (which stores nothing with PAGE_CACHE_SECONDS=0)."""
    cache.clear()
    published.forget()
    # A line with measures: the data version, the outline (the budget tree, the goals, their
    # links to measures) and the revision dates.
    assert client.get("/114/budget/1-1/").status_code == 200


@pytest.mark.parametrize(("url", "queries"), PAGES, ids=[url for url, _ in PAGES])
@override_settings(PAGE_CACHE_SECONDS=0)
def test_page_query_count_is_pinned(client, plan, django_assert_max_num_queries, url, queries):
    after_a_data_change(client)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@override_settings(PAGE_CACHE_SECONDS=0)
def count_queries(client, url: str) -> int:
    after_a_data_change(client)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_a_data_change_costs_the_next_budget_line_page_nine_queries_once(client, plan):
    # The data version (plans, then the search synonyms), the budget tree, then the revision
    # log's four histories, the publications (each publish's reason) and reloads.
    cache.clear()
    published.forget()
    with CaptureQueriesContext(connection) as context:
        assert client.get("/114/budget/2-2/").status_code == 200
    assert len(context.captured_queries) == count_queries(client, "/114/budget/2-2/") + 9


def test_budget_line_cost_does_not_grow_with_its_number_of_measures(client, plan):
    # 2-2-3 has 11 measures, 2-2-7 has 1, 4-2 (a 項) has 14; all three have measures with goals.
    assert plan.budget_lines.get(code="2-2-3").measures.count() == 11
    assert plan.budget_lines.get(code="2-2-7").measures.count() == 1
    many = count_queries(client, "/114/budget/2-2-3/")
    assert count_queries(client, "/114/budget/2-2-7/") == many
    assert count_queries(client, "/114/budget/4-2/") == many


def test_budget_line_cost_does_not_grow_with_its_number_of_children(client, plan):
    # 項 2-2 has 11 children, 項 6-1 none; 類 4 has 5, 類 1 has 1.
    assert count_queries(client, "/114/budget/2-2/") == count_queries(client, "/114/budget/6-1/")
    assert count_queries(client, "/114/budget/4/") == count_queries(client, "/114/budget/1/")


def test_goal_cost_does_not_grow_with_its_number_of_measures(client, plan):
    # Goal 1 has 10 measures under three lines, goal 4 has one.
    assert count_queries(client, "/114/goals/1/") == count_queries(client, "/114/goals/4/")


# ---------------------------------------------------------------- search, downloads, open data

DATA_PAGES = [
    # (url, queries): what the page itself reads
    # The 類 for the filter are the budget tree's.
    ("/114/search/?q=業務", 3),  # goals, lines, measures (with their paths)
    ("/114/search/?q=業務&kind=measure&category=2&sort=-amount", 1),  # measures
    ("/114/search/", 0),  # no query
    ("/114/search/?q=%E7%9B%A3", 0),  # one character: nothing to search for
    ("/114/search/results.csv?q=業務", 3),  # the same reads as the page
    ("/114/search/results.xlsx?q=業務", 3),
    ("/114/search/?q=業務&group=line", 3),
    ("/114/search/?q=%E8%AF%88%E9%AA%97", 3),  # 诈骗: converted and widened, the same reads
    # Nothing holds the phrase: the same reads again, unnarrowed, to find its longest parts.
    ("/114/search/?q=詐騙集團防制宣導品", 6),
    ("/114/budget/lines.csv?level=subitem", 2),
    ("/114/budget/lines.xlsx", 1),
    ("/114/open-data/", 8),  # builds every file to give its size
    ("/114/open-data/budget-lines.csv", 1),  # every line, with its parents, in one query
    ("/114/open-data/measures.csv", 1),  # measures with their lines' paths
    ("/114/open-data/goals.csv", 1),
    ("/114/open-data/goal-measures.csv", 1),  # links with goals and measures joined
    ("/114/open-data/plan.json", 4),  # goal links, goals, lines, measures
    ("/114/open-data/datapackage.json", 0),
    ("/114/budget/2-2/budget-lines.csv", 1),  # a subtree, with its parents
    ("/114/budget/6-1/budget-lines.csv", 1),
]


@pytest.mark.parametrize(("url", "queries"), DATA_PAGES, ids=[url for url, _ in DATA_PAGES])
@override_settings(PAGE_CACHE_SECONDS=0)
def test_search_and_data_query_count_is_pinned(
    client, plan, django_assert_max_num_queries, url, queries
):
    after_a_data_change(client)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_search_cost_does_not_grow_with_the_number_of_results(client, plan):
    # 業務 finds 47 records (goals, lines and measures under all three levels); 監視器 finds 2.
    assert count_queries(client, "/114/search/?q=業務") == count_queries(
        client, "/114/search/?q=監視器"
    )
    assert count_queries(client, "/114/search/results.csv?q=業務") == count_queries(
        client, "/114/search/results.csv?q=監視器"
    )


def test_budget_table_cost_does_not_grow_with_its_filters_or_sorting(client, plan):
    filtered = count_queries(client, "/114/budget/lines/?level=subitem")
    assert count_queries(client, "/114/budget/lines/?category=6&level=item") == filtered
    assert count_queries(client, "/114/budget/lines/?sort=-share_of_total") == count_queries(
        client, "/114/budget/lines/"
    )


def test_subtree_csv_cost_does_not_grow_with_the_size_of_the_subtree(client, plan):
    assert count_queries(client, "/114/budget/2/budget-lines.csv") == count_queries(
        client, "/114/budget/6-1/budget-lines.csv"
    )
