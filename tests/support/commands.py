"""Running management commands the way the tests read them: in this process, or in a process
of its own with a deployment's environment."""

import io
import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def command_output(*args, **options) -> str:
    """Run a management command and return what it wrote to stdout."""
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def deployment_env(**env) -> dict[str, str]:
    """This environment less what the test session itself has set, plus `env`."""
    unwanted = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in unwanted}
    environment.update(env)
    return environment


def run_manage(*args, **env) -> subprocess.CompletedProcess:
    """Run `manage.py` in a process of its own, with a deployment's environment plus `env`."""
    return subprocess.run(
        [*MANAGE, *args],
        cwd=settings.BASE_DIR,
        env=deployment_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_env(**extra) -> dict[str, str]:
    return {
        "PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "plan.example.org",
        **extra,
    }
