"""The admin speaks Traditional Chinese on every page an editor or a superuser can reach: no
English word of the stock screens (Django's admin and auth, django-simple-history,
django-axes) and no raw field or app name left (docs/editing.md, "The admin's language").

Each page's visible text is cut into words: scripts and styles, text boxes and read-only
values left out, the labels of buttons kept. Words that also occur in the stored data (plan
text, user names) are set aside, and what is left is matched against the English words of
those catalogues' message ids, the apps' labels and the names of the admin's fields and
columns. The pages are found from the admin's registry, for each model: its list, add form, and
for its newest record the change form, history, delete page and a version of its history.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import axes
import django
import pytest
import simple_history
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.db import connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from simple_history.admin import SimpleHistoryAdmin

from plan.editing.translations import name_permissions
from tests.support.admin import create_editor, logged_in_client

pytestmark = pytest.mark.django_db

# Words of three letters or more; shorter ones ("No", "of", "at") say too little.
WORD = re.compile(r"[A-Za-z]{3,}")
# Names of things, the same in every language: formats, protocols, products.
LEGITIMATE = {
    "sha",
    "ldap",
    "postgresql",
    "csv",
    "json",
    "utf",
    "api",
    "url",
    "http",
    "https",
    "mac",
}


# --- the English words of the stock screens -------------------------------------------------


def _entries(po: Path) -> list[tuple[str, str]]:
    """A gettext catalogue's messages as (message id, plural id or "")."""
    entries, current = [], None
    for line in po.read_text(encoding="utf-8").splitlines():
        start = re.match(r"(msgid|msgid_plural|msgstr(\[\d+\])?) (\".*\")$", line)
        if start:
            if start.group(1) == "msgid":
                entries.append(["", ""])
            current = {"msgid": 0, "msgid_plural": 1}.get(start.group(1))
            line = start.group(3)
        if line.startswith('"') and current is not None:
            entries[-1][current] += line[1:-1].replace('\\"', '"')
    return [(msgid, plural) for msgid, plural in entries if msgid]


def _catalogues() -> list[Path]:
    django_dir = Path(django.__file__).parent / "contrib"
    found = [
        django_dir / "admin" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        django_dir / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
        *Path(simple_history.__file__).parent.glob("locale/*/LC_MESSAGES/django.po"),
        *Path(axes.__file__).parent.glob("locale/*/LC_MESSAGES/django.po"),
        # The project's own: every message id of simple-history's and axes' code and templates.
        *(Path(path) for path in settings.LOCALE_PATHS for path in Path(path).glob("*/*/*.po")),
    ]
    return [path for path in found if path.exists()]


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


def _app_words() -> set[str]:
    return {word for model in admin.site._registry for word in _words(model._meta.app_label)}


def _stock_words() -> set[str]:
    words = _app_words()
    for po in _catalogues():
        for entry in _entries(po):
            # Placeholders and markup are not shown as they are.
            words |= _words(re.sub(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>", " ", " ".join(entry)))
    # What an admin shows when a name has no Chinese: "LABEL" for a property without a
    # description, "Axes" for an app without a verbose name.
    for model, model_admin in admin.site._registry.items():
        names = [field.name for field in model._meta.get_fields()]
        names += [name for name in model_admin.list_display if isinstance(name, str)]
        for name in names:
            words |= _words(name.replace("_", " "))
    return words - LEGITIMATE


STOCK_WORDS = _stock_words()


# --- the page's text ------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """What a reader sees of the admin's own words: text outside scripts and styles, and the
    labels of buttons; not a text box's or a read-only field's value (the data), nor the names
    of files and commands set as <code> (plan.json, checkplan)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: str | None = None  # the tag of the element being left out
        self._depth = 0

    def _left_out(self, tag, attrs) -> bool:
        if tag in {"script", "style", "template", "textarea", "code"}:
            return True
        return tag == "div" and "readonly" in (attrs.get("class") or "").split()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skipping:
            self._depth += tag == self._skipping
        elif self._left_out(tag, attrs):
            self._skipping, self._depth = tag, 1
        elif tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping:
            self._depth -= 1
            if not self._depth:
                self._skipping = None

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


# --- the data, whose words are not the admin's ----------------------------------------------

EDITOR_NAME = "kcpd-ed1"
SUPERUSER_NAME = "kcpd-su1"
PASSWORD = "kcpd-pass-2025-long"


def _data_words() -> set[str]:
    """Every word of the text stored in the rows the admin lists, shown as it is; an app's
    name ("plan") is never data, as the file name of the plan's source has it."""
    words = set()
    for model in admin.site._registry:
        text_fields = [
            field.attname
            for field in model._meta.concrete_fields
            # A field with choices shows their labels, not the stored value.
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            for value in row:
                if value:
                    words |= _words(value)
    return words - _app_words()


@pytest.fixture
def login_records(db):
    """One record of each kind axes keeps, made of words no catalogue has, so that the data
    hides no word of the screens."""
    record = {
        "user_agent": "kcpd/1.0",
        "ip_address": "192.0.2.7",
        "username": "kcpd-x1",
        "http_accept": "*/*",
        "path_info": "/kcpd/",
    }
    AccessAttempt.objects.create(
        **record, get_data="", post_data="", failures_since_start=settings.AXES_FAILURE_LIMIT
    )
    AccessLog.objects.create(**record)
    AccessFailureLog.objects.create(**record, locked_out=True)


@pytest.fixture
def drafts(users):
    """A publication, and an open draft (its records are the newest, so their editable forms
    are the ones visited), so that the drafts' and publications' pages have a record."""
    from plan.editing.drafts import open_draft
    from plan.editing.publishing import publish
    from plan.models import Measure, Plan

    plan = Plan.objects.get(published=True, fiscal_year=114)
    draft = open_draft(plan, users["editor"])
    Measure.objects.filter(plan=draft.plan, code="2-2-3-m1").update(editor_note="kcpd")
    publish(draft, users["editor"], "kcpd")
    return open_draft(plan, users["editor"])


@pytest.fixture
def users(db):
    return {
        "editor": create_editor(EDITOR_NAME, PASSWORD),
        "superuser": User.objects.create_superuser(SUPERUSER_NAME, password=PASSWORD),
    }


# --- the pages ------------------------------------------------------------------------------

REGISTERED = sorted(
    admin.site._registry, key=lambda model: (model._meta.app_label, model._meta.model_name)
)
ROLES = ["editor", "superuser"]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def model_pages(model, user) -> list[str]:
    """The pages of one model the user may open: the list, the add form, one record's change
    form, delete page and history, and one version of its history (simple-history)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    if not model_admin.has_view_or_change_permission(request):
        return []
    pages = [_url(model, "changelist")]
    if model_admin.has_add_permission(request):
        pages.append(_url(model, "add"))
    obj = model_admin.get_queryset(request).order_by("-pk").first()
    if obj is None:
        return pages
    pages += [_url(model, "change", obj.pk), _url(model, "history", obj.pk)]
    if model_admin.has_delete_permission(request, obj):
        pages.append(_url(model, "delete", obj.pk))
    if isinstance(model_admin, SimpleHistoryAdmin):
        record = obj.history.order_by("-history_id").first()
        if record is not None:
            pages.append(_url(model, "simple_history", obj.pk, record.history_id))
    if model is User:
        pages.append(reverse("admin:auth_user_password_change", args=[obj.pk]))
    return pages


def general_pages(user) -> list[str]:
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    pages.append(reverse("admin:password_change_done"))
    if user.is_superuser:
        pages.append(reverse("admin:plan_draft_upload"))
    for app_label in sorted({model._meta.app_label for model in REGISTERED}):
        if user.has_module_perms(app_label):
            pages.append(reverse("admin:app_list", args=[app_label]))
    return pages


def english_words(client, pages: list[str], ignored: set[str]) -> dict[str, list[str]]:
    """The stock English words on each page, by page."""
    found = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, f"{page}: {response.status_code}"
        words = _words(visible_text(response.content.decode())) & STOCK_WORDS - ignored
        if words:
            found[page] = sorted(words)
    return found


def _report(found: dict[str, list[str]]) -> str:
    return "English words on admin pages:\n" + "\n".join(
        f"  {page}: {' '.join(words)}" for page, words in found.items()
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "model", REGISTERED, ids=[f"{m._meta.app_label}.{m._meta.model_name}" for m in REGISTERED]
)
def test_the_pages_of_every_model_are_in_chinese(users, login_records, drafts, role, model):
    user = users[role]
    pages = model_pages(model, user)
    found = english_words(logged_in_client(user), pages, ignored=_data_words())
    assert not found, _report(found)


@pytest.mark.parametrize("role", ROLES)
def test_the_index_app_and_password_pages_are_in_chinese(users, role):
    user = users[role]
    found = english_words(logged_in_client(user), general_pages(user), ignored=_data_words())
    assert not found, _report(found)


def test_the_login_page_is_in_chinese(client):
    found = english_words(client, [reverse("admin:login")], ignored=set())
    assert not found, _report(found)


def test_the_editor_reaches_the_content_and_the_superuser_everything(users):
    """The pages above are the ones each may open: the editor the plan's, not users or logins."""
    editor_models = {model for model in REGISTERED if model_pages(model, users["editor"])}
    assert {m._meta.model_name for m in editor_models} >= {"budgetline", "measure", "policygoal"}
    assert not {m._meta.app_label for m in editor_models} & {"auth", "axes"}
    assert all(model_pages(model, users["superuser"]) for model in REGISTERED)


def test_the_stock_words_are_found_and_legitimate_names_are_not():
    assert {"revert", "history", "changed", "attempt", "choose", "date", "label"} <= STOCK_WORDS
    assert not LEGITIMATE & STOCK_WORDS


# --- the catalogue and the permission names -------------------------------------------------


def _library_messages() -> set[tuple[str, str]]:
    """What django-simple-history and django-axes pass through gettext: the messages of their
    catalogues, and the plain `_("…")` calls and `{% translate "…" %}` tags of their code (a
    newer version's strings may not be in the catalogues yet)."""
    messages = set()
    for package in (simple_history, axes):
        root = Path(package.__file__).parent
        for po in root.glob("locale/*/LC_MESSAGES/django.po"):
            messages |= set(_entries(po))
        for path in [*root.rglob("*.py"), *root.rglob("*.html")]:
            if {"tests", "migrations"} & set(path.relative_to(root).parts):
                continue
            code = path.read_text(encoding="utf-8")
            calls = re.findall(r"\b_\(\s*((?:\"[^\"]*\"\s*)+)\)", code)
            calls = ["".join(re.findall(r'"([^"]*)"', call)) for call in calls]
            tags = re.findall(r"{%\s*trans(?:late)?\s+([\"'])(.+?)\1\s*%}", code)
            messages |= {(message, "") for message in calls + [tag for _quote, tag in tags]}
    return messages


def test_the_catalogue_translates_every_message_of_simple_history_and_axes():
    untranslated = []
    with translation.override(settings.LANGUAGE_CODE):
        for msgid, plural in sorted(_library_messages()):
            shown = translation.ngettext(msgid, plural, 1) if plural else translation.gettext(msgid)
            if shown == msgid:
                untranslated.append(msgid)
    assert not untranslated, "not in locale/zh_Hant/LC_MESSAGES/django.po:\n" + "\n".join(
        untranslated
    )


def test_permission_names_are_in_chinese():
    """What the user and group forms list: 「可修改 預算項目」, not "Can change 預算項目"."""
    english = [
        f"{permission.content_type.app_label}.{permission.codename}: {permission.name}"
        for permission in Permission.objects.select_related("content_type")
        if _words(permission.name) & STOCK_WORDS
    ]
    assert not english, "\n".join(english)
    assert Permission.objects.get(codename="change_budgetline").name == "可修改 預算項目"
    assert Permission.objects.get(codename="view_historicalmeasure").name == "可檢視 計畫項目修訂"
    assert Permission.objects.get(codename="add_user").name == "可新增 使用者"
    assert Permission.objects.get(codename="delete_accessattempt").name == "可刪除 登入嘗試"


def test_permission_names_are_set_after_every_migrate_and_only_when_they_differ():
    Permission.objects.filter(codename="change_budgetline").update(name="Can change 預算項目")
    plan_app = django_apps.get_app_config("plan")
    rename = {"sender": plan_app, "app_config": plan_app, "using": "default", "apps": django_apps}

    name_permissions(**rename)
    assert Permission.objects.get(codename="change_budgetline").name == "可修改 預算項目"
    with CaptureQueriesContext(connection) as queries:
        name_permissions(**rename)
    assert not [query for query in queries if query["sql"].startswith("UPDATE")]
