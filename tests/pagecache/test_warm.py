"""`manage.py warmcache` asks for every public page: the new ones included, all answering."""

import pytest
from django.core.management import CommandError, call_command

from plan.pagecache.warm import public_paths, warm_in_process, warm_over_http
from tests.support.live_server import serving

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


def test_a_running_server_is_warmed_over_http_several_requests_at_a_time(
    django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock():
        paths = public_paths()
    with serving(django_db_blocker) as base_url:
        report = warm_over_http([*paths, "/114/budget/9-9/"], base_url, jobs=4)
    assert report.pages == len(paths) + 1
    assert report.failed == ["/114/budget/9-9/"]  # a missing page is named, the rest answered


def test_warmcache_refuses_a_job_count_below_one(plan):
    with pytest.raises(CommandError, match="--jobs"):
        call_command("warmcache", "--base-url", "http://127.0.0.1:9", "--jobs", "0")
