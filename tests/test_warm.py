"""`manage.py warmcache` asks for every public page: the new ones included, all answering."""

import pytest

from plan.warm import public_paths, warm_in_process

pytestmark = pytest.mark.django_db


def test_the_pages_to_warm_include_the_table_the_api_and_its_description(plan):
    paths = public_paths()
    for path in (
        "/114/budget/lines/",
        "/114/open-data/api/",
        "/api/openapi.json",
        "/api/v1/plans/",
        "/api/v1/114/budget-lines/",
        "/api/v1/114/measures/",
    ):
        assert path in paths, path


def test_every_page_to_warm_answers(plan):
    report = warm_in_process(public_paths())
    assert report.failed == []
    assert report.pages > 200
