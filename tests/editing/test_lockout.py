"""The login lockout in an office where many editors share one address (docs/editing.md,
"Signing in"): failures count per user name at an address, the address alone locks only at its
ceiling; the login page warns before the lock; the lockout page says what is locked and until
when; superusers lift lockouts from the admin; the admin's 403 leads back to the admin."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from plan.web.errors import permission_denied
from tests.support.admin import create_editor, logged_in_client
from tests.support.commands import run_manage
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

TYPIST, TYPIST_PASSWORD = "staff-typist", "typist-pass-4471-long"
COLLEAGUE, COLLEAGUE_PASSWORD = "staff-colleague", "colleague-pass-9902-long"
OFFICE = "203.0.113.20"  # city hall: every editor's browser behind one address
ELSEWHERE = "198.51.100.40"
LOGIN = "/admin/login/?next=/admin/"
LOCKOUTS = "/admin/axes/accessattempt/"


@pytest.fixture
def typist(db):
    return create_editor(TYPIST, TYPIST_PASSWORD)


@pytest.fixture
def colleague(db):
    return create_editor(COLLEAGUE, COLLEAGUE_PASSWORD)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("site-admin", password="site-admin-pass-5531")


def browser(address: str) -> Client:
    return Client(REMOTE_ADDR=address)  # TRUSTED_PROXY_HOPS=0 here: the connection's address


def log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked_out(response) -> bool:
    return response.status_code == 429 and "登入已暫停" in response.content.decode()


def fail(client: Client, username: str, times: int):
    for _ in range(times):
        response = log_in(client, username, "wrong-password")
    return response


def warning(response) -> str:
    """The login page's warning of the attempts left, or "" when it has none."""
    found = parse(response.content.decode()).find_all(id="attempts-left")
    return squash(found[0].text()) if found else ""


def lead(response) -> str:
    return squash(parse(response.content.decode()).find("p", class_="lead").text())


def test_the_limits_and_their_environment_variables():
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 30)
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, AXES_FAILURE_LIMIT="4", AXES_ADDRESS_FAILURE_LIMIT="50"
    )
    assert result.stdout.strip() == "4 50", result.stderr


# --- who is locked out ---------------------------------------------------------------------


def test_a_typist_locks_out_only_their_own_name_at_the_office(typist, colleague):
    typist_browser = browser(OFFICE)
    assert fail(typist_browser, TYPIST, 4).status_code == 200
    assert locked_out(fail(typist_browser, TYPIST, 1))
    assert locked_out(log_in(typist_browser, TYPIST, TYPIST_PASSWORD))

    # The editor at the next desk, behind the same address, signs in as usual.
    assert signed_in(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))


def test_a_locked_out_typist_who_keeps_trying_does_not_lock_the_office(typist, colleague):
    typist_browser = browser(OFFICE)
    fail(typist_browser, TYPIST, 5)
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        assert locked_out(log_in(typist_browser, TYPIST, "wrong-password"))
    assert AccessAttempt.objects.get().failures_since_start == 5  # refused, not counted
    assert signed_in(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))


def test_a_guesser_at_many_addresses_never_locks_the_account_for_everyone(typist):
    for n in range(4):
        guesser = browser(f"192.0.2.{n + 1}")
        assert locked_out(fail(guesser, TYPIST, 5))
    # 20 failures on the name, none of them here: the editor signs in from the office.
    assert signed_in(log_in(browser(OFFICE), TYPIST, TYPIST_PASSWORD))


def test_spraying_one_address_locks_it_at_the_ceiling_for_every_name(typist, colleague):
    sprayer = browser(OFFICE)
    for n in range(29):
        assert log_in(sprayer, f"staff-{n}", "wrong-password").status_code == 200
    response = log_in(sprayer, "staff-29", "wrong-password")
    assert locked_out(response)
    assert "所有帳號" in lead(response)

    # Now the whole address is closed, even to an editor who never mistyped…
    assert locked_out(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))
    # …but not the editors elsewhere.
    assert signed_in(log_in(browser(ELSEWHERE), TYPIST, TYPIST_PASSWORD))


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_the_ceiling_comes_from_the_setting(typist, colleague):
    office = browser(OFFICE)
    fail(office, "staff-a", 4)
    assert not locked_out(fail(office, "staff-b", 3))
    assert locked_out(fail(office, "staff-c", 1))
    assert locked_out(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))


def test_a_successful_login_clears_only_its_own_failures(typist, colleague):
    office = browser(OFFICE)
    fail(office, TYPIST, 3)
    fail(office, "staff-guessed", 2)
    assert signed_in(log_in(browser(OFFICE), TYPIST, TYPIST_PASSWORD))
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["staff-guessed"]


# --- the warning before the lock -----------------------------------------------------------


def test_the_login_page_counts_down_the_attempts_left(typist):
    office = browser(OFFICE)
    assert warning(office.get(LOGIN)) == ""  # no failure yet: no warning
    for left in (4, 3, 2, 1):
        response = log_in(office, TYPIST, "wrong-password")
        assert response.status_code == 200
        assert warning(response) == (f"再錯 {left} 次，此帳號將在這個位址暫停登入 1 小時。")
    assert locked_out(log_in(office, TYPIST, "wrong-password"))


def test_the_warning_is_the_same_for_a_name_that_does_not_exist(typist):
    office = browser(OFFICE)
    fail(office, TYPIST, 2)
    existing = warning(fail(office, TYPIST, 1))
    fail(office, "no-such-editor", 2)
    missing = warning(fail(office, "no-such-editor", 1))
    assert existing == missing == ("再錯 2 次，此帳號將在這個位址暫停登入 1 小時。")


def test_the_warning_counts_per_name_at_the_address(typist, colleague):
    fail(browser(OFFICE), TYPIST, 3)
    response = log_in(browser(OFFICE), COLLEAGUE, "wrong-password")
    assert "再錯 4 次，此帳號" in warning(response)
    assert "再錯 4 次" in warning(log_in(browser(ELSEWHERE), TYPIST, "wrong-password"))


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_near_the_ceiling_the_warning_is_about_the_whole_address(typist):
    office = browser(OFFICE)
    fail(office, "staff-a", 4)
    fail(office, "staff-b", 2)
    assert warning(log_in(office, TYPIST, "wrong-password")) == (
        "再錯 1 次，這個位址的所有帳號都將暫停登入 1 小時。"
    )


# --- the lockout page ----------------------------------------------------------------------


def until_text(attempt: AccessAttempt) -> str:
    until = timezone.localtime(attempt.attempt_time + timedelta(hours=1))
    return f"{until.year}年{until.month}月{until.day}日 {until:%H:%M}"


def test_the_lockout_page_names_the_locked_key_the_time_and_whom_to_ask(typist):
    response = fail(browser(OFFICE), TYPIST, 5)
    assert locked_out(response)
    text = lead(response)
    assert f"帳號「{TYPIST}」從網路位址 {OFFICE}" in text
    assert f"暫停登入 1 小時，至 {until_text(AccessAttempt.objects.get())} 為止" in text
    page = squash(parse(response.content.decode()).find("main").text())
    assert "其他帳號" in page and "超級使用者" in page


def test_the_lockout_page_of_a_locked_address(typist):
    office = browser(OFFICE)
    for n in range(30):
        response = log_in(office, f"staff-{n}", "wrong-password")
    text = lead(response)
    assert f"網路位址 {OFFICE}" in text and "所有帳號暫停登入 1 小時" in text
    assert until_text(AccessAttempt.objects.order_by("attempt_time").first()) in text


# --- the superusers' unlock screen ---------------------------------------------------------


def test_a_superuser_sees_the_lockouts_and_lifts_one(typist, colleague, superuser):
    fail(browser(OFFICE), TYPIST, 5)
    fail(browser(OFFICE), COLLEAGUE, 1)
    admin_browser = logged_in_client(superuser)

    page = parse(admin_browser.get(LOCKOUTS).content.decode())
    headers = [squash(th.text()) for th in page.find("table", id="result_list").find_all("th")]
    assert headers[1:6] == ["帳號", "網路位址", "失敗次數", "最後失敗時間", "狀態"]
    rows = {
        squash(row.cells()[1].text()): squash(row.cells()[5].text())
        for row in page.find("table", id="result_list").find("tbody").find_all("tr")
    }
    assert rows[TYPIST].startswith("鎖定中：此帳號在此位址，至 ")
    assert rows[COLLEAGUE] == "未鎖定"
    assert "登入失敗與鎖定" in squash(page.find("h1").text())
    action = page.find("select", name="action")
    assert [o.attrs["value"] for o in action.find_all("option")] == ["", "lift"]
    assert "解除鎖定" in action.text()

    typist_row = AccessAttempt.objects.get(username=TYPIST)
    response = admin_browser.post(
        LOCKOUTS, {"action": "lift", "_selected_action": [typist_row.pk]}, follow=True
    )
    assert f"已解除鎖定：帳號「{TYPIST}」在位址 {OFFICE}。" in response.content.decode()
    assert signed_in(log_in(browser(OFFICE), TYPIST, TYPIST_PASSWORD))
    assert AccessAttempt.objects.filter(username=COLLEAGUE).exists()


def test_a_superuser_lifts_the_lock_on_an_address(colleague, superuser):
    office = browser(OFFICE)
    for n in range(30):
        log_in(office, f"staff-{n}", "wrong-password")
    assert locked_out(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))

    admin_browser = logged_in_client(superuser)
    one = AccessAttempt.objects.first()
    response = admin_browser.post(
        LOCKOUTS, {"action": "lift", "_selected_action": [one.pk]}, follow=True
    )
    assert f"已解除鎖定：位址 {OFFICE}。" in response.content.decode()
    assert signed_in(log_in(browser(OFFICE), COLLEAGUE, COLLEAGUE_PASSWORD))


def test_an_editor_cannot_reach_the_unlock_screen(typist, colleague):
    fail(browser(OFFICE), TYPIST, 5)
    editor_browser = logged_in_client(colleague)
    assert LOCKOUTS not in editor_browser.get("/admin/").content.decode()
    response = editor_browser.get(LOCKOUTS)
    assert response.status_code == 403
    row = AccessAttempt.objects.get()
    response = editor_browser.post(LOCKOUTS, {"action": "lift", "_selected_action": [row.pk]})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=row.pk).exists()


# --- the admin's 403 -----------------------------------------------------------------------


def test_a_permission_denied_in_the_admin_leads_back_to_the_admin(colleague):
    response = logged_in_client(colleague).get(LOCKOUTS)
    assert response.status_code == 403
    page = parse(response.content.decode())
    assert "沒有檢視或修改這個頁面的權限" in lead(response)
    assert "/admin/" in page.find("main").links()


def test_a_csrf_failure_on_an_admin_form_leads_back_to_the_admin(typist):
    client = Client(enforce_csrf_checks=True)
    response = log_in(client, TYPIST, TYPIST_PASSWORD)
    assert response.status_code == 403
    assert "表單無法驗證" in lead(response)
    assert "/admin/" in parse(response.content.decode()).find("main").links()


def test_the_public_403_still_leads_home():
    response = permission_denied(RequestFactory().get("/about/"))
    assert response.status_code == 403
    assert "這個頁面不開放存取。" in lead(response)
    links = parse(response.content.decode()).find("main").links()
    assert [link for link in links if not link.startswith("#")] == [reverse("plan:home")]
