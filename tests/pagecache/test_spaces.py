"""Where pages are kept (plan/pagecache/spaces.py): pages with a query in a bounded space of
their own, so that unique searches cannot evict the pages readers came for; and the deploy
check that names what production without a shared cache lacks."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from tests.support.commands import production_env, run_manage
from tests.support.production import HOST, PRODUCTION, answered_from_cache

QUERY_ENTRIES = 30  # ten searches, in three encodings each


def small_caches(backend: str, tmp_path) -> dict:
    def space(name, max_entries):
        where = str(tmp_path / name) if backend.endswith("FileBasedCache") else name
        return {"BACKEND": backend, "LOCATION": where, "OPTIONS": {"MAX_ENTRIES": max_entries}}

    return {"default": space("default", 2000), "queries": space("queries", QUERY_ENTRIES)}


def cached(path: str, query: str = "") -> bool:
    """Whether the front door would answer this page (identity encoding) from the cache."""
    environ = RequestFactory().get(path, HTTP_X_FORWARDED_PROTO="https").environ
    return answered_from_cache(environ | {"HTTP_HOST": HOST, "QUERY_STRING": query})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_unique_searches_do_not_evict_a_warmed_budget_page(client, plan, backend, tmp_path):
    browser = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https", "secure": True}
    with override_settings(**PRODUCTION, CACHES=small_caches(backend, tmp_path)):
        for path in ("/114/budget/2-2/", "/114/goals/"):
            assert client.get(path, **browser).status_code == 200
        for number in range(60):  # 180 entries: six times what their space holds
            query = f"q=%E8%A9%90%E6%AC%BA+{number}"
            assert client.get(f"/114/search/?{query}", **browser).status_code == 200
        assert cached("/114/budget/2-2/") and cached("/114/goals/")
        assert cached("/114/search/", "q=%E8%A9%90%E6%AC%BA+59")  # the newest search is kept
        assert len(caches["queries"]._cache if "locmem" in backend else _files(tmp_path)) <= (
            QUERY_ENTRIES
        )
        for each in caches.all():
            each.clear()


def _files(tmp_path) -> list:
    return list((tmp_path / "queries").glob("*.djcache"))


def test_plain_addresses_and_queries_live_in_different_spaces():
    from plan.pagecache.spaces import space

    assert space("") == "default"
    assert space("q=%E8%A9%90") == "queries"


def test_production_without_redis_keeps_pages_in_files_every_worker_shares(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(*(s.CACHES[a]['BACKEND'].rsplit('.', 1)[1] + ':' + s.CACHES[a]['LOCATION']"
        " for a in ('default', 'queries')))"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, **production_env(CACHE_DIR=str(tmp_path))
    )
    assert result.stdout.split() == [
        f"FileBasedCache:{tmp_path / 'default'}",
        f"FileBasedCache:{tmp_path / 'queries'}",
    ]


def test_check_deploy_warns_when_production_has_no_shared_cache():
    result = run_manage("check", "--deploy", **production_env())
    assert result.returncode == 0, result.stderr  # a warning: one machine works
    report = result.stderr + result.stdout
    assert "plan.W002" in report and "REDIS_URL is unset" in report
    for lost in ("shared cache across app servers", "change signal", "stale-if-error"):
        assert lost in report, lost


def test_check_deploy_is_quiet_with_redis():
    env = production_env(REDIS_URL="redis://cache.internal:6379/0")
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **env)
    assert result.returncode == 0, result.stderr
    assert "plan.W002" not in result.stderr + result.stdout
