"""The JSON API under /api/v1/: what each operation answers, compared with the published
record (the committed fixture) and with the search reference; pagination, errors, CORS,
caching; the OpenAPI document and the page that explains it.

CI runs this file on SQLite and on PostgreSQL.
"""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from plan.api.openapi import EXAMPLES, openapi_description
from plan.content import published
from tests.budget_table.test_budget_table import BY_CODE, LINES, TOTAL
from tests.support import reference_search as reference
from tests.support import second_year
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

BASE = "/api/v1/114"


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (url, params, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def every_page(client, url, params=None) -> list[dict]:
    """All results, following `next` from the first page."""
    body = get_json(client, url, params)
    results = list(body["results"])
    while body["next"]:
        body = get_json(client, body["next"].removeprefix("http://127.0.0.1:8000"))
        results += body["results"]
    assert len(results) == get_json(client, url, params)["count"]
    return results


# ---------------------------------------------------------------- plans


def test_the_plans_are_listed_with_their_year_and_links(client, plan):
    plans = get_json(client, "/api/v1/plans/")
    assert [each["year"] for each in plans] == [114]
    assert plans[0]["total_amount"] == TOTAL
    assert plans[0]["links"]["budget_lines"].endswith("/api/v1/114/budget-lines/")
    assert get_json(client, f"{BASE}/") == plans[0]


def test_a_year_without_a_plan_is_a_json_404_that_names_the_years_there_are(client, plan):
    body = get_json(client, "/api/v1/113/", status=404)
    assert "113" in body["detail"] and "114" in body["detail"]


def test_the_api_is_not_under_a_year_and_is_never_redirected(client, plan):
    response = client.get("/114/api/v1/plans/")
    assert response.status_code == 404
    assert client.get("/api/v1/plans/").status_code == 200


# ---------------------------------------------------------------- budget lines


def test_every_budget_line_is_listed_with_its_published_amount(client, plan):
    lines = every_page(client, f"{BASE}/budget-lines/", {"page_size": 10})
    assert [line["code"] for line in lines] == [line["code"] for line in LINES]
    for line in lines:
        published = BY_CODE[line["code"]]
        assert line["amount"] == published["amount"]
        assert line["amount_source"] == published["amount_source"]
        assert line["measure_count"] == published["measures_under"]  # as the budget table
        assert line["url"].endswith(f"/114/budget/{line['code']}/")


def test_shares_are_ratios_of_the_parent_and_of_the_total(client, plan):
    lines = {line["code"]: line for line in every_page(client, f"{BASE}/budget-lines/")}
    assert lines["1"]["share_of_parent"] is None
    line = BY_CODE["2-2-3"]
    assert lines["2-2-3"]["share_of_parent"] == round(line["amount"] / line["parent_amount"], 6)
    assert lines["2-2-3"]["share_of_total"] == round(line["amount"] / TOTAL, 6)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "category"}, [line["code"] for line in LINES if line["level"] == "category"]),
        (
            {"parent": "2-2"},
            [
                line["code"]
                for line in LINES
                if line["code"].count("-") == 2 and line["code"].startswith("2-2-")
            ],
        ),
        ({"category": "4"}, [line["code"] for line in LINES if line["code"].split("-")[0] == "4"]),
        (
            {"code_prefix": "2-2"},
            [
                line["code"]
                for line in LINES
                if line["code"] == "2-2" or line["code"].startswith("2-2-")
            ],
        ),
        (
            {"category": "2", "level": "item"},
            [
                line["code"]
                for line in LINES
                if line["code"].startswith("2-") and line["level"] == "item"
            ],
        ),
        ({"category": "9"}, []),
        ({"parent": "6-1"}, []),
    ],
)
def test_budget_lines_filter_as_documented(client, plan, params, expected):
    found = every_page(client, f"{BASE}/budget-lines/", params)
    assert [line["code"] for line in found] == expected


def test_a_budget_line_has_its_children_measures_and_source(client, plan):
    line = get_json(client, f"{BASE}/budget-lines/2-2/")
    assert line["children"] == [c["code"] for c in LINES if c["code"].startswith("2-2-")]
    assert line["path"] == ["貳、警政警衛實施", "二、勤業務管理"]
    derived = get_json(client, f"{BASE}/budget-lines/2-2-3/")
    assert (derived["amount"], derived["amount_source"]) == (688, "derived")
    assert derived["measures"] == [m["code"] for m in BY_CODE["2-2-3"]["measures"]]
    assert derived["source_lines"] == BY_CODE["2-2-3"]["source_lines"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{BASE}/budget-lines/9-9/", 404),
        (f"{BASE}/budget-lines/x/", 422),
        (f"{BASE}/budget-lines/?level=bogus", 422),
        (f"{BASE}/budget-lines/?parent=%00", 422),
        (f"{BASE}/budget-lines/?page=2", 404),
        (f"{BASE}/budget-lines/?page=0", 422),
        (f"{BASE}/budget-lines/?page=99999999999999999999", 422),
        (f"{BASE}/budget-lines/?page_size=201", 422),
        (f"{BASE}/measures/2-2-3-m99/", 404),
        (f"{BASE}/measures/2-2-3/", 422),
        (f"{BASE}/goals/20/", 404),
        (f"{BASE}/goals/0/", 422),
        (f"{BASE}/search/", 422),
        (f"{BASE}/search/?q=%00", 422),
        (f"{BASE}/search/?q=ab&kind=bogus", 422),
        ("/api/v1/abc/", 422),
        ("/api/v1/114/nope/", 404),
        ("/api/v2/", 404),
    ],
)
def test_bad_input_is_a_json_4xx_that_does_not_echo_it(quiet_client, plan, url, status):
    body = get_json(quiet_client, url, status=status)
    assert isinstance(body["detail"], str) and body["detail"]
    assert "\\u0000" not in json.dumps(body) and "\x00" not in json.dumps(body)
    if status == 422:
        assert all(set(error) == {"loc", "msg"} for error in body["errors"])


def test_pages_link_to_each_other_and_keep_the_filters(client, plan):
    first = get_json(client, f"{BASE}/budget-lines/", {"category": "2", "page_size": 5})
    assert first["previous"] is None
    assert "category=2" in first["next"] and "page=2" in first["next"]
    assert first["next"].startswith("http://127.0.0.1:8000/api/v1/114/budget-lines/?")
    second = get_json(client, first["next"].removeprefix("http://127.0.0.1:8000"))
    assert second["previous"] and "page=1" in second["previous"]
    assert second["results"][0]["code"] != first["results"][0]["code"]


# ---------------------------------------------------------------- measures and goals


def test_a_measure_has_no_amount_of_its_own_only_its_lines(client, plan):
    measure = get_json(client, f"{BASE}/measures/2-2-3-m1/")
    assert "amount" not in measure
    assert measure["budget_line_code"] == "2-2-3"
    assert measure["budget_line_amount"] == 688


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"budget_line": "2-2-3"}, [m["code"] for m in BY_CODE["2-2-3"]["measures"]]),
        ({"budget_line": "2-2"}, [m["code"] for m in BY_CODE["2-2"]["measures"]]),
        (
            {"under": "2-2"},
            [
                m["code"]
                for line in LINES
                if line["code"].startswith("2-2")
                for m in line["measures"]
            ],
        ),
    ],
)
def test_measures_filter_by_budget_line(client, plan, params, expected):
    found = every_page(client, f"{BASE}/measures/", params)
    assert [measure["code"] for measure in found] == expected


def test_measures_filter_by_goal_as_the_goal_lists_them(client, plan):
    goal = get_json(client, f"{BASE}/goals/4/")
    found = every_page(client, f"{BASE}/measures/", {"goal": 4})
    assert [measure["code"] for measure in found] == goal["measures"]
    assert all(4 in measure["goals"] for measure in found)


@pytest.mark.parametrize("q", ["詐騙", "诈骗", "１１０", "監視器 宣導", "a"])
def test_measures_filter_by_text_as_search_does_without_falling_back(client, plan, q):
    found = every_page(client, f"{BASE}/measures/", {"q": q})
    expected = [code for kind, code in reference.search(q, kind="measure")]
    assert [measure["code"] for measure in found] == expected


def test_every_goal_is_listed(client, plan):
    goals = every_page(client, f"{BASE}/goals/", {"page_size": 7})
    assert [goal["number"] for goal in goals] == list(range(1, 20))


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("q", ["詐騙", "诈骗", "１１０", "業務", "交通 執法"])
def test_search_finds_what_the_page_finds(client, plan, q):
    hits = every_page(client, f"{BASE}/search/", {"q": q, "page_size": 200})
    assert [(hit["kind"], hit["code"]) for hit in hits] == reference.search(q)
    for hit in hits:
        record = reference.record((hit["kind"], hit["code"]))
        assert hit["amount"] == record.amount
        assert hit["budget_line_amount"] == record.line_amount


def test_search_says_what_else_it_searched_and_what_it_fell_back_to(client, plan):
    body = get_json(client, f"{BASE}/search/", {"q": "诈骗"})
    assert body["also_searched"] == ["詐騙", "詐欺"]
    assert body["fallback_parts"] == []
    body = get_json(client, f"{BASE}/search/", {"q": "防制宣導品"})
    assert body["fallback_parts"] == ["防制宣導"]
    assert body["count"] == len(reference.search("防制宣導"))
    assert any("最長的片段" in notice for notice in body["notices"])


# ---------------------------------------------------------------- transport


def test_any_origin_may_read_and_a_preflight_is_answered(client, plan):
    response = client.options(f"{BASE}/budget-lines/", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    response = client.post(f"{BASE}/budget-lines/")
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"


def test_head_is_answered_like_get(client, plan):
    assert client.head(f"{BASE}/budget-lines/2-2/").status_code == 200


def test_answers_are_cached_like_the_pages(client, plan):
    url = f"{BASE}/budget-lines/?category=2"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries.captured_queries) == 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_edit_is_in_the_next_answer(client, plan):
    url = f"{BASE}/budget-lines/6-1/"
    assert get_json(client, url)["editor_note"] == ""
    line = plan.budget_lines.get(code="6-1")
    line.editor_note = "測試"
    line.save()  # as the admin saves: a new data version
    assert get_json(client, url)["editor_note"] == "測試"


@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/plans/", 0),
        (f"{BASE}/", 0),
        (f"{BASE}/goals/", 2),  # goals, their measures
        (f"{BASE}/goals/4/", 2),
        (f"{BASE}/budget-lines/", 1),  # every line with its measure count
        (f"{BASE}/budget-lines/?category=2&level=item", 2),  # …and the filter
        (f"{BASE}/budget-lines/2-2-3/", 2),  # …and the line's measures
        (f"{BASE}/measures/", 2),  # measures with their lines, their goals
        (f"{BASE}/measures/?q=詐騙&goal=1", 3),  # …and the search
        (f"{BASE}/measures/2-2-3-m1/", 2),
        (f"{BASE}/search/?q=業務", 3),  # goals, lines, measures
        (f"{BASE}/search/?q=防制宣導品", 6),  # …and all three again to fall back
        ("/api/openapi.json", 0),
    ],
)
def test_query_count_is_pinned(client, plan, django_assert_max_num_queries, url, queries):
    cache.clear()
    published.forget()
    assert client.get("/114/budget/1/").status_code == 200
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_with_two_years_lines_carry_the_comparison(client, plan, plan_document):
    second_year.load_second_year(plan_document)
    cache.clear()
    published.forget()
    assert [each["year"] for each in get_json(client, "/api/v1/plans/")] == [115, 114]
    line = get_json(client, f"/api/v1/115/budget-lines/{second_year.RAISED[0]}/")
    assert line["comparison"]["previous_year"] == 114
    assert line["comparison"]["flagged"] is True
    added = get_json(client, f"/api/v1/115/budget-lines/{second_year.ADDED[0]}/")
    assert added["comparison"]["status"] == "new"
    assert added["comparison"]["previous_amount"] is None
    assert get_json(client, f"{BASE}/budget-lines/2-2/")["comparison"] is None


# ---------------------------------------------------------------- the document and its page


def test_the_openapi_description_is_valid_openapi_3_1(client, plan):
    document = get_json(client, "/api/openapi.json")
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert document["servers"] == [{"url": "http://127.0.0.1:8000", "description": "本站"}]


def test_every_operation_has_an_example_that_answers(client, plan):
    document = openapi_description()
    ids = {op["operationId"] for methods in document["paths"].values() for op in methods.values()}
    assert ids == set(EXAMPLES)
    for example in EXAMPLES.values():
        assert client.get("/api/v1" + example.format(year=114)).status_code == 200, example


def test_the_api_page_explains_every_operation_and_schema_without_script(client, plan):
    response = client.get("/114/open-data/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    page = parse(html)
    document = openapi_description()
    sections = page.find_all("section", class_="api-operation")
    paths = [squash(s.find("code", class_="api-path").text()) for s in sections]
    expected = [f"GET {path}" for path in document["paths"]]
    assert paths == expected
    schemas = [
        s.attrs["id"].removeprefix("schema-") for s in page.find_all("section", class_="api-schema")
    ]
    assert schemas == list(document["components"]["schemas"])
    assert "/api/openapi.json" in " ".join(page.find("main").links())
    plans = next(s for s in sections if "/api/v1/plans/" in s.text())
    assert "200 array（每項為 PlanOut）" in squash(plans.text())


def test_the_open_data_page_links_the_api_and_describes_the_search_download(client, plan):
    page = parse(client.get("/114/open-data/").content.decode())
    links = page.find("main").links()
    assert "/114/open-data/api/" in links and "/api/openapi.json" in links
    assert "/114/budget/lines/" in links
    columns = [
        squash(th.text())
        for th in page.find("section", **{"aria-labelledby": "file-search-results"}).find_all(
            "th", scope="row"
        )
    ]
    assert "budget_line_code" in columns and "budget_line_amount" in columns
