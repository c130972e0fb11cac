"""The Django admin as an editor uses it: the editor account, and the change form read and posted
as a browser would."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

EDITOR_GROUP = "editor"  # created by a migration, with the editors' permissions


def create_editor(username: str, password: str, **fields) -> User:
    """A member of staff in the editor group; `fields` are further User fields (email, names…)."""
    user = User.objects.create_user(username, password=password, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


def logged_in_client(user: User, **client_options) -> Client:
    """A new test client, logged in as `user`."""
    client = Client(**client_options)
    client.force_login(user)
    return client


class _FormParser(HTMLParser):
    """Collect the values a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._textarea_text: list[str] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first_option: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, []
        elif tag == "select" and name:
            self._select, self._selected, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._selected = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea_text)
            # Browsers drop the single newline Django writes after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            # And they submit every line break in a textarea as CRLF (HTML, form submission).
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._selected if self._selected is not None else self._first_option
            self.fields.append((self._select, chosen or ""))
            self._select = None


def form_data(html: str) -> dict[str, str]:
    """The change form's fields as a browser would post them (empty inline templates left out)."""
    parser = _FormParser()
    parser.feed(html)
    return {name: value for name, value in parser.fields if "__prefix__" not in name}


def change_url(obj) -> str:
    return reverse(f"admin:plan_{obj._meta.model_name}_change", args=[obj.pk])


def post_change(client, obj, **changes):
    """Open the object's admin change form, change some fields, submit it as a browser would."""
    url = change_url(obj)
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.content.decode())
    for name, value in changes.items():
        assert name in data, f"{name} is not a field of the form: {sorted(data)}"
        data[name] = value
    return client.post(url, data)


def draft_copy(client, obj):
    """Press 「在修正草稿中修改」 on a published record's page: the editor's draft is opened (or
    reused) and the draft's copy of the record is returned."""
    url = reverse("admin:plan_draft_edit", args=[obj._meta.model_name, obj.pk])
    response = client.post(url)
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response["Location"].rstrip("/").split("/")[-2])
    return type(obj).objects.get(pk=pk)


def publish(client, draft, reason: str = "更正錯字", **fields):
    """Post the draft page's publish form."""
    url = reverse("admin:plan_draft_publish", args=[draft.pk])
    return client.post(url, {"reason": reason, **fields})


def edit_in_draft(client, obj, **changes):
    """Change a published record through a draft (not yet published); returns the copy."""
    copy = draft_copy(client, obj)
    response = post_change(client, copy, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    return copy


def edit_and_publish(client, obj, reason: str = "更正錯字", **changes):
    """Change a published record as an editor does now: in a draft, then publish it."""
    copy = edit_in_draft(client, obj, **changes)
    response = publish(client, draft_of(copy), reason)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def draft_of(record):
    from plan.models import Plan

    plan = record if isinstance(record, Plan) else record.plan
    return plan.draft


def published(model, **lookups):
    """The published record (an open draft holds a copy with the same code or number)."""
    return model.objects.get(plan__published=True, **lookups)


def edit_amount_in_draft(client, line, amount: int, **changes):
    """Change a published budget line's amount in a draft as a supplementary budget does: the
    line, every line above it and the plan's total move by the same difference, so the draft's
    sums hold and it may be published. `changes` are further fields of the line's form (its
    inline measures too). Returns the line's copy."""
    delta = amount - line.amount
    copy = edit_in_draft(client, line, amount=f"{amount:,}", **changes)
    parent = copy.parent
    while parent is not None:
        response = post_change(client, parent, amount=f"{parent.amount + delta:,}")
        assert response.status_code == 302, response.content.decode()[:3000]
        parent = parent.parent
    plan = copy.plan
    response = post_change(client, plan, total_amount=f"{plan.total_amount + delta:,}")
    assert response.status_code == 302, response.content.decode()[:3000]
    copy.refresh_from_db()
    return copy
