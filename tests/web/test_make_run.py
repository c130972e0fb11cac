"""`make run ADDR=…` serves at ADDR, and every absolute link the site makes (canonical, og:url,
citations, the sitemap: all from settings.SITE_URL) names that address, not 127.0.0.1:8000.

The Makefile's own `run` recipe is run with its Python replaced by a stand-in: the stand-in
does nothing for migrate and the loaders and, for runserver, loads the settings in the
environment `make` gave it and prints the origin the links are built from.
"""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.support.commands import deployment_env

STAND_IN = f"""#!{sys.executable}
import os, sys
if "runserver" in sys.argv:
    sys.path.insert(0, {str(settings.BASE_DIR)!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    django.setup()
    from plan.addresses.links import absolute_url
    print("LINK", absolute_url("/114/"), "ADDR", sys.argv[-1])
"""

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def make_run(tmp_path, *args, **env) -> str:
    python = tmp_path / "python"
    python.write_text(STAND_IN)
    python.chmod(0o755)
    environment = deployment_env(**env)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    if "SITE_URL" not in env:
        environment.pop("SITE_URL", None)
    result = subprocess.run(
        # STAMP and TRANSLATIONS empty: no virtualenv or catalogues to build first.
        ["make", "-s", "run", f"PY={python}", "STAMP=", "TRANSLATIONS=", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_links_name_the_address_served(tmp_path):
    output = make_run(tmp_path, "ADDR=127.0.0.1:8941")
    assert "Serving http://127.0.0.1:8941/" in output
    assert "LINK http://127.0.0.1:8941/114/ ADDR 127.0.0.1:8941" in output


def test_the_default_address(tmp_path):
    assert "LINK http://127.0.0.1:8000/114/ ADDR 127.0.0.1:8000" in make_run(tmp_path)


def test_a_configured_origin_wins(tmp_path):
    output = make_run(tmp_path, "ADDR=127.0.0.1:8941", SITE_URL="https://plan.example.org")
    assert "LINK https://plan.example.org/114/ ADDR 127.0.0.1:8941" in output
