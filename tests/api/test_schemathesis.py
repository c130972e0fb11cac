"""Schemathesis against the running API: every operation of the OpenAPI document, inputs
generated from it (valid and invalid), no 5xx, every response as the document says.

The command is docs/api.md's (section "The OpenAPI description"), with the settings of
schemathesis.toml: a bounded number of examples per operation and a fixed seed, so that a run
takes about a minute and fails the same way twice.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from plan.api.openapi import openapi_description
from tests.support.live_server import serving

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
MAX_EXAMPLES = 25
SEED = 114


@pytest.fixture(scope="module")
def base_url(django_db_setup, django_db_blocker):
    with serving(django_db_blocker) as url:
        yield url


def test_schemathesis_finds_no_failure_in_any_operation(base_url, django_db_blocker, tmp_path):
    operations = sum(len(methods) for methods in openapi_description()["paths"].values())
    with django_db_blocker.unblock():
        result = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(Path(settings.BASE_DIR) / "schemathesis.toml"),
                "run",
                f"{base_url}/api/openapi.json",
                "--url",
                base_url,
                "--checks",
                "all",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(SEED),
                "--workers",
                "1",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    output = result.stdout + result.stderr
    print(output[-3000:])  # the summary, in the test report
    assert result.returncode == 0, output[-6000:]
    assert f"{operations} selected / {operations} total" in output
    tested = re.search(r"Tested: (\d+)", output)
    assert tested and int(tested.group(1)) == operations
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) >= 9 * operations
    assert "Missing test data" not in output
