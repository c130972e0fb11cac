"""Every page type is valid HTML by the standard's own checker, the Nu Html Checker (vnu).

The pages are rendered with the test client, written to a folder and checked in one run of
vnu.jar (one JVM start). The jar comes from the npm package vnu-jar: `make vnu` installs it
into .ci/vnu/, where this test finds it, and `.ci/run` does so and sets VNU_JAR. Without a jar
the test is skipped; with VNU_JAR set to a file that is not there it fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from plan.models import BudgetLineQuerySet, Measure

pytestmark = pytest.mark.django_db

LOCAL_JAR = Path(settings.BASE_DIR, ".ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar")

# name -> (address, status the page is served with)
PAGES = {
    "home": ("/", 200),
    "budget-tree": ("/114/budget/", 200),
    "category": ("/114/budget/2/", 200),
    "item": ("/114/budget/2-2/", 200),
    "subitem": ("/114/budget/2-2-3/", 200),
    "measure": ("/114/measures/2-2-3-m1/", 200),
    "goal-list": ("/114/goals/", 200),
    "goal": ("/114/goals/6/", 200),
    "search-form": ("/114/search/", 200),
    "search-results": ("/114/search/?q=詐欺", 200),
    "search-no-results": ("/114/search/?q=查無此詞", 200),
    "search-fallback": ("/114/search/?q=詐騙集團防制宣導品", 200),
    "search-grouped": ("/114/search/?q=诈骗&group=line", 200),
    "budget-table": ("/114/budget/lines/", 200),
    "budget-table-filtered": ("/114/budget/lines/?category=2&level=bogus&sort=-amount", 200),
    "budget-tree-open": ("/114/budget/?open=all", 200),
    "api-docs": ("/114/open-data/api/", 200),
    "open-data": ("/114/open-data/", 200),
    "about": ("/114/about/", 200),
    "revisions": ("/114/changes/", 200),
    "glossary": ("/114/glossary/", 200),
    "accessibility": ("/114/accessibility/", 200),
    "site-map": ("/114/site-map/", 200),
    "privacy": ("/114/privacy/", 200),
    "open-data-licence": ("/114/open-data-licence/", 200),
    "contact": ("/114/contact/", 200),
    "embed": ("/114/embed/budget/2-2/", 200),
    "revisions-of-a-line": ("/114/changes/?code=2-2-3", 200),
    "bad-request": ("/114/search/results.csv?q=", 400),
    "not-found": ("/114/budget/no-such-line/", 404),
    # The English pages (tests/web/test_languages.py), one of each kind.
    "en-home": ("/en/114/", 200),
    "en-budget-tree": ("/en/114/budget/", 200),
    "en-subitem": ("/en/114/budget/2-2-3/", 200),
    "en-measure": ("/en/114/measures/2-2-3-m1/", 200),
    "en-goal-list": ("/en/114/goals/", 200),
    "en-goal": ("/en/114/goals/6/", 200),
    "en-search-results": ("/en/114/search/?q=詐欺", 200),
    "en-search-english-query": ("/en/114/search/?q=police", 200),
    "en-budget-table": ("/en/114/budget/lines/", 200),
    "en-open-data": ("/en/114/open-data/", 200),
    "en-api-docs": ("/en/114/open-data/api/", 200),
    "en-about": ("/en/114/about/", 200),
    "en-revisions": ("/en/114/changes/", 200),
    "en-glossary": ("/en/114/glossary/", 200),
    "en-accessibility": ("/en/114/accessibility/", 200),
    "en-site-map": ("/en/114/site-map/", 200),
    "en-privacy": ("/en/114/privacy/", 200),
    "en-open-data-licence": ("/en/114/open-data-licence/", 200),
    "en-contact": ("/en/114/contact/", 200),
    "en-embed": ("/en/114/embed/budget/2-2/", 200),
    "en-not-found": ("/en/114/budget/no-such-line/", 404),
}


def vnu_jar() -> Path:
    configured = os.environ.get("VNU_JAR")
    if configured:
        assert Path(configured).is_file(), f"VNU_JAR={configured} is not a file"
        assert shutil.which("java"), "VNU_JAR is set but there is no java to run it"
        return Path(configured)
    if not LOCAL_JAR.is_file() or not shutil.which("java"):
        pytest.skip("no Nu Html Checker: set VNU_JAR or run `make vnu` (needs npm and Java 17+)")
    return LOCAL_JAR


def rendered_pages() -> dict[str, tuple[str, str]]:
    """name -> (address, HTML) for every page type."""
    client = Client(raise_request_exception=False)
    pages = {}
    with pytest.MonkeyPatch.context() as patch:
        # Before the tree is served (and cached) below.
        patch.setattr(BudgetLineQuerySet, "as_tree", _broken)
        response = client.get("/114/budget/")
        assert response.status_code == 500
        pages["server-error"] = ("/114/budget/ failing", response.content.decode())
    for name, (address, status) in PAGES.items():
        response = client.get(address)
        assert response.status_code == status, name
        pages[name] = (address, response.content.decode())
    pages["database-unavailable"] = ("any page, database down", render_to_string("503.html"))
    pages |= preview_pages()
    return pages


def preview_pages() -> dict[str, tuple[str, str]]:
    """A page of an editor's draft under /preview/ (its banner), and the log after a publish
    (its reason)."""
    from plan.editing.drafts import open_draft
    from plan.editing.publishing import publish
    from plan.models import Plan
    from tests.support.admin import create_editor, logged_in_client

    editor = create_editor("vnu-editor", "vnu-editor-pass-9471")
    plan = Plan.objects.get(published=True, fiscal_year=114)
    draft = open_draft(plan, editor)
    Measure.objects.filter(plan=draft.plan, code="2-2-3-m1").update(editor_note="草稿的說明")
    publish(draft, editor, "補充說明")
    open_draft(plan, editor)
    client = logged_in_client(editor)
    pages = {}
    for name, address in (
        ("preview", "/preview/114/budget/2-2/"),
        ("published-log", "/114/changes/"),
    ):
        response = client.get(address)
        assert response.status_code == 200, name
        pages[name] = (address, response.content.decode())
    assert "發布理由" in pages["published-log"][1]
    return pages


def _broken(*args, **kwargs):
    raise RuntimeError("boom")


def test_every_page_type_is_valid_html(plan, tmp_path):
    jar = vnu_jar()
    # An edit, so the revision log and the line's "last revised" show their <time> elements.
    measure = Measure.objects.get(code="2-2-3-m1")
    measure.objectives = "修訂後的計畫目標。"
    measure.save()
    pages = rendered_pages()
    assert "<time datetime=" in pages["revisions"][1]
    for name, (_address, html) in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")

    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
        + [str(tmp_path / f"{name}.html") for name in pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.stdout, result.stderr
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info":
            continue
        name = Path(message.get("url", "")).stem
        errors.append(
            f"{name} ({pages[name][0] if name in pages else '?'}) line {message.get('lastLine')}: "
            f"{message['message']} [{message.get('extract', '').strip()}]"
        )
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
