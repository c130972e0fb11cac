"""The original lines of the source document, for the 原文 disclosures next to each record."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str


@lru_cache(maxsize=4)
def _lines(path: Path, mtime: float) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def source_lines(source_file: str, start: int, end: int) -> list[SourceLine]:
    """Lines start..end (1-based, inclusive) of a plan's source file; blank lines are kept."""
    path = Path(settings.BASE_DIR) / source_file
    lines = _lines(path, path.stat().st_mtime)
    start, end = max(start, 1), min(end, len(lines))
    return [SourceLine(number, lines[number - 1]) for number in range(start, end + 1)]
