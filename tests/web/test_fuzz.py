"""Property-based bad input: thousands of generated paths and query strings, never a 5xx.

How many examples each test tries is the Hypothesis profile's (tests/conftest.py): 250 in CI,
50 in a local run."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Every URL pattern of the site, with a slot for the generated segment.
PATTERNS = [
    "/114/budget/{}/",
    "/114/budget/{}/budget-lines.csv",
    "/114/measures/{}/",
    "/114/goals/{}/",
    "/114/open-data/{}",
    "/{}",
    "/114/about/{}",
    "/114/changes/?code={}",
    "/114/search/?q={}",
    "/114/search/results.csv?q={}",
    "/114/search/results.xlsx?q={}",
    "/114/search/?q=%E8%A9%90%E6%AC%BA&kind={}&category={}&sort={}",
    "/114/budget/lines/?category={}&level={}&sort={}",
    "/114/budget/?open={}",
    # The API is fuzzed from its OpenAPI document too (tests/api/test_schemathesis.py).
    "/api/v1/114/budget-lines/{}/",
    "/api/v1/114/search/?q={}&page_size={}",
]

segment = st.one_of(
    st.text(min_size=0, max_size=60),
    st.text(alphabet="0123456789-m.%/\\", min_size=0, max_size=40),
    st.sampled_from(["..", "../..", "%2e%2e%2f", "%00", "%FF%FE", "%C0%AF", "%", "'", '"', "<x>"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(min_size=2000, max_size=2100),
)

query = st.lists(
    st.tuples(
        st.sampled_from(
            ["q", "kind", "category", "sort", "page", "code", "q[]", "", "level", "page_size"]
        ),
        st.text(max_size=80),
    ),
    max_size=5,
)


def client():
    return Client(raise_request_exception=False)


def quote_loosely(text: str) -> str:
    # Keep the odd characters, but make spaces and '#' (which a real client would encode)
    # part of the path instead of ending it.
    # Brackets too: the test client's URL parser would take them for an IPv6 host.
    for character, encoded in (
        (" ", "%20"),
        ("#", "%23"),
        ("?", "%3F"),
        ("[", "%5B"),
        ("]", "%5D"),
    ):
        text = text.replace(character, encoded)
    return text


@pytest.mark.parametrize("pattern", PATTERNS)
@given(value=segment)
def test_no_generated_url_gives_a_server_error(plan, pattern, value):
    path = pattern.format(*[quote_loosely(value)] * pattern.count("{}"))
    response = client().get(path)
    assert response.status_code < 500, (path[:200], response.status_code)


@given(
    path=st.sampled_from(
        [
            "/",
            "/114/budget/2-2/",
            "/114/search/",
            "/114/open-data/",
            "/114/changes/",
            "/114/budget/lines/",
            "/api/v1/114/budget-lines/",
            "/api/v1/114/search/",
        ]
    ),
    pairs=query,
)
def test_no_generated_query_string_gives_a_server_error(plan, path, pairs):
    response = client().get(path, dict(pairs) if pairs else None)
    assert response.status_code < 500, (path, pairs, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/114/budget/%FF%FE/",
        "/" + "a" * 10_000,
        "/114/budget/" + "1-" * 3000 + "1/",
        "/114/budget/..%2F..%2F..%2Fetc%2Fpasswd/",
        "/static/../../config/settings.py",
        "/114/open-data/..%2Fsettings.py",
    ],
)
def test_invalid_utf8_overlong_and_traversal_paths_get_a_4xx(plan, path):
    response = client().get(path)
    assert 400 <= response.status_code < 500, (path[:80], response.status_code)


@pytest.mark.parametrize("path", ["/114/search/?q=%FF%FE%FD", "/114/search/?q=%E8%A9"])
def test_invalid_utf8_in_a_query_is_an_ordinary_search(plan, path):
    # Django decodes broken bytes to U+FFFD; that finds nothing, and the page says why.
    response = client().get(path)
    assert response.status_code == 200
    assert 'class="notice" role="status"' in response.content.decode()
