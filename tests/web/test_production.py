"""Production mode, security headers, static files and the page cache."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from plan.models import BudgetLine
from tests.support.commands import production_env, run_manage


def test_check_deploy_reports_nothing_in_production_mode():
    env = production_env(REDIS_URL="redis://cache.internal:6379/0")  # else plan.W002
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"CACHE_PURGE_URLS": "http://127.0.0.1:6081"}, "CACHE_PURGE_SECRET"),
    ],
)
def test_production_refuses_to_start_when_misconfigured(env, message):
    result = run_manage("check", **production_env(**env))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=()",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/114/budget/2-2/", "/114/search/?q=詐欺", "/114/open-data/budget-lines.csv", "/nope/"],
)
def test_every_response_carries_the_security_headers(client, plan, path):
    response = client.get(path)
    for header, expected in HEADERS.items():
        assert expected in response.headers.get(header, ""), header
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_cookies_are_secure_and_hsts_is_on_in_production():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **production_env())
    assert result.stdout.split()[:4] == ["True", "True", "True", "True"], result.stderr


@pytest.mark.django_db
def test_public_pages_are_cacheable_and_answer_conditional_requests(client, plan):
    response = client.get("/114/budget/2-2/")
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/114/budget/2-2/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/114/budget/2-2/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert "Cookie" not in response.get("Vary", "")  # a CDN may share the page


@pytest.mark.django_db
def test_a_save_is_visible_at_once_despite_the_cache(client, plan):
    first = client.get("/114/budget/2-2-3/")
    assert "688" in first.content.decode()
    line = BudgetLine.objects.get(code="2-2-3")
    line.amount = 701
    line.save()  # as the admin does: the save moves the data version
    response = client.get("/114/budget/2-2-3/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "701" in response.content.decode()
    csv = client.get("/114/open-data/budget-lines.csv").content.decode("utf-8-sig")
    assert "2-2-3,2-2,subitem,(三),外事業務" in csv and ",701," in csv


@pytest.mark.django_db
def test_a_reload_moves_the_data_version(client, plan):
    etag = client.get("/").headers["ETag"]
    BudgetLine.objects.filter(code="2-2-3").update(name="改過的名稱")
    call_command("loadplan", verbosity=0)  # restores the name and records the change
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_hashed_static_files_are_compressed_and_cached_for_a_year(tmp_path, plan):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = next((tmp_path / "css").glob("site.*.css")).name
        assert (tmp_path / "css" / f"{hashed}.gz").exists()
        assert (tmp_path / "css" / f"{hashed}.br").exists()
        response = Client().get(f"/static/css/{hashed}", HTTP_ACCEPT_ENCODING="br")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "br"
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
