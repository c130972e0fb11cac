"""With the database unreachable, public pages answer a friendly 503 and then recover."""

import os
import subprocess
import time

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from plan.content import published

OUTAGE_TEXT = "網站暫時無法提供資料"


def get(path="/114/budget/2-2/"):
    return Client(raise_request_exception=False).get(path)


@pytest.fixture
def database(django_db_setup, django_db_blocker):
    """Database access without a wrapping transaction: the outage breaks the connection."""
    with django_db_blocker.unblock():
        yield


def test_an_unreachable_database_gives_a_friendly_503_and_the_site_recovers(database, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    assert get().status_code == 200  # now in the page cache
    wrapper = type(connections["default"])
    monkeypatch.setattr(wrapper, "ensure_connection", refuse)
    monkeypatch.setattr(wrapper, "_cursor", refuse)
    published.forget()  # as if a second had passed: the next request asks the database
    assert_stale_copy_served("/114/budget/2-2/")
    response = get("/114/budget/2-2-3/")  # never cached: it needs the database
    assert response.status_code == 503
    html = response.content.decode()
    assert OUTAGE_TEXT in html and "Traceback" not in html and "Connection refused" not in html
    assert response["Retry-After"] == "30"
    assert_outage_answers()
    monkeypatch.undo()
    assert get().status_code == 200
    assert get("/healthz").status_code == 200


def assert_stale_copy_served(path):
    """A page in the cache is served as it was, marked stale, while the database is away."""
    response = get(path)
    assert response.status_code == 200, path
    assert response["Warning"] == '110 - "Response is Stale"'
    assert "max-age=0" in response["Cache-Control"]


def assert_outage_answers():
    """During an outage: unknown URLs still get the 404 page (it needs no database), the
    readiness check says the database is down, liveness says the process is up."""
    for path in ("/nope/", "/114/budget/2-2/nope/x"):
        response = get(path)
        assert response.status_code == 404, path
        assert "找不到這個頁面" in response.content.decode()
    ready = get("/healthz")
    assert ready.status_code == 503
    assert "database unavailable" in ready.content.decode()
    assert get("/healthz/live").status_code == 200


PG_DATA = os.environ.get("PGTEST_DATA_DIR")


def pg_ctl(action: str) -> None:
    # The server must not inherit our pipes (it would hold them open): log to a file.
    log = ["-l", os.path.join(PG_DATA, "outage-test.log")] if action == "start" else []
    subprocess.run(
        [
            "runuser",
            "-u",
            os.environ.get("PGTEST_OS_USER", "postgres"),
            "--",
            os.path.join(os.environ["PGTEST_BIN_DIR"], "pg_ctl"),
            "-D",
            PG_DATA,
            "-m",
            "fast",
            "-w",
            *log,
            action,
        ],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
        timeout=60,
    )


@pytest.mark.skipif(
    not PG_DATA or connection.vendor != "postgresql",
    reason="needs the throwaway PostgreSQL cluster that .ci/run starts",
)
def test_stopping_and_starting_postgresql(database):
    assert get().status_code == 200  # now in the page cache
    pg_ctl("stop")
    try:
        published.forget()  # as if a second had passed: the next request asks the database
        assert_stale_copy_served("/114/budget/2-2/")
        for path in (
            "/",
            "/114/budget/2-2-3/",
            "/114/search/?q=詐欺",
            "/114/open-data/budget-lines.csv",
        ):
            response = get(path)
            assert response.status_code == 503, path
            assert OUTAGE_TEXT in response.content.decode()
        assert_outage_answers()
    finally:
        pg_ctl("start")
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline:
        status = get("/114/budget/2-2-3/").status_code
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200, "the site did not recover after the database came back"
    # Every worker's next request works at once (connections are health-checked before reuse).
    for path in ("/114/budget/2-2-3/", "/healthz", "/114/search/?q=詐欺"):
        assert get(path).status_code == 200, path
    published.forget()
    assert not get().has_header("Warning")  # the cached page is fresh again
