"""Step 1b and 7a: the 19 policy goals (施政計畫提要) and the editors' goal-to-measure links
(fixtures/goal-links.toml), which the plan itself does not state."""

import tomllib
from pathlib import Path

from .source import SourceDocument
from .summary import BuildError
from .text import Level, parse_name


def read_goals(document: SourceDocument) -> list[dict]:
    """Each goal's number, ordinal, text and source lines, in document order."""
    goals = []
    for number, row in enumerate(document.goals, start=1):
        text = "".join(piece.text for piece in row.cells["text"])
        if not text.startswith("- "):
            raise BuildError(f"line {row.line}: goal text outside a goal (page break?)")
        name = parse_name(text[2:])
        if name.level != Level.ITEM:
            raise BuildError(f"line {row.line}: goal without its number")
        goals.append(
            {
                "number": number,
                "ordinal": name.ordinal,
                "text": text[2:].strip()[len(name.ordinal) :].strip(),
                "source_lines": [row.start_line, row.end_line],
            }
        )
    return goals


SHORT_TITLE_LENGTH = 12


def goal_links(goals: list[dict], measure_order: dict[str, int], path: Path | None) -> dict:
    """goal number -> (measure codes in document order, reason, short title): one entry per
    goal."""
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["goal"] if path else []
    by_number = {entry["number"]: entry for entry in entries}
    if path and sorted(by_number) != [goal["number"] for goal in goals]:
        raise BuildError(f"{path.name}: needs exactly one entry for each of the {len(goals)} goals")
    links = {}
    for goal in goals:
        entry = by_number.get(goal["number"], {"measures": [], "reason": "", "short_title": ""})
        unknown = [code for code in entry["measures"] if code not in measure_order]
        if unknown or len(set(entry["measures"])) != len(entry["measures"]):
            raise BuildError(f"goal {goal['number']}: unknown or repeated measures {unknown}")
        short_title = entry.get("short_title", "")
        if len(short_title) > SHORT_TITLE_LENGTH:
            raise BuildError(f"goal {goal['number']}: short_title longer than {SHORT_TITLE_LENGTH}")
        links[goal["number"]] = (
            sorted(entry["measures"], key=measure_order.__getitem__),
            entry["reason"],
            short_title,
        )
    return links
