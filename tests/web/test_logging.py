"""The console log prints each line once: in development (`make run`: runserver, DEBUG on) and
in production (gunicorn, DEBUG off); a server error still logs its traceback."""

import contextlib
import io
import logging
import threading
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.test import Client
from django.utils.log import configure_logging

from plan.models import BudgetLineQuerySet

pytestmark = pytest.mark.django_db

MODES = {"development": True, "production": False}


@pytest.fixture(params=MODES, ids=list(MODES))
def console(request, settings):
    """What the process prints on its console, with logging set up as at startup."""
    settings.DEBUG = MODES[request.param]
    output = io.StringIO()
    with contextlib.redirect_stderr(output):
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    yield output
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_a_missing_page_is_logged_once(plan, console):
    assert Client().get("/114/budget/no-such-line/").status_code == 404
    assert console.getvalue().count("Not Found: /114/budget/no-such-line/") == 1


def test_a_server_error_is_logged_once_with_its_traceback(plan, console, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("the tree is broken")

    monkeypatch.setattr(BudgetLineQuerySet, "as_tree", broken)
    assert Client(raise_request_exception=False).get("/114/budget/").status_code == 500
    printed = console.getvalue()
    assert printed.count("Internal Server Error: /114/budget/") == 1
    assert printed.count("Traceback (most recent call last)") == 1
    assert printed.count("RuntimeError: the tree is broken") == 1


def test_the_dev_server_prints_each_request_once_with_its_time(console):
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz") as answer:
            assert answer.status == 200
    finally:
        thread.join(timeout=30)
        server.server_close()
    lines = [line for line in console.getvalue().splitlines() if "GET /healthz" in line]
    assert len(lines) == 1
    assert lines[0].startswith("[") and '] "GET /healthz HTTP/1.1" 200' in lines[0]


def test_the_reloader_announces_itself_once(console):
    # What runserver's autoreloader logs when it starts.
    logging.getLogger("django.utils.autoreload").info("Watching for file changes with %s", "X")
    assert console.getvalue().count("Watching for file changes with X") == 1
