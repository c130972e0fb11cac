"""Datasette, the yardstick for an uncached page: the same rows from the same SQLite file.

Installed from PyPI into a throwaway venv in the benchmark's temp directory (it is never a
dependency of the project), and served as `datasette serve <db>` on loopback.
"""

import sqlite3
import subprocess
import venv
from pathlib import Path

from bench.server import HOST, Process

REQUIREMENT = "datasette==0.65.5"
INSTALL_TIMEOUT_SECONDS = 300
# Datasette's defaults, except that it also suggests facets on every table page (several
# extra queries); the 項 page does nothing like it, so the fair comparison turns it off.
SETTINGS = {"default": (), "no facet suggestions": (("suggest_facets", "off"),)}


def install(directory: Path) -> Path:
    """A venv with Datasette in `directory`; the path of its `datasette` command."""
    venv.create(directory, with_pip=True)
    python = directory / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            REQUIREMENT,
        ],
        check=True,
        capture_output=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    return directory / "bin" / "datasette"


def version(datasette: Path) -> str:
    output = subprocess.run(
        [str(datasette), "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    return output.stdout.strip()


def children_page(database: Path, code: str) -> tuple[str, int, int]:
    """Datasette's HTML table page of the budget lines whose parent is the line `code` (the
    rows that line's own page lists), the parent's id and the number of rows."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        (parent_id,) = connection.execute(
            "SELECT id FROM plan_budgetline WHERE code = ?", (code,)
        ).fetchone()
        (rows,) = connection.execute(
            "SELECT count(*) FROM plan_budgetline WHERE parent_id = ?", (parent_id,)
        ).fetchone()
    finally:
        connection.close()
    return f"/{database.stem}/plan_budgetline?parent_id={parent_id}", parent_id, rows


class Datasette(Process):
    def __init__(self, *, datasette: Path, database: Path, settings, log: Path):
        super().__init__(env=None, log=log, ready_path="/-/versions.json")
        self._datasette = datasette
        self._database = database
        self._settings = settings

    def command(self) -> list[str]:
        command = [str(self._datasette), "serve", str(self._database)]
        command += ["--host", HOST, "--port", str(self.port)]
        for name, value in self._settings:
            command += ["--setting", name, value]
        return command
