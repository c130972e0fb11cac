"""Login lockout for an office behind one address (docs/editing.md, "Signing in").

django-axes records failed logins and refuses locked ones; this module gives it the rules and
the people their screens:
- `lockout_parameters` (AXES_LOCKOUT_PARAMETERS): the key a login is judged by, the user name at
  the client's address, or the address alone once it has reached its ceiling;
- `LoginForm`, the admin's login form, which says after a failure how many attempts are left;
- `lockout_response` (AXES_LOCKOUT_CALLABLE): the Chinese page saying what is locked, until when
  and whom to ask;
- the superusers' list of failures and lockouts in the admin, with the action 「解除鎖定」.

A failure counts while its row's last attempt is within the cool-off, as axes counts it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import axes.admin  # noqa: F401 (registers axes' lists first: this module replaces one)
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessBase
from axes.utils import reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

USER_AT_ADDRESS = ["username", "ip_address"]


def _counting(ip_address: str | None):
    """The failures from `ip_address` that still count."""
    since = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)


def _tally(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """Axes' key for this login: the user name at the address, or the address alone once its
    failures (every user name's) reach LOGIN_ADDRESS_FAILURE_LIMIT. Against that key axes counts
    and compares with AXES_FAILURE_LIMIT, which the address's tally then already exceeds."""
    if isinstance(request_or_attempt, AccessBase):
        ip_address = request_or_attempt.ip_address
    else:
        ip_address = getattr(request_or_attempt, "axes_ip_address", None) or (
            get_client_ip_address(request_or_attempt)
        )
    if _tally(_counting(ip_address)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return ["ip_address"]
    return [USER_AT_ADDRESS]


@dataclass(frozen=True)
class Lock:
    whole_address: bool  # the address's ceiling, for every user name; else one user name there
    until: datetime


def _lifted_at(rows: list[tuple[datetime, int]], limit: int, cool_off: timedelta):
    """When failures (last attempt, count), oldest first, fall below `limit` as they age out;
    None when they are below it already."""
    total = sum(count for _, count in rows)
    for last_attempt, count in rows:
        if total < limit:
            break
        total -= count
        if total < limit:
            return last_attempt + cool_off
    return None


def locks_at(ip_address: str) -> tuple[Lock | None, dict[str, Lock]]:
    """The lock on the whole address, if any, and those on its user names, from one query."""
    cool_off = get_cool_off()
    by_name = defaultdict(list)
    everyone = []
    for username, last_attempt, count in (
        _counting(ip_address)
        .order_by("attempt_time")
        .values_list("username", "attempt_time", "failures_since_start")
    ):
        by_name[username].append((last_attempt, count))
        everyone.append((last_attempt, count))
    address_until = _lifted_at(everyone, settings.LOGIN_ADDRESS_FAILURE_LIMIT, cool_off)
    names = {}
    for username, rows in by_name.items():
        if until := _lifted_at(rows, settings.AXES_FAILURE_LIMIT, cool_off):
            names[username] = Lock(whole_address=False, until=until)
    return (Lock(whole_address=True, until=address_until) if address_until else None), names


def lock_on(username: str | None, ip_address: str) -> Lock | None:
    """What keeps `username` from signing in at `ip_address`: the address's lock before the
    user name's, as `lockout_parameters` judges."""
    address_lock, name_locks = locks_at(ip_address)
    return address_lock or name_locks.get(username)


@dataclass(frozen=True)
class AttemptsLeft:
    count: int
    whole_address: bool  # the address's ceiling comes first, for every user name there
    cool_off: timedelta


def attempts_left(username: str, ip_address: str | None) -> AttemptsLeft | None:
    """Failures `username` may still make at `ip_address` before a lock; None before the first
    failure and once locked. It counts attempts at a user name, whether or not it exists."""
    counting = _counting(ip_address)
    by_name = settings.AXES_FAILURE_LIMIT - _tally(counting.filter(username=username))
    by_address = settings.LOGIN_ADDRESS_FAILURE_LIMIT - _tally(counting)
    if by_name == settings.AXES_FAILURE_LIMIT or min(by_name, by_address) <= 0:
        return None
    return AttemptsLeft(min(by_name, by_address), by_address < by_name, get_cool_off())


class LoginForm(AdminAuthenticationForm):
    """The admin's login form; after a failed login, `attempts_left` says how many remain. Axes
    still throttles it: authenticate() goes through AxesStandaloneBackend, and AxesMiddleware
    turns a locked login into `lockout_response`."""

    attempts_left: AttemptsLeft | None = None

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            if username:
                ip_address = get_client_ip_address(self.request)
                self.attempts_left = attempts_left(username, ip_address)
            raise


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (429), for AXES_LOCKOUT_CALLABLE."""
    username = get_client_username(request, credentials) or ""
    ip_address = get_client_ip_address(request)
    context = {
        "username": username,
        "ip_address": ip_address,
        "lock": lock_on(username, ip_address),
        "cool_off": get_cool_off(request),
    }
    return render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# --- the superusers' screen ------------------------------------------------------------------


class LockoutAdmin(admin.ModelAdmin):
    """Failed logins that still count, with their lock; superusers only. 「解除鎖定」 lifts
    the lock a row is under: its user name's at its address, or the whole address's."""

    list_display = ["name", "address", "failures", "last_failure", "state"]
    list_display_links = None
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["lift"]

    def get_queryset(self, request):
        since = timezone.now() - get_cool_off()
        return super().get_queryset(request).filter(attempt_time__gte=since)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "登入失敗與鎖定", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # 「解除鎖定」 says what deleting these rows does
        return actions

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description="帳號", ordering="username")
    def name(self, attempt):
        return attempt.username

    @admin.display(description="網路位址", ordering="ip_address")
    def address(self, attempt):
        return attempt.ip_address

    @admin.display(description="失敗次數", ordering="failures_since_start")
    def failures(self, attempt):
        return attempt.failures_since_start

    @admin.display(description="最後失敗時間", ordering="attempt_time")
    def last_failure(self, attempt):
        return attempt.attempt_time

    @admin.display(description="狀態")
    def state(self, attempt):
        lock = lock_on(attempt.username, attempt.ip_address)
        if lock is None:
            return "未鎖定"
        until = timezone.localtime(lock.until)
        until = f"{until.month}月{until.day}日 {until:%H:%M}"
        key = "整個位址（所有帳號）" if lock.whole_address else "此帳號在此位址"
        return f"鎖定中：{key}，至 {until}"

    @admin.action(description="解除鎖定", permissions=["delete"])
    def lift(self, request, queryset):
        lifted = []
        for username, ip_address in sorted(set(queryset.values_list("username", "ip_address"))):
            lock = lock_on(username, ip_address)
            if lock and lock.whole_address:
                reset(ip=ip_address)
                lifted.append(f"位址 {ip_address}")
            else:
                reset(ip=ip_address, username=username)
                if lock:
                    lifted.append(f"帳號「{username}」在位址 {ip_address}")
        if lifted:
            message = f"已解除鎖定：{'、'.join(dict.fromkeys(lifted))}。"
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, "選取的紀錄沒有鎖定；已清除其失敗次數。", messages.INFO)


# Registered here rather than in admin.py: the lockout is one feature, kept whole.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)
admin.site.login_form = LoginForm
