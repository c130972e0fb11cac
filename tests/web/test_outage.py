"""With the database unreachable, public pages answer a friendly 503 and then recover.

Here the connection is refused inside the process; tests/web/test_gunicorn.py stops a real
PostgreSQL server under the production server."""

from unittest.mock import patch

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


class CutQueries:
    """Queries fail as on a connection PostgreSQL cut (a restart, pg_terminate_backend) while
    `cuts` is above 0, each failure using one up."""

    def __init__(self, monkeypatch, cuts: int, message: str):
        from django.db.backends import utils

        self.cuts, self.failed = cuts, 0
        real = utils.CursorWrapper.execute

        def execute(cursor, *args, **kwargs):
            if self.cuts > 0:
                self.cuts -= 1
                self.failed += 1
                raise OperationalError(message)
            return real(cursor, *args, **kwargs)

        monkeypatch.setattr(utils.CursorWrapper, "execute", execute)


CUT = "terminating connection due to administrator command"


def test_a_read_whose_connection_is_cut_is_answered_again(database, monkeypatch, caplog):
    assert get("/114/").status_code == 200  # the data version is known
    cut = CutQueries(monkeypatch, cuts=1, message=CUT)
    response = get("/114/budget/2-2-3/?fresh=1")
    assert response.status_code == 200 and "688" in response.content.decode()
    assert cut.failed == 1
    assert "answered again on a new connection" in caplog.text
    assert "ERROR" not in [record.levelname for record in caplog.records]


def test_it_is_answered_again_once_only(database, monkeypatch, caplog):
    assert get("/114/").status_code == 200
    cut = CutQueries(monkeypatch, cuts=10, message="server closed the connection unexpectedly")
    response = get("/114/budget/2-2-3/?fresh=2")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert cut.failed == 2
    assert "database unavailable" in caplog.text


def test_a_database_that_refuses_connections_is_not_waited_for(database, monkeypatch):
    assert get("/114/").status_code == 200
    refused = "could not connect to server: Connection refused"
    cut = CutQueries(monkeypatch, cuts=10, message=refused)
    assert get("/114/budget/2-2-3/?fresh=3").status_code == 503
    assert cut.failed == 1


def test_a_worker_that_never_reached_the_database_serves_as_soon_as_it_is_back(
    database, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(published, "_memo", type(published._memo)())  # a process just started
    with patch.object(type(connections["default"]), "ensure_connection", refuse):
        assert get().status_code == 503
    assert published._memo.snapshot.version is None  # asked less than a second ago
    assert get().status_code == 200  # asked again at once, not a second later
