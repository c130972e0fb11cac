"""Production mode as users get it: PRODUCTION=1 under gunicorn, hostile requests on the wire.

Raw requests over a socket, so that what a real client can send (no Host at all, a forged
one, a request line gunicorn refuses) is what is tested. On PostgreSQL, the servers run on a
cluster of their own (tests/support/postgresql.py), which the last tests cut, stop and start:
a read whose connection is cut is answered again, the site lives through a restart under load
without a 503 once the database is back, and through an outage with its 503 page and the pages
it has cached (served by every worker alike), then recovers.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from bench.server import HOST, Server
from tests.support import postgresql

# One worker runs the module: its servers and their database are made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("gunicorn")]

HOSTNAME = "plan.example.org"
SECURITY_HEADERS = (
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "cross-origin-opener-policy",
)
OUTAGE_TEXT = "網站暫時無法提供資料"


def _environment(database_url: str, static_root: Path) -> dict:
    unwanted = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    return env | {
        "PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOSTNAME,
        "SITE_URL": f"https://{HOSTNAME}",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        # The page cache's files: shared by the workers of one server, not by the test runs.
        "CACHE_DIR": str(static_root.parent / "cache"),
        "LOG_LEVEL": "WARNING",
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@dataclass
class Site:
    work: Path
    env: dict
    cluster: postgresql.Cluster | None  # on PostgreSQL, where its tools are at hand


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    """A database of its own with the plan loaded, and collected static files: what the
    servers below run on. On PostgreSQL a cluster of its own where PostgreSQL's tools are at
    hand (the last tests stop it), else a new database in the test cluster: this module changes
    data, which must not reach the other tests' database."""
    work = tmp_path_factory.mktemp("gunicorn")
    with ExitStack() as stack:
        cluster = None
        if connection.vendor != "postgresql":
            database_url = f"sqlite:///{work / 'db.sqlite3'}"
        elif postgresql.available():
            cluster = stack.enter_context(postgresql.own_cluster())
            database_url = cluster.url
        else:
            database_url = stack.enter_context(_database_in_test_cluster(django_db_blocker))
        env = _environment(database_url, work / "static")
        _manage(env, "migrate", "--noinput")
        _manage(env, "loadplan")
        _manage(env, "collectstatic", "--noinput")
        yield Site(work, env, cluster)


@contextmanager
def _database_in_test_cluster(django_db_blocker):
    params = connection.settings_dict
    created = f"kcpd_gunicorn_{secrets.token_hex(4)}"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{created}"')
    try:
        yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{created}"
    finally:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def _serve(work: Path, env: dict, name: str, workers: int = 2):
    log = work / f"{name}.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    live = Server(
        gunicorn=gunicorn,
        project=settings.BASE_DIR,
        env=env,
        workers=workers,
        log=log,
        host_header=HOSTNAME,
    )
    live.log = log
    live.env = env
    return live


@pytest.fixture(scope="module")
def server(site):
    with _serve(site.work, site.env, "gunicorn") as live:
        yield live


@pytest.fixture(scope="module")
def redis_server(site):
    """The same site with a shared cache: a throwaway Redis on a Unix socket."""
    work, env = site.work, site.env
    socket_path = work / "redis.sock"
    redis = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        shared = env | {"REDIS_URL": f"unix://{socket_path}"}
        with _serve(work, shared, "gunicorn-redis") as live:
            yield live
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def raw(server, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as is; the status, headers (lower-cased names) and body of the answer."""
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(server, path: str, *, host: str | None = HOSTNAME, proto="https", extra=b"") -> tuple:
    lines = [f"GET {path} HTTP/1.1".encode()]
    if host is not None:
        lines.append(b"Host: " + host.encode())
    if proto:
        lines.append(f"X-Forwarded-Proto: {proto}".encode())
    lines.append(b"Connection: close")
    return raw(server, b"\r\n".join(lines) + b"\r\n" + extra + b"\r\n")


def test_a_page_is_served_with_every_security_header_and_no_server_name(server):
    status, headers, body = get(server, "/114/budget/2-2/")
    assert status == 200
    for name in (*SECURITY_HEADERS, "strict-transport-security"):
        assert name in headers, name
    assert "gunicorn" not in headers.get("server", "").lower()
    assert f'href="https://{HOSTNAME}/114/budget/2-2/"'.encode() in body


@pytest.mark.parametrize(
    "host",
    ["evil.example", "", f"{HOSTNAME}:abc", f"{HOSTNAME}:99999", f"{HOSTNAME}@evil.example", None],
)
def test_a_bad_or_missing_host_is_a_400_page_logged_in_one_line(server, host):
    before = server.log.read_text(errors="replace")
    for path in ("/", "/healthz", "/114/budget/2-2/", "/nope/"):
        status, _headers, body = get(server, path, host=host)
        assert status == 400, (host, path)
        assert "無法處理這個請求".encode() in body
    time.sleep(0.3)  # let the workers flush their log lines
    written = server.log.read_text(errors="replace")[len(before) :]
    assert "Traceback" not in written
    assert len(written.strip().splitlines()) <= 4, written


def test_too_many_fields_and_nul_bytes_are_4xx_not_5xx(server):
    many = "&".join("a=" for _ in range(1100))  # within gunicorn's 4094-byte request line
    status, _headers, body = get(server, f"/114/search/?q=ab&{many}")
    assert status == 400 and "無法處理這個請求".encode() in body
    status, _headers, body = get(server, "/114/search/?q=ab%00cd")
    assert status == 200 and b"\x00" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
def test_odd_methods_are_405(server, method):
    request = (
        f"{method} /114/budget/2-2/ HTTP/1.1\r\nHost: {HOSTNAME}\r\nX-Forwarded-Proto: https\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()
    status, headers, _body = raw(server, request)
    assert status == 405, method
    assert headers["allow"] == "GET, HEAD"
    assert "content-security-policy" in headers


def test_gunicorn_refuses_an_overlong_request_line_itself(server):
    status, _headers, _body = get(server, "/" + "a" * 5000)
    assert status in (400, 414)


def test_plain_http_is_redirected_with_the_security_headers(server):
    status, headers, _body = get(server, "/114/budget/2-2/", proto="http")
    assert status == 301
    assert headers["location"] == f"https://{HOSTNAME}/114/budget/2-2/"
    for name in SECURITY_HEADERS:
        assert name in headers, name


def test_health_checks(server):
    assert get(server, "/healthz")[0] == 200
    assert get(server, "/healthz/live")[0] == 200


def _edit_line_note(env: dict, note: str) -> None:
    """An edit made by another process (as an admin's save is, for the gunicorn workers)."""
    code = (
        "from plan.models import BudgetLine; line = BudgetLine.objects.get(code='2-2-3'); "
        f"line.editor_note = {note!r}; line.save()"
    )
    _manage(env, "shell", "--no-imports", "-c", code)


def _seen_by_every_request(server, note: str, tries: int = 12) -> list[bool]:
    path = "/114/budget/2-2-3/"
    return [
        note.encode() in get(server, path, extra=b"Accept-Encoding: identity\r\n")[2]
        for _ in range(tries)
    ]


@pytest.mark.parametrize("which", ["server", "redis_server"])
def test_a_save_reaches_every_worker_within_a_second(request, which):
    if which == "redis_server" and not shutil.which("redis-server"):
        pytest.skip("needs redis-server (Debian package redis-server; .ci/run installs it)")
    live = request.getfixturevalue(which)
    note = f"跨程序修訂 {secrets.token_hex(3)}"
    assert not any(_seen_by_every_request(live, note))  # every worker has the page cached
    _edit_line_note(live.env, note)
    time.sleep(1.1)  # the data version is checked at most once a second
    assert all(_seen_by_every_request(live, note))


def _own_cluster(site) -> postgresql.Cluster:
    if site.cluster is None:
        pytest.skip("needs PostgreSQL and its tools (PGTEST_BIN_DIR, as .ci/run sets it)")
    return site.cluster


def test_no_request_fails_after_the_database_restarts(site, server):
    cluster = _own_cluster(site)
    # Fresh query strings, so that no answer comes from a cache.
    pages = ["/114/budget/2-2-3/?x=", "/114/search/?q=%E8%A9%90%E6%AC%BA&x=", "/114/goals/4/?x="]
    for _ in range(4):  # every worker holds a persistent connection
        for path in pages:
            assert get(server, path + secrets.token_hex(4))[0] == 200
    cluster.stop()
    cluster.start()
    statuses = [get(server, path + secrets.token_hex(4))[0] for _ in range(4) for path in pages]
    assert statuses == [200] * len(statuses)


def _retried(log: Path, before: int) -> int:
    return log.read_text(errors="replace")[before:].count("answered again on a new connection")


def test_a_read_cut_mid_query_is_answered_again_on_a_new_connection(site, server):
    """The workers' queries are held by a lock, their connections terminated mid-query (as a
    restart or an operator's pg_terminate_backend does): each request is answered in full."""
    cluster = _own_cluster(site)
    before = len(server.log.read_text(errors="replace"))
    waiting = (
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    with psycopg.connect(cluster.url) as locker, psycopg.connect(cluster.url) as watcher:
        watcher.autocommit = True
        locker.execute("LOCK TABLE plan_measure IN ACCESS EXCLUSIVE MODE")
        with ThreadPoolExecutor(max_workers=2) as pool:
            paths = [f"/114/budget/2-2-3/?cut={secrets.token_hex(4)}" for _ in range(2)]
            answers = [pool.submit(get, server, path) for path in paths]
            deadline = time.monotonic() + 10
            held = []
            while time.monotonic() < deadline and len(held) < 2:
                time.sleep(0.1)
                held = watcher.execute(waiting).fetchall()
            assert held, "no request reached the locked table"
            for (pid,) in held:
                watcher.execute("SELECT pg_terminate_backend(%s)", [pid])
            locker.rollback()
            statuses = [answer.result()[0] for answer in answers]
    assert statuses == [200, 200]
    time.sleep(0.3)  # let the workers flush their log lines
    assert _retried(server.log, before) == len(held)
    assert "database unavailable" not in server.log.read_text(errors="replace")[before:]


def test_a_restart_under_load_costs_no_request_once_the_database_is_back(site, server):
    """Four clients ask for uncached pages while PostgreSQL restarts: requests in flight are
    answered again, and every request made after the database is back is a 200."""
    cluster = _own_cluster(site)
    before = len(server.log.read_text(errors="replace"))
    pages = ["/114/budget/2-2-3/?x=", "/114/search/?q=%E8%A9%90%E6%AC%BA&x=", "/114/goals/4/?x="]
    done: list[tuple[float, int]] = []
    stop = threading.Event()

    def client(number):
        while not stop.is_set():
            started = time.monotonic()
            status = get(server, pages[number % 3] + secrets.token_hex(4))[0]
            done.append((started, status))

    with ThreadPoolExecutor(max_workers=4) as pool:
        for number in range(4):
            pool.submit(client, number)
        time.sleep(1)
        down = time.monotonic()
        cluster.stop()
        cluster.start()
        back = time.monotonic()
        time.sleep(2)
        stop.set()
    after = [status for started, status in done if started >= back]
    during = [status for started, status in done if down <= started < back]
    print(
        f"restart {back - down:.2f} s; {len(done)} requests, {len(during)} during the restart "
        f"({during.count(503)} answered 503), {len(after)} after it (all 200: "
        f"{set(after) == {200}}); {_retried(server.log, before)} answered again"
    )
    assert len(after) >= 10 and set(after) == {200}
    assert all(status in (200, 503) for _started, status in done)


def test_a_stopped_database_gives_the_503_page_and_cached_pages_then_the_site_recovers(site):
    cluster = _own_cluster(site)
    # Three workers sharing the machine's page cache (files, without REDIS_URL): the page one
    # of them cached is served, stale, by whichever answers.
    env = site.env | {"CACHE_DIR": str(site.work / "cache-outage")}  # nothing cached yet
    with _serve(site.work, env, "gunicorn-outage", workers=3) as live:
        assert get(live, "/114/budget/2-2/")[0] == 200  # now in the page cache
        cluster.stop()
        try:
            time.sleep(1.1)  # the data version is looked up again after a second
            for _ in range(12):  # a new connection each: every worker answers some
                status, headers, _body = get(live, "/114/budget/2-2/")
                assert status == 200
                # Marked stale by a worker that asked the database; one that trusts the data
                # version in the shared cache (up to a minute) serves it as it is: the same page.
                if "warning" in headers:
                    assert headers["warning"] == '110 - "Response is Stale"'
                    assert "max-age=0" in headers["cache-control"]
            for path in ("/", "/114/budget/2-2-3/", "/114/search/?q=%E8%A9%90%E6%AC%BA"):
                status, headers, body = get(live, path)
                assert status == 503 and OUTAGE_TEXT in body.decode(), path
                assert headers["retry-after"] == "30" and b"Traceback" not in body
            assert get(live, "/nope/")[0] == 404
            # Under a year: 404 from a worker that knows the plans; 503 from one that has not
            # reached the database since it started (it cannot tell whether 114 exists).
            assert get(live, "/114/budget/2-2/nope/x")[0] in (404, 503)
            status, _headers, body = get(live, "/healthz")
            assert status == 503 and b"database unavailable" in body
            assert get(live, "/healthz/live")[0] == 200
        finally:
            cluster.start()
        for path in ("/114/budget/2-2-3/", "/healthz", "/114/search/?q=%E8%A9%90%E6%AC%BA"):
            assert get(live, path)[0] == 200, path
        time.sleep(1.1)
        assert "warning" not in get(live, "/114/budget/2-2/")[1]  # fresh again


def test_the_log_has_no_traceback(server):
    assert not re.search(r"Traceback", server.log.read_text(errors="replace"))
