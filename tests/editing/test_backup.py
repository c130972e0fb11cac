"""Backup and restore as docs/operating.md prints them ("Backup and restore"): after real admin
edits (a draft, published), a backup restored into an empty database gives back the same plan,
history, goal links, publications, users, groups and admin log, and the staff can still sign
in."""

import os
import secrets
import subprocess

import pytest
from django.db import connection

from tests.support import backup_site
from tests.support.backup import (
    documented_steps,
    edited_site,
    in_site,
    run_shell,
    scratch_project,
    site_state,
)

pytestmark = pytest.mark.slow


def assert_restored(before: dict, after: dict) -> None:
    edits = {
        model: {row["history_type"] for row in rows if row["history_user__username"]}
        for model, rows in before["history"].items()
    }
    # The state holds the admin edits, so an equal state after restore holds them too.
    assert edits["BudgetLine"] == {"~"} and edits["Measure"] == {"~"}
    assert edits["GoalMeasure"] == {"+", "-"}
    assert backup_site.LINE_NOTE in before["exportplan"]
    assert backup_site.MEASURE_OBJECTIVES in before["exportplan"]
    assert [row["reason"] for row in before["publications"]] == [backup_site.PUBLISH_REASON]
    assert before["admin_log"] and before["users"]
    for key in before:
        assert after[key] == before[key], key


def test_the_documented_backup_restores_everything_after_admin_edits_sqlite(tmp_path):
    steps = documented_steps("dumpdata")
    site = scratch_project(tmp_path / "site")
    source = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    edited_site(source)
    before = site_state(source)
    for command in steps.backup:
        run_shell(command, cwd=site, database_url=source)

    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    for command in steps.restore:
        run_shell(command, cwd=site, database_url=restored)
    assert_restored(before, site_state(restored))
    in_site("sign_in", database_url=restored)


PG_ENV = ("PGTEST_BIN_DIR", "PGTEST_HOST", "PGTEST_PORT")


def pg_tool(tool: str, *args: str) -> None:
    subprocess.run(
        [
            os.path.join(os.environ["PGTEST_BIN_DIR"], tool),
            "-h",
            os.environ["PGTEST_HOST"],
            "-p",
            os.environ["PGTEST_PORT"],
            "-U",
            "postgres",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.skipif(
    not all(os.environ.get(name) for name in PG_ENV) or connection.vendor != "postgresql",
    reason="needs the throwaway PostgreSQL cluster that .ci/run starts",
)
def test_the_documented_backup_restores_everything_after_admin_edits_postgresql(tmp_path):
    steps = documented_steps("pg_dump")
    site = scratch_project(tmp_path / "site")
    prefix = f"kcpd_backup_{secrets.token_hex(4)}"
    names = {"source": f"{prefix}_source", "restored": f"{prefix}_restored"}
    host, port = os.environ["PGTEST_HOST"], os.environ["PGTEST_PORT"]
    urls = {key: f"postgres://postgres@{host}:{port}/{name}" for key, name in names.items()}
    try:
        pg_tool("createdb", names["source"])
        edited_site(urls["source"])
        before = site_state(urls["source"])
        for command in steps.backup:
            run_shell(command, cwd=site, database_url=urls["source"])

        pg_tool("createdb", names["restored"])
        for command in steps.restore:
            run_shell(command, cwd=site, database_url=urls["restored"])
        assert_restored(before, site_state(urls["restored"]))
        in_site("sign_in", database_url=urls["restored"])
    finally:
        for name in names.values():
            pg_tool("dropdb", "--if-exists", "--force", name)
