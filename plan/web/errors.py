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
from django.urls import Resolver404, reverse
from django.utils.translation import gettext
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt

from plan.addresses.languages import HTML_LANG, current, is_english


def error_page(status: int, reason: str = "", links=(), plan=None) -> HttpResponse:
    """The page for `status`, in the request's language, with an optional sentence saying
    what went wrong and (label, url) links to where the reader may go instead; titled with
    `plan`'s title (the plan the address is about, already in memory) when there is one."""
    context = {
        "reason": reason,
        "links": list(links),
        "site_plan": plan,
        "html_lang": HTML_LANG[current()],
        "english": is_english(),
    }
    response = HttpResponse(render_to_string(f"{status}.html", context), status=status)
    response["Cache-Control"] = "no-store"
    response.site_error_page = True
    return response


def bad_request(request, exception=None):
    return error_page(400)


def _in_the_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _admin_403(reason: str) -> HttpResponse:
    return error_page(403, reason, [(gettext("回到管理後台首頁"), reverse("admin:index"))])


def permission_denied(request, exception=None):
    if _in_the_admin(request):
        return _admin_403(
            gettext("您的帳號沒有檢視或修改這個頁面的權限；如需權限，請洽系統管理員。")
        )
    return error_page(403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: in the admin, the editors' 403 (a form sent from an expired or
    other page); elsewhere Django's own page, as before."""
    if _in_the_admin(request):
        return _admin_403(
            gettext(
                "表單無法驗證（可能是頁面開啟太久，或已在其他分頁登出、登入）。"
                "請回到管理後台重新開啟頁面，再送出一次。"
            )
        )
    return django_csrf_failure(request, reason)


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
    return error_page(404, reason, plan=getattr(request, "plan", None))


def server_error(request):
    return error_page(500, plan=getattr(request, "plan", None))


def method_not_allowed() -> HttpResponse:
    response = error_page(405)
    response["Allow"] = "GET, HEAD"
    return response


def safe_methods_only(view):
    """Like Django's require_safe (GET and HEAD only), answering other methods with the
    site's 405 page (in the address's language) instead of an empty body.

    Exempt from the CSRF check, which would otherwise refuse a PUT, DELETE, PATCH or POST
    with a 403 before the view could say 405: a view that changes nothing for any method has
    nothing for that check to protect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed()
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


class OneLineSecurityEvents(logging.Filter):
    """A client's bad request (disallowed Host, too many fields) is logged as one line: its
    traceback says nothing new and would let one client fill the log."""

    def filter(self, record):
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True
