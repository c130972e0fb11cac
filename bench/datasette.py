"""Datasette serving the 項 page's rows from the same SQLite file: the yardstick for an uncached
page. Installed into a throwaway venv (never a dependency of the site)."""

import sqlite3
import subprocess
import venv
from pathlib import Path

from bench.server import HOST, Process

REQUIREMENT = "datasette==0.65.5"
# Datasette's defaults also suggest facets on every table page (extra queries the 項 page has
# nothing like), so it is measured with them and without.
SETTINGS = {"default": [], "no facet suggestions": ["--setting", "suggest_facets", "off"]}


def install(directory: Path) -> tuple[Path, str]:
    """A venv with Datasette in `directory`: its `datasette` command, and its version."""
    venv.create(directory, with_pip=True)
    pip = [
        directory / "bin" / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, REQUIREMENT], check=True, capture_output=True, timeout=300)
    command = directory / "bin" / "datasette"
    output = subprocess.run([command, "--version"], capture_output=True, text=True, check=True)
    return command, "Datasette " + output.stdout.split()[-1]  # "datasette, version 0.65.5"


def children_page(database: Path, code: str) -> tuple[str, int]:
    """Datasette's table page of the budget lines whose parent is the line `code` (the rows
    that line's own page lists), and the number of rows."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        parent, rows = connection.execute(
            "SELECT id, (SELECT count(*) FROM plan_budgetline WHERE parent_id = parent.id) "
            "FROM plan_budgetline AS parent WHERE code = ?",
            (code,),
        ).fetchone()
    connection.close()  # the with block ends the transaction, not the connection
    return f"/{database.stem}/plan_budgetline?parent_id={parent}", rows


class Datasette(Process):
    def __init__(self, datasette: Path, database: Path, settings: list[str], *, log: Path):
        super().__init__(env=None, log=log, ready_path="/-/versions.json")
        self._command = [str(datasette), "serve", str(database), *settings]

    def command(self) -> list[str]:
        return [*self._command, "--host", HOST, "--port", str(self.port)]
