"""Response headers the framework does not set, and a friendly page when the database is down."""

import logging
import time

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import response_for_exception
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext

from plan.addresses.hosts import checked_host
from plan.addresses.languages import (
    ENGLISH,
    ENGLISH_PREFIX,
    is_english,
    language_prefix,
    split_language,
)
from plan.addresses.year_prefix import YEAR_PATH, in_year, is_plan_path, year_reverse
from plan.content import published
from plan.reading.english_names import plan_label

from .errors import error_page, method_not_allowed, page_not_found, server_error

logger = logging.getLogger(__name__)


# For responses that did not pass the middleware that sets these (e.g. the HTTPS redirect and
# the unknown year's 404, answered before CSP and frame options run, and the error pages under
# DEBUG, which django-csp leaves without a policy): the site's own Content-Security-Policy
# (settings.CONTENT_SECURITY_POLICY, built per response), so that an error page still loads
# the stylesheet and nothing else; nothing may be framed.
FALLBACK_HEADERS = {
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
        framing_set = "Content-Security-Policy" in response
        if not framing_set:
            response["Content-Security-Policy"] = build_policy()
        for header, value in FALLBACK_HEADERS.items():
            # A page whose own policy names who may frame it (the embeds) keeps that policy.
            if header == "X-Frame-Options" and framing_set:
                continue
            response.setdefault(header, value)
        return response


class DebugErrorPagesMiddleware:
    """Under DEBUG (`make run`), the site's own 404 and 500 pages instead of Django's
    technical ones, so that a developer sees what a reader will: the technical pages need
    inline styles, which the site's policy forbids. The traceback is still logged to the
    console (settings.LOGGING), and the test client still raises it.

    Just inside SecurityHeadersMiddleware, which gives the page the site's headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or getattr(response, "site_error_page", False):
            return response
        if response.status_code not in (404, 500):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response  # the API's JSON errors
        if response.status_code == 404:
            page = page_not_found(request, getattr(request, "view_exception", None))
        else:
            page = server_error(request)
        # Django logged the technical page's error already; not a second time for this one.
        page._has_been_logged = getattr(response, "_has_been_logged", False)
        return page

    def process_exception(self, request, exception):
        # Kept for the 404 page's sentence (「找不到這個預算項目」); Django goes on as usual.
        request.view_exception = exception


class LanguageMiddleware:
    """The language of a request, from its address alone (plan/addresses/languages.py).

    /en/114/budget/2-2/ is answered in English as /114/budget/2-2/ is in Chinese: the language
    is active while the request is answered (the error pages included) and /en is taken off
    the path that is resolved. Only the plan's pages have an English address; anything else
    under /en/ (the admin, the API, static files) is an English 404. Just inside
    SecurityHeadersMiddleware, so that every page below it speaks the request's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, rest = split_language(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            if language != ENGLISH:
                return self.get_response(request)
            try:  # judged here too, so that the 400 page is English and comes first
                checked_host(request)
            except DisallowedHost as error:
                return response_for_exception(request, error)
            if request.path_info == ENGLISH_PREFIX:
                return HttpResponsePermanentRedirect(f"{ENGLISH_PREFIX}/")
            # Links made without a year (the 404 of /en/admin/ or /en/113/) stay in English.
            previous = get_script_prefix()
            set_script_prefix(f"{ENGLISH_PREFIX}/")
            try:
                if not (rest == "/" or YEAR_PATH.match(rest) or is_plan_path(rest)):
                    return page_not_found(request, None)
                request.path_info = rest
                return self.get_response(request)
            finally:
                set_script_prefix(previous)


class HostMiddleware:
    """Every request's Host is judged before anything answers it: Django's rules plus a valid
    port (plan/addresses/hosts.py). Just inside SecurityHeadersMiddleware, so that the 400
    page carries the security headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        checked_host(request)
        return self.get_response(request)


class YearMiddleware:
    """Which plan a request is about, from the year its path starts with
    (plan/addresses/year_prefix.py).

    /114/budget/2-2/ is resolved as /budget/2-2/ for the plan of 114, with /114/ as the script
    prefix so that every link made while answering stays in that year. / is the newest plan's
    home; a plan's address without a year (/budget/2-2/, the form published before years)
    redirects to the newest plan's (302: "newest" changes). Anything else (the admin, static
    files, robots.txt, the sitemap, health checks) has no year.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        snapshot = published.current()
        plans = snapshot.plans
        match = YEAR_PATH.match(request.path_info)
        # The database has not answered since the process began: the plans' addresses cannot
        # be told apart; the others (the admin, health checks, an unknown address) go on.
        needs_plans = match or request.path_info == "/" or is_plan_path(request.path_info)
        if snapshot.unread and needs_plans:
            return _unavailable()
        if match:
            year = int(match["year"])
            plan = snapshot.plan_of(year)
            if plan is None:
                reason = (
                    gettext("沒有 %(year)s 年度的施政計畫。") % {"year": year}
                    if plans
                    else gettext("尚未載入施政計畫資料。")
                )
                return error_page(404, reason, links=year_links(plans))
            if match["rest"] is None:
                return HttpResponsePermanentRedirect(f"{request.path}/")
            return self._answer(request, plan, match["rest"])
        newest = plans[0] if plans else None
        if newest is not None and is_plan_path(request.path_info):
            if request.method not in ("GET", "HEAD"):
                return method_not_allowed()
            year_path = f"{language_prefix()}/{newest.fiscal_year}"
            return HttpResponseRedirect(year_path + request.get_full_path_info())
        if newest is not None and request.path_info == "/":
            return self._answer(request, newest, "/")
        return self.get_response(request)

    def _answer(self, request, plan, path_info: str):
        request.plan = plan
        request.path_info = path_info
        with in_year(plan.fiscal_year):
            return self.get_response(request)


def year_links(plans) -> list[tuple[str, str]]:
    """Each published plan's home, newest first: where a reader can go instead (its title in
    the page's language)."""
    english = is_english()
    return [
        (plan_label(plan, english=english), year_reverse(plan.fiscal_year, "plan:home"))
        for plan in plans
    ]


def _unavailable():
    response = error_page(503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a static page when the database cannot be reached; run a read whose
    connection was cut mid-query once more, on a new connection.

    The page is rendered without a request context: the context processors would ask the
    database again. Django opens a new connection on the next request, so the site recovers
    by itself when the database is back.

    A connection cut while a request was being answered (PostgreSQL restarting terminates its
    connections; so does pg_terminate_backend) is not an outage of the database but of that
    one connection: a GET or HEAD is answered again from the start of the middleware below,
    on a new connection, once, after waiting up to RECONNECT_SECONDS for the database to take
    one (a restart keeps it away for about a second). Nothing has been sent by then (Django
    answers only once the whole stack has returned), it is a read (GET and HEAD change
    nothing), and no transaction is open (there is none on the public pages; a cut inside one
    is answered 503). A response streamed after it left the stack is out of reach.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(response, "database_error", None)
        if error is None:
            return response
        if not (_retryable(request, error) and _reconnect(RECONNECT_SECONDS)):
            logger.error("database unavailable: %s", error)
            return response
        logger.warning(
            "database connection cut (%s) during %s %s: answered again on a new connection",
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
            request.method,
            request.path,
        )
        response = self.get_response(request)  # once: this answer stands, whatever it is
        if getattr(response, "database_error", None) is not None:
            logger.error("database unavailable: %s", response.database_error)
        return response

    def process_exception(self, request, exception):
        if not _is_connection_error(exception):
            return None
        published.drop_dead_connections()
        response = _unavailable()
        response.database_error = exception  # logged, and maybe retried, by __call__
        return response


# How long a read whose connection was cut waits for a new one before it is answered 503.
RECONNECT_SECONDS = 3.0
_RECONNECT_PAUSE = 0.05


def _retryable(request, error) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and _is_cut_connection(error)
        and not any(each.in_atomic_block for each in connections.all(initialized_only=True))
    )


def _reconnect(seconds: float) -> bool:
    """Whether a new connection to the default database was made within `seconds`."""
    connection = connections[DEFAULT_DB_ALIAS]
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.close()
            connection.ensure_connection()
            return True
        except DatabaseError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_RECONNECT_PAUSE)


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


def _is_cut_connection(exception) -> bool:
    """A connection that was open and has been lost (not one that could not be made)."""
    if isinstance(exception, InterfaceError):
        return True
    text = str(exception).lower()
    return isinstance(exception, OperationalError) and any(
        marker in text
        for marker in (
            "terminating connection",
            "server closed the connection",
            "connection is closed",
            "connection already closed",
            "connection is lost",
            "consuming input failed",
            "eof detected",
            "connection reset",
        )
    )
