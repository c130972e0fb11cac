"""Purges: after a change of published data commits, one PURGE per configured proxy naming
exactly the keys the change touches (docs/operating.md, "Cache tags and purges"); a proxy that
fails is retried and logged, and the edit stands."""

import copy
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from plan.models import BudgetLine, Measure, SearchSynonym
from plan.pagecache import purge
from tests.support.admin import (
    create_editor,
    draft_of,
    edit_and_publish,
    edit_in_draft,
    logged_in_client,
    publish,
)
from tests.support.commands import command_output

pytestmark = pytest.mark.django_db
SECRET = "purge-secret-for-tests"


class FakeVarnish:
    """An HTTP server on 127.0.0.1 that records each request and answers with `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.requests: list[tuple[str, str, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                fake.requests.append((self.command, self.path, dict(self.headers)))
                self.send_response(fake.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self) -> list[set[str]]:
        return [set(headers["xkey-purge"].split()) for _method, _path, headers in self.requests]


@pytest.fixture
def varnishes():
    proxies = [FakeVarnish(), FakeVarnish()]
    with override_settings(
        CACHE_PURGE_URLS=[proxy.url for proxy in proxies], CACHE_PURGE_SECRET=SECRET
    ):
        yield proxies
    for proxy in proxies:
        proxy.server.shutdown()
        proxy.server.server_close()


@pytest.fixture
def editor_client(db):
    return logged_in_client(create_editor("purge-editor", "purge-editor-pass-3141"))


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch):
    monkeypatch.setattr(purge, "BACKOFF_SECONDS", (0.01, 0.02))
    # One purge per change here; the second, confirming one has a test of its own.
    monkeypatch.setattr(purge, "CONFIRM_MARGIN_SECONDS", None)


def committed(capture, action):
    """Run `action`, then commit (run the on-commit callbacks) and wait for the purges."""
    with capture(execute=True):
        result = action()
    assert purge.wait(10)
    return result


def test_a_publish_purges_each_proxy_once_with_the_changed_records_and_the_secret(
    varnishes, editor_client, plan, django_capture_on_commit_callbacks
):
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    measure = Measure.objects.get(plan=plan, code="2-1-1-m2")
    edit_in_draft(editor_client, line, note="更正說明")
    draft = draft_of(edit_in_draft(editor_client, measure, name="新聞聯繫與發布"))
    for proxy in varnishes:
        assert proxy.requests == []  # a draft is nothing the public sees
    committed(
        django_capture_on_commit_callbacks,
        lambda: publish(editor_client, draft, "更正錯字"),
    )
    expected = {"y114-all", "y114-line-2", "y114-line-2-2", "y114-line-2-2-3"}
    expected.add("y114-measure-2-1-1-m2")
    for proxy in varnishes:
        assert len(proxy.requests) == 1
        method, path, headers = proxy.requests[0]
        assert (method, path) == ("PURGE", "/")
        assert set(headers["xkey-purge"].split()) == expected
        assert headers["X-Purge-Secret"] == SECRET


def test_nothing_is_sent_before_the_commit_or_for_a_refused_publish(
    varnishes, editor_client, plan, django_capture_on_commit_callbacks
):
    measure = Measure.objects.get(plan=plan, code="2-1-1-m2")
    with django_capture_on_commit_callbacks() as callbacks:  # not run: never committed
        edit_and_publish(editor_client, measure, name="新聞聯繫與發布")
    assert len(callbacks) >= 1
    assert purge.wait(10)
    assert varnishes[0].requests == []

    copy_ = edit_in_draft(editor_client, Measure.objects.get(plan=plan, code="2-1-1-m1"))
    response = committed(
        django_capture_on_commit_callbacks,
        lambda: publish(editor_client, draft_of(copy_), "沒有修改"),  # changes nothing: refused
    )
    assert response.status_code == 400  # the form again, with why
    assert varnishes[0].requests == []


def test_an_admin_save_of_synonyms_purges_the_searches(
    varnishes, editor_client, plan, django_capture_on_commit_callbacks
):
    group = SearchSynonym.objects.get(words__contains="詐騙")
    url = f"/admin/plan/searchsynonym/{group.pk}/change/"
    data = {"words": "詐騙、詐欺、騙局", "reason": group.reason, "position": group.position}
    response = committed(django_capture_on_commit_callbacks, lambda: editor_client.post(url, data))
    assert response.status_code == 302
    assert varnishes[0].keys() == [{"synonyms"}]


def test_loadsynonyms_that_changes_the_table_purges_once(
    varnishes, plan, django_capture_on_commit_callbacks
):
    SearchSynonym.objects.filter(words__contains="詐騙").update(words="詐騙、騙局")
    output = committed(django_capture_on_commit_callbacks, lambda: command_output("loadsynonyms"))
    assert "已更新" in output
    assert varnishes[0].keys() == [{"synonyms"}]
    committed(django_capture_on_commit_callbacks, lambda: command_output("loadsynonyms"))
    assert len(varnishes[0].requests) == 1  # nothing changed: nothing purged


def test_loadplan_with_a_changed_file_purges_the_year(
    varnishes, plan, plan_document, tmp_path, django_capture_on_commit_callbacks
):
    document = copy.deepcopy(plan_document)
    document["plan"]["title"] += "（修正）"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    committed(django_capture_on_commit_callbacks, lambda: command_output("loadplan", fixture=path))
    assert varnishes[0].keys() == varnishes[1].keys() == [{"y114", "y114-all"}]

    committed(django_capture_on_commit_callbacks, lambda: command_output("loadplan"))
    assert varnishes[0].keys()[1] == {"y114", "y114-all"}  # back to the committed file
    committed(django_capture_on_commit_callbacks, lambda: command_output("loadplan"))
    assert len(varnishes[0].requests) == 2  # unchanged: nothing purged


def test_loadplan_replace_edited_purges_and_records_that_come_or_go_purge_the_site(
    varnishes, plan, django_capture_on_commit_callbacks
):
    def edit_behind_the_loader():
        BudgetLine.objects.filter(plan=plan, code="2-2-3").update(note="改過")
        Measure.objects.filter(plan=plan, code="2-1-1-m2").delete()  # a record goes

    committed(django_capture_on_commit_callbacks, edit_behind_the_loader)
    [keys] = varnishes[0].keys()  # one purge: the measure, and its goal links' goals with it
    assert {"y114-all", "y114-measure-2-1-1-m2"} <= keys
    varnishes[0].requests.clear()
    committed(
        django_capture_on_commit_callbacks,
        lambda: command_output("loadplan", replace_edited=True),
    )
    assert varnishes[0].keys() == [{"site"}]  # the year switchers of other years change


def refusing_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # closed again: connections are refused


def test_a_failing_proxy_is_retried_and_logged_and_the_publish_stands(
    editor_client, plan, django_capture_on_commit_callbacks, caplog
):
    broken, healthy = FakeVarnish(status=500), FakeVarnish()
    refused = refusing_url()
    measure = Measure.objects.get(plan=plan, code="2-1-1-m2")
    draft = draft_of(edit_in_draft(editor_client, measure, name="新聞聯繫與發布"))
    urls = [refused, broken.url, healthy.url]
    caplog.set_level(logging.INFO, logger="plan.pagecache.purge")
    with override_settings(CACHE_PURGE_URLS=urls, CACHE_PURGE_SECRET=SECRET):
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = publish(editor_client, draft, "更正錯字")
        sent = time.perf_counter() - started
        assert purge.wait(10)
    assert response.status_code == 302
    assert Measure.objects.get(plan=plan, code="2-1-1-m2").name == "新聞聯繫與發布"
    assert sent < 2  # the publish did not wait for the proxies
    assert len(broken.requests) == purge.ATTEMPTS and len(healthy.requests) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(f"cache purge: varnish {refused} failed 3 times" in e for e in errors)
    assert any(f"cache purge: varnish {broken.url} failed 3 times (HTTP 500)" in e for e in errors)
    retries = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum(f"varnish {refused} attempt" in message for message in retries) == 2
    for proxy in (broken, healthy):
        proxy.server.shutdown()
        proxy.server.server_close()


def test_without_purge_urls_nothing_is_sent(
    editor_client, plan, django_capture_on_commit_callbacks
):
    measure = Measure.objects.get(plan=plan, code="2-1-1-m2")
    with django_capture_on_commit_callbacks(execute=True):
        edit_and_publish(editor_client, measure, name="新聞聯繫與發布")
    assert purge.wait(1)  # no thread was started


def test_each_proxy_is_purged_again_once_every_app_server_has_seen_the_change(
    varnishes, editor_client, plan, django_capture_on_commit_callbacks, monkeypatch
):
    """Between the commit and the moment every process has looked at the data version (at most
    a second), a proxy may fetch and keep the old page from a process that has not looked yet:
    the second purge, check_seconds() and a margin later, removes it."""
    monkeypatch.setattr(purge, "CONFIRM_MARGIN_SECONDS", 0.3)
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    draft = draft_of(edit_in_draft(editor_client, line, note="更正說明"))
    started = time.monotonic()
    committed(django_capture_on_commit_callbacks, lambda: publish(editor_client, draft, "更正"))
    assert time.monotonic() - started >= purge.check_seconds() + 0.3
    for proxy in varnishes:
        assert len(proxy.requests) == 2
        assert proxy.requests[0][2]["xkey-purge"] == proxy.requests[1][2]["xkey-purge"]
