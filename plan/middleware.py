"""Response headers the framework does not set, and a friendly page when the database is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

from .views.errors import error_page

logger = logging.getLogger(__name__)


# For responses that did not pass the middleware that sets these (e.g. the HTTPS redirect,
# answered before CSP and frame options run): nothing may be framed, loaded or run.
FALLBACK_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """The outermost middleware: Permissions-Policy on every response (Django has no setting
    for it), and the other security headers on responses made before they were set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        for header, value in FALLBACK_HEADERS.items():
            response.setdefault(header, value)
        return response


class OneLineSecurityEvents(logging.Filter):
    """A client's bad request (disallowed Host, too many fields) is logged as one line: its
    traceback says nothing new and would let one client fill the log."""

    def filter(self, record):
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True


class DatabaseUnavailableMiddleware:
    """Answer 503 with a static page when the database cannot be reached.

    The page is rendered without a request context: the context processors would ask the
    database again. Django opens a new connection on the next request, so the site recovers
    by itself when the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_connection_error(exception):
            return None
        logger.error("database unavailable: %s", exception)
        _drop_dead_connections()
        response = error_page(503)
        response["Retry-After"] = "30"
        return response


def _drop_dead_connections() -> None:
    """Close connections that no longer answer, so the next request opens a fresh one.

    Django does this at the start of each request too; doing it here as well means recovery
    does not depend on that (the test client, for one, disconnects it).
    """
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def _is_connection_error(exception) -> bool:
    # OperationalError also covers e.g. a locked SQLite file; only connection failures are
    # outages. InterfaceError is always a dead connection.
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    text = str(exception).lower()
    return any(
        marker in text
        for marker in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "unable to open database",
            "no such table",
            "the database system is",
        )
    )
