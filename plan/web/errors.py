"""Error pages, rendered from nothing that can fail again: no request data, no database.

A page that failed because of its request (a disallowed Host, too many query fields) or of
the database must not fail a second time while saying so; the templates extend
errors/base.html, which needs neither.

Also the log filter that keeps a client's bad request to one line (settings.LOGGING loads it
before the apps: this module imports no model).
"""

import json
import logging
from functools import wraps

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404


def error_page(status: int, reason: str = "", links=()) -> HttpResponse:
    """The Chinese page for `status`, with an optional sentence saying what went wrong and
    (label, url) links to where the reader may go instead."""
    context = {"reason": reason, "links": list(links)}
    response = HttpResponse(render_to_string(f"{status}.html", context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return error_page(400)


def permission_denied(request, exception=None):
    return error_page(403)


def json_error(status: int, detail: str) -> HttpResponse:
    """An error in the API's shape ({"detail": …}), for /api/ addresses no operation answers."""
    body = json.dumps({"detail": detail}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return json_error(404, "沒有這個 API 網址；說明見 /api/openapi.json。")
    # Our own Http404 messages say what is missing (「找不到這個預算項目」); the resolver's
    # say which patterns were tried, which is not for readers.
    reason = ""
    if isinstance(exception, Http404) and not isinstance(exception, Resolver404):
        message = exception.args[0] if exception.args else ""
        reason = message if isinstance(message, str) else ""
    return error_page(404, reason)


def server_error(request):
    return error_page(500)


def method_not_allowed() -> HttpResponse:
    response = error_page(405)
    response["Allow"] = "GET, HEAD"
    return response


def safe_methods_only(view):
    """Like Django's require_safe (GET and HEAD only), answering other methods with the
    Chinese 405 page instead of an empty body."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed()
        return view(request, *args, **kwargs)

    return wrapper


class OneLineSecurityEvents(logging.Filter):
    """A client's bad request (disallowed Host, too many fields) is logged as one line: its
    traceback says nothing new and would let one client fill the log."""

    def filter(self, record):
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True
