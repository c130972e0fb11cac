"""The site served over HTTP from the session's test database (the plan and the synonyms are
loaded there once), for tools that need a real server: pytest-django's live_server flushes the
database after each test; this one does not."""

from contextlib import contextmanager

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread


@contextmanager
def serving(django_db_blocker):
    """Yields the server's base URL, http://127.0.0.1:<port>."""
    with django_db_blocker.unblock():
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        server = LiveServerThread(
            "127.0.0.1", StaticFilesHandler, connections_override=shared, port=0
        )
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()
