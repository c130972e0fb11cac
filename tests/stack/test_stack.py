"""The production stack, started for real (config/stack/: PostgreSQL 15, Redis, two gunicorn
app servers, Varnish with xkey) on free loopback ports with its data in a temporary folder,
and always stopped: what the issue of scaling out promised, tried as an operator would.

Skipped, naming the Debian packages, where a component is not installed; .ci/run installs them
and runs these once, in its PostgreSQL pass (`-m stack`).
"""

import http.client
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from config.stack import HOST, SITE_HOST, Ports, Stack, missing_packages
from tests.support.admin import form_data
from tests.support.load import Load

pytestmark = [pytest.mark.stack, pytest.mark.slow, pytest.mark.xdist_group("stack")]

OUTAGE_TEXT = "網站暫時無法提供資料"
# Every gunicorn worker looks the data version up again within this (check_seconds() with a
# shared cache, in plan/content/published.py), with a margin.
SETTLED = 0.5
# Public pages readers come for: Varnish holds them before the outages below.
PAGES = ["/", "/114/", "/114/budget/", "/114/budget/2-2/", "/114/goals/", "/114/goals/4/"]


@pytest.fixture(scope="module")
def stack():
    missing = missing_packages()
    if missing:
        pytest.skip(f"needs the Debian package(s) {', '.join(missing)} (.ci/run installs them)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("needs runuser (util-linux) to run PostgreSQL as postgres")
    # Not under pytest's own temporary folders, which the postgres user may not enter.
    root = Path(tempfile.mkdtemp(prefix="kcpd-stack-"))
    root.chmod(0o755)
    live = Stack(root=root, ports=Ports.free())
    try:
        live.start(say=lambda _line: None)
        yield live
    finally:
        live.stop(say=lambda _line: None)
        shutil.rmtree(root, ignore_errors=True)


def get(port: int, path: str, host: str, headers=None, source: str | None = None):
    """A GET (or any method, with `method` in headers) on loopback: status, headers, text."""
    headers = dict(headers or {})
    method = headers.pop("method", "GET")
    source_address = (source, 0) if source else None
    connection = http.client.HTTPConnection(HOST, port, timeout=10, source_address=source_address)
    try:
        connection.request(
            method, path, headers={"Host": host, "Accept-Encoding": "identity", **headers}
        )
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def through_varnish(stack, path: str, **options):
    return get(stack.ports.varnish, path, stack.site_host, **options)


def on_app(stack, name: str, path: str):
    port = stack.app_port(name)
    return get(port, path, f"{SITE_HOST}:{port}", {"X-Forwarded-Proto": "https"})


def held_by_varnish(stack, path: str) -> bool:
    through_varnish(stack, path)
    status, headers, _body = through_varnish(stack, path)
    return status == 200 and headers["x-cache"] == "hit"


def purge(stack, keys: str, secret: str | None, source: str | None = None) -> tuple[int, str]:
    headers = {"method": "PURGE", "xkey-purge": keys}
    if secret is not None:
        headers["X-Purge-Secret"] = secret
    status, _headers, body = get(stack.ports.varnish, "/", HOST, headers, source=source)
    return status, body


def test_a_bad_host_through_varnish_is_a_400_and_is_not_cached(stack):
    for host in ("evil.example", "evil.example:80", f"{SITE_HOST}.evil.example"):
        for _ in range(2):
            status, headers, body = get(stack.ports.varnish, "/114/budget/2-2/", host)
            assert status == 400 and "無法處理這個請求" in body, host
            assert headers["x-cache"] == "miss", host
    assert held_by_varnish(stack, "/114/budget/2-2/")


def test_a_purge_from_outside_the_acl_or_without_the_secret_is_refused_and_purges_nothing(stack):
    secret = stack.secret("purge-secret")
    assert held_by_varnish(stack, "/114/goals/4/")
    # 127.0.0.2 is loopback too, but not in the ACL (which lists 127.0.0.1 and ::1).
    assert purge(stack, "all-objects", secret, source="127.0.0.2")[0] == 403
    assert purge(stack, "all-objects", "not-the-secret")[0] == 403
    assert purge(stack, "all-objects", None)[0] == 403
    assert through_varnish(stack, "/114/goals/4/")[1]["x-cache"] == "hit"
    # The right secret from the ACL does purge.
    status, body = purge(stack, "all-objects", secret)
    assert status == 200 and int(re.search(r"Purged (\d+)", body)[1]) >= 1
    assert through_varnish(stack, "/114/goals/4/")[1]["x-cache"] == "miss"


class AdminBrowser:
    """The admin on one app server, over HTTP as a browser uses it: cookies, CSRF, forms."""

    def __init__(self, stack, name: str):
        self.port = stack.app_port(name)
        self.host = f"{SITE_HOST}:{self.port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";")[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            return response.status, response.getheader("Location", ""), text
        finally:
            connection.close()

    def log_in(self, username: str, password: str) -> None:
        login = reverse("admin:login")
        self.request("GET", login)
        status, _location, text = self.request(
            "POST", login, {"username": username, "password": password, "next": "/admin/"}
        )
        assert status == 302 and "sessionid" in self.cookies, text[:2000]

    def post(self, path: str, form: dict) -> str:
        status, location, text = self.request("POST", path, form)
        assert status == 302, text[:3000]
        return location


def _publish_editor_note(stack, browser: AdminBrowser, note: str) -> None:
    """Edit budget line 2-2-3's editor's note in a draft on app server A, and publish it."""
    line = stack.manage(
        "shell", "--no-imports", "-c",
        "from plan.models import BudgetLine; "
        "print(BudgetLine.objects.get(plan__published=True, code='2-2-3').pk)",
    ).strip()  # fmt: skip
    location = browser.post(reverse("admin:plan_draft_edit", args=["budgetline", line]), {})
    copy = int(location.rstrip("/").split("/")[-2])
    change = reverse("admin:plan_budgetline_change", args=[copy])
    status, _location, page = browser.request("GET", change)
    assert status == 200
    browser.post(change, form_data(page) | {"editor_note": note})
    draft = stack.manage(
        "shell", "--no-imports", "-c",
        f"from plan.models import BudgetLine as B; print(B.objects.get(pk={copy}).plan.draft.pk)",
    ).strip()  # fmt: skip
    browser.post(reverse("admin:plan_draft_publish", args=[draft]), {"reason": "補充編者註"})


def test_an_admin_edit_on_server_a_shows_through_varnish_and_on_server_b_within_a_second(stack):
    path = "/114/budget/2-2-3/"
    note = f"跨伺服器修訂 {secrets.token_hex(3)}"
    browser = AdminBrowser(stack, "a")
    browser.log_in("admin", stack.secret("admin-password"))
    assert held_by_varnish(stack, path)
    on_app(stack, "b", path)
    assert note not in on_app(stack, "b", path)[2]  # B has the page in its own cache
    tag_header = getattr(settings, "CACHE_TAG_HEADER", "xkey").lower()
    app_tags = tag_header in on_app(stack, "a", path)[1]

    _publish_editor_note(stack, browser, note)
    published = time.monotonic()
    seen = {}
    while not seen.keys() >= {"b", "varnish"} and time.monotonic() - published < 3:
        if "b" not in seen and note in on_app(stack, "b", path)[2]:
            seen["b"] = time.monotonic() - published
        if not app_tags and "purged" not in seen and time.monotonic() - published > SETTLED:
            # Until the app tags its pages and purges them on publish (the tags branch), the
            # test purges, once every worker has looked the data version up again: a purge
            # before that could have Varnish fetch the old page from one that had not.
            assert purge(stack, "all-objects", stack.secret("purge-secret"))[0] == 200
            seen["purged"] = time.monotonic() - published
        if "varnish" not in seen and note in through_varnish(stack, path)[2]:
            seen["varnish"] = time.monotonic() - published
        time.sleep(0.05)
    assert seen.keys() >= {"b", "varnish"}, seen
    assert seen["b"] <= 1.0, seen
    # From the app's purge (sent on publish), or else from the test's.
    assert seen["varnish"] - seen.get("purged", 0) <= 1.0, seen


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)


def test_postgresql_stopped_and_started_under_load(stack):
    """0 5xx for the pages Varnish holds; the site's 503 page for others while no app server
    has its database; 0 503 once Varnish sees an app server healthy again."""
    for page in PAGES:
        assert held_by_varnish(stack, page), page
    fresh = lambda: f"/114/budget/2-2/?x={secrets.token_hex(4)}"  # noqa: E731
    cached = iter(PAGES * 100_000)
    with (
        Load(stack.ports.varnish, stack.site_host, lambda: next(cached)) as held,
        Load(stack.ports.varnish, stack.site_host, fresh, threads=2) as uncached,
    ):
        time.sleep(1)
        stack.stop_postgres()
        try:
            # Each app server fails its probes: Varnish takes both out.
            _wait_for(lambda: not stack.healthy_backends(), 15, "both probes to fail")
            status, headers, body = through_varnish(stack, fresh())
            assert status == 503 and OUTAGE_TEXT in body
            assert headers["retry-after"] == "30"
            # Styled without an app server: its stylesheet inline, allowed by its hash only.
            assert "<style>" in body and 'rel="stylesheet"' not in body
            assert "style-src 'sha256-" in headers["content-security-policy"]
            time.sleep(2)
        finally:
            stack.start_postgres()
        _wait_for(lambda: stack.healthy_backends(), 15, "an app server healthy again")
        recovered = time.monotonic()
        time.sleep(3)
    during = held.statuses()
    assert set(during) == {200}, during
    after = held.statuses(since=recovered)
    after_uncached = uncached.statuses(since=recovered)
    assert set(after) == {200} and set(after_uncached) == {200}, (after, after_uncached)
    assert sum(after_uncached.values()) >= 10


def test_app_server_a_killed_under_load_loses_no_request(stack):
    """Requests Varnish does not hold (each its own query string) are spread over both app
    servers; A is killed (master and workers, SIGKILL) mid-load; Varnish retries on B."""
    fresh = lambda: f"/114/budget/2-2/?x={secrets.token_hex(4)}"  # noqa: E731
    try:
        with Load(stack.ports.varnish, stack.site_host, fresh, threads=4) as load:
            time.sleep(1.5)
            stack.kill_app("a")
            killed = time.monotonic()
            time.sleep(4)  # past the probes taking A out
        answers = load.statuses()
        assert set(answers) == {200}, answers
        assert sum(load.statuses(since=killed).values()) >= 20
        assert on_app(stack, "b", "/healthz")[0] == 200
    finally:
        stack.kill_app("a")
        stack.start_app("a")
