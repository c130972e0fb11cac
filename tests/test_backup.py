"""Backup: dumpdata, then loaddata into an empty database, gives an identical exportplan."""

import json

import pytest
from django.core.management import call_command

from plan.models import Plan
from tests.support.commands import command_output

pytestmark = pytest.mark.django_db


def export() -> dict:
    return json.loads(command_output("exportplan"))


def test_dumpdata_then_loaddata_into_an_empty_database_restores_the_plan(plan, tmp_path):
    before = export()
    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "plan",
        "--natural-foreign",
        "--indent=1",
        f"--output={backup}",
        verbosity=0,
    )
    Plan.objects.all().delete()  # everything of the plan cascades away
    with pytest.raises(Exception, match="no plan"):
        export()
    call_command("loaddata", str(backup), verbosity=0)
    assert export() == before
