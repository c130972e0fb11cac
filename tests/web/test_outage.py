"""With the database unreachable, public pages answer a friendly 503 and then recover.

Here the connection is refused inside the process; tests/web/test_gunicorn.py stops a real
PostgreSQL server under the production server."""

import pytest
from django.db import OperationalError, connections
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
