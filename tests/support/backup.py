"""Running docs/operating.md's backup and restore commands, exactly as printed, against throwaway
databases: each command runs in a shell in a scratch copy of the project's layout (`.venv` and
`manage.py` linked in), with DATABASE_URL naming the database it works on."""

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.support.commands import deployment_env, run_manage

OPERATING = Path(settings.BASE_DIR) / "docs" / "operating.md"
SECTION = "## Backup and restore"
SITE = "tests.support.backup_site"


@dataclass
class Steps:
    backup: list[str]
    restore: list[str]


def documented_steps(tool: str) -> Steps:
    """The commands of docs/operating.md's backup section, in its code block that uses `tool`,
    split at its `# restore` comment (lines continued with a backslash joined)."""
    section = OPERATING.read_text(encoding="utf-8").split(SECTION, 1)[1]
    section = re.split(r"\n#{2,3} ", section, maxsplit=1)[0]
    blocks = [b for b in re.findall(r"```sh\n(.*?)```", section, flags=re.S) if tool in b]
    assert len(blocks) == 1, f"docs/operating.md's backup section needs one sh block using {tool}"
    steps = Steps(backup=[], restore=[])
    current = steps.backup
    for line in blocks[0].replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("# restore"):
            current = steps.restore
        elif line and not line.startswith("#"):
            current.append(re.sub(r"\s+", " ", line))
    assert steps.backup and steps.restore, blocks[0]
    return steps


def scratch_project(directory: Path) -> Path:
    """A directory where `.venv/bin/python manage.py …` runs this project, so docs/operating.md's
    lines run unchanged and leave their files (backup.xml, kcpd.dump) there."""
    directory.mkdir()
    (directory / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    (directory / "manage.py").symlink_to(Path(settings.BASE_DIR) / "manage.py")
    return directory


def _checked(result: subprocess.CompletedProcess, what: str) -> str:
    assert result.returncode == 0, f"{what} failed:\n{result.stdout[-3000:]}\n{result.stderr}"
    return result.stdout


def run_shell(command: str, *, cwd: Path, database_url: str) -> str:
    env = deployment_env(DATABASE_URL=database_url)
    if os.environ.get("PGTEST_BIN_DIR"):  # the cluster's own pg_dump and pg_restore
        env["PATH"] = f"{os.environ['PGTEST_BIN_DIR']}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return _checked(result, command)


def manage(*args: str, database_url: str) -> str:
    result = run_manage(*args, DATABASE_URL=database_url)
    return _checked(result, f"manage.py {' '.join(args)}")


def in_site(function: str, *, database_url: str) -> str:
    """Run a function of tests/support/backup_site.py in the site's own process."""
    code = f"from {SITE} import {function}; {function}()"
    return manage("shell", "--no-imports", "-c", code, database_url=database_url)


def edited_site(database_url: str) -> None:
    """A new site on an empty database: migrated, the plan loaded, then edited by staff."""
    manage("migrate", "--noinput", database_url=database_url)
    manage("loadplan", database_url=database_url)
    in_site("edit_as_staff", database_url=database_url)


def site_state(database_url: str) -> dict:
    return json.loads(in_site("print_state", database_url=database_url))
