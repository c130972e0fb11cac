"""Signing in to the admin: throttling by the client's real address behind the proxy, the lockout
page, and the password policy (docs/editing.md, "Signing in"; docs/operating.md, "Behind a
reverse proxy"). The lockout's keys, warning and unlock screen: test_lockout.py."""

import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings

from tests.support.admin import create_editor, form_data, logged_in_client
from tests.support.commands import production_env, run_manage
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

USERNAME = "staff-editor-8"
PASSWORD = "editor-pass-6620-long"
LOGIN = "/admin/login/?next=/admin/"
PROXY = "127.0.0.1"  # nginx, as gunicorn sees every connection
ADDRESS_A, ADDRESS_B = "203.0.113.5", "198.51.100.7"
behind_the_proxy = override_settings(TRUSTED_PROXY_HOPS=1)


@pytest.fixture
def editor(db):
    return create_editor(USERNAME, PASSWORD)


def proxied(address: str, sent_by_client: str = "") -> Client:
    """A browser at `address`, through nginx: `$proxy_add_x_forwarded_for` appends the address
    it saw connecting to whatever X-Forwarded-For the client itself sent."""
    forwarded = f"{sent_by_client}, {address}" if sent_by_client else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked_out(response) -> bool:
    return response.status_code == 429 and "登入已暫停" in response.content.decode()


def fail_until_locked(client: Client, usernames: list[str]) -> None:
    """Wrong passwords for `usernames`, one each; the last locks: the AXES_FAILURE_LIMIT-th for
    one user name at an address, the LOGIN_ADDRESS_FAILURE_LIMIT-th for many."""
    limit = settings.AXES_FAILURE_LIMIT if len(set(usernames)) == 1 else 30
    assert len(usernames) == limit
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 30)
    for username in usernames[:-1]:
        response = log_in(client, username, "wrong-password")
        assert response.status_code == 200  # the login form again, with an error
    assert locked_out(log_in(client, usernames[-1], "wrong-password"))


@behind_the_proxy
def test_guessing_a_password_locks_the_guesser_out_but_not_the_user_elsewhere(editor):
    guesser = proxied(ADDRESS_A)
    fail_until_locked(guesser, [USERNAME] * 5)
    assert locked_out(log_in(guesser, USERNAME, PASSWORD))  # even the right password
    assert "_auth_user_id" not in guesser.session

    # The real editor, at another address through the same proxy, signs in as usual.
    editor_browser = proxied(ADDRESS_B)
    assert signed_in(log_in(editor_browser, USERNAME, PASSWORD))
    assert editor_browser.get("/admin/").status_code == 200


@behind_the_proxy
def test_spraying_many_user_names_from_one_address_locks_that_address(editor):
    sprayer = proxied(ADDRESS_A)
    fail_until_locked(sprayer, [f"staff-{n}" for n in range(30)])
    assert locked_out(log_in(sprayer, "staff-30", "wrong-password"))
    assert locked_out(log_in(sprayer, USERNAME, PASSWORD))
    assert signed_in(log_in(proxied(ADDRESS_B), USERNAME, PASSWORD))


@behind_the_proxy
def test_a_forged_x_forwarded_for_hop_does_not_change_the_client_address(editor):
    # Each attempt claims another address to the left of the one nginx appends: all count for A.
    client_a = Client(REMOTE_ADDR=PROXY)
    for n in range(5):
        client_a.defaults["HTTP_X_FORWARDED_FOR"] = f"10.9.8.{n}, {ADDRESS_A}"
        response = log_in(client_a, USERNAME, "wrong-password")
    assert locked_out(response)
    assert locked_out(log_in(proxied(ADDRESS_A, sent_by_client="10.9.8.200"), USERNAME, PASSWORD))

    # Nor can a client name B's address to lock B out.
    impostor = proxied("192.0.2.66", sent_by_client=ADDRESS_B)
    fail_until_locked(impostor, [USERNAME] * 5)
    assert signed_in(log_in(proxied(ADDRESS_B), USERNAME, PASSWORD))


@behind_the_proxy
def test_a_malformed_x_forwarded_for_counts_as_the_proxy_and_breaks_nothing(editor):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown")
    response = log_in(client, USERNAME, "wrong-password")
    assert response.status_code == 200  # the login form again, not a server error
    assert AccessAttempt.objects.get().ip_address == PROXY
    assert signed_in(log_in(client, USERNAME, PASSWORD))


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(editor):
    assert settings.TRUSTED_PROXY_HOPS == 0  # development and tests: no proxy in front
    client = Client(REMOTE_ADDR=ADDRESS_A)
    for n in range(5):
        client.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
        response = log_in(client, USERNAME, "wrong-password")
    assert locked_out(response)
    assert signed_in(log_in(Client(REMOTE_ADDR=ADDRESS_B), USERNAME, PASSWORD))


def test_production_trusts_one_proxy_hop_unless_told_otherwise():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_HOPS)"
    for env, hops in (({}, "1"), ({"TRUSTED_PROXY_HOPS": "2"}, "2")):
        result = run_manage("shell", "--no-imports", "-c", code, **production_env(**env))
        assert result.stdout.strip() == hops, result.stderr


@pytest.mark.parametrize(
    ("hours", "stated"), [("1", "1 小時"), ("2", "2 小時"), ("0.5", "30 分鐘")]
)
def test_the_lockout_page_states_the_configured_cool_off(editor, hours, stated):
    # As config/settings.py reads AXES_COOLOFF_HOURS.
    with override_settings(AXES_COOLOFF_TIME=float(hours)):
        client = Client()
        fail_until_locked(client, [USERNAME] * 5)
        response = log_in(client, USERNAME, PASSWORD)
    assert locked_out(response)
    html = response.content.decode()
    assert 'lang="zh-Hant' in html
    lead = squash(parse(html).find("p", class_="lead").text())
    assert f"暫停登入 {stated}，至 " in lead and "一小時" not in lead


def test_the_cool_off_comes_from_axes_cooloff_hours():
    code = "from django.conf import settings; print(settings.AXES_COOLOFF_TIME)"
    result = run_manage("shell", "--no-imports", "-c", code, AXES_COOLOFF_HOURS="2")
    assert result.stdout.strip() == "2.0", result.stderr


def test_logins_work_again_after_axes_reset(editor):
    client = Client()
    fail_until_locked(client, [USERNAME] * 5)
    assert locked_out(log_in(client, USERNAME, PASSWORD))
    call_command("axes_reset", stdout=io.StringIO())
    assert signed_in(log_in(client, USERNAME, PASSWORD))
    assert client.get("/admin/").status_code == 200


# --- the password policy ---------------------------------------------------------------------


def add_user(client: Client, username: str, password: str):
    form = form_data(client.get("/admin/auth/user/add/").content.decode())
    form.update(username=username, password1=password, password2=password)
    return client.post("/admin/auth/user/add/", form)


def test_the_admin_refuses_a_password_shorter_than_12_characters():
    admin = User.objects.create_superuser("site-admin", password="site-admin-pass-5531")
    client = logged_in_client(admin)

    response = add_user(client, "staff-new-1", "Tq7#kLm2pX9")  # 11 characters
    assert response.status_code == 200
    assert "密碼太短，必須至少 12 個字元。" in response.content.decode()
    assert not User.objects.filter(username="staff-new-1").exists()

    response = add_user(client, "staff-new-1", "Tq7#kLm2pX9v")  # 12
    assert response.status_code == 302
    assert User.objects.get(username="staff-new-1").check_password("Tq7#kLm2pX9v")


def test_staff_cannot_change_their_own_password_to_one_shorter_than_12_characters(editor):
    client = logged_in_client(editor)
    short = "Zr4!wQe8uY2"  # 11 characters
    fields = {"old_password": PASSWORD, "new_password1": short, "new_password2": short}
    response = client.post("/admin/password_change/", fields)
    assert response.status_code == 200
    assert "密碼太短，必須至少 12 個字元。" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
