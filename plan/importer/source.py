"""Read the PDF-to-text extraction of the plan into rows of cells and paragraphs.

The extraction has three parts: the policy goals (one `- 一、…` line each), the summary
table (預算配合對照表) and the detailed plan. Table rows are tab-separated lines; a cell is
either plain text or a run of `<p>…</p>` (sometimes `<ol>`) fragments, each a paragraph.
Blank lines are page breaks. Nothing here repairs anything: that is the corrections' job.
"""

import re
from dataclasses import dataclass, field

GOALS_TITLE = "施政計畫提要"
SUMMARY_TITLE = "施政計畫與預算配合對照表"
DETAIL_TITLE_SUFFIX = "年度施政計畫"

DETAIL_COLUMNS = ("name", "objectives", "approach", "amounts", "note")

_TAG = re.compile(r"</?p>|<ol[^>]*>|</ol>")
_SEPARATOR_LINE = re.compile(r"^[-\t ]+$")


class SourceError(ValueError):
    """The source does not have the shape the importer expects."""


@dataclass(frozen=True)
class Piece:
    """A paragraph of a cell (or one of its amounts) and the source line of each of its
    characters, which travel with it when a correction moves or joins it."""

    text: str
    line_of: tuple[int, ...]

    @property
    def lines(self) -> frozenset[int]:
        return frozenset(self.line_of)

    def joined(self, other: "Piece") -> "Piece":
        return Piece(self.text + other.text, self.line_of + other.line_of)

    def cut(self, start: int, stop: int | None = None) -> "Piece":
        return Piece(self.text[start:stop], self.line_of[start:stop])

    def strip(self) -> "Piece":
        start = len(self.text) - len(self.text.lstrip())
        return self.cut(start, max(start, len(self.text.rstrip())))

    def words(self) -> list["Piece"]:
        return [self.cut(*match.span()) for match in re.finditer(r"\S+", self.text)]


def pieces(texts: list[str], line: int) -> list[Piece]:
    return [Piece(text, (line,) * len(text)) for text in texts]


@dataclass
class Row:
    """One physical line of a table (or one goal), with the lines that were merged into it."""

    line: int
    cells: dict[str, list[Piece]]
    lines: set[int] = field(default_factory=set)

    def __post_init__(self):
        self.lines.add(self.line)

    @property
    def start_line(self) -> int:
        return min(self.lines)

    @property
    def end_line(self) -> int:
        return max(self.lines)


@dataclass
class SourceDocument:
    lines: list[str]
    title: str
    title_line: int
    goals: list[Row]
    summary: list[Row]
    detail: list[Row]

    def line(self, number: int) -> str:
        return self.lines[number - 1]


def paragraphs(cell: str) -> list[str]:
    """Split one cell into its paragraphs: `<p>`/`<ol>` fragments, or the plain text."""
    parts = _TAG.split(cell) if _TAG.search(cell) else [cell]
    return [part.strip() for part in parts if part.strip()]


def is_separator(text: str) -> bool:
    return bool(_SEPARATOR_LINE.match(text)) and "-" in text


def _detail_row(number: int, text: str) -> Row:
    raw = text.split("\t")
    if len(raw) > len(DETAIL_COLUMNS):
        extra = [cell for cell in raw[len(DETAIL_COLUMNS) :] if cell.strip()]
        if extra:
            raise SourceError(f"line {number}: more than five cells: {extra!r}")
        raw = raw[: len(DETAIL_COLUMNS)]
    raw += [""] * (len(DETAIL_COLUMNS) - len(raw))
    cells = {column: paragraphs(cell) for column, cell in zip(DETAIL_COLUMNS, raw, strict=True)}
    cells["amounts"] = [amount for part in cells["amounts"] for amount in part.split()]
    return Row(
        line=number, cells={column: pieces(texts, number) for column, texts in cells.items()}
    )


def read_source(text: str) -> SourceDocument:
    lines = text.split("\n")
    numbered = list(enumerate(lines, start=1))

    def find(predicate, start=0) -> int:
        for number, line in numbered[start:]:
            if predicate(line.strip()):
                return number
        raise SourceError("the source is missing a section")

    title_line = find(lambda line: line.endswith(GOALS_TITLE))
    summary_line = find(lambda line: line.endswith(SUMMARY_TITLE), title_line)
    detail_line = find(lambda line: line.endswith(DETAIL_TITLE_SUFFIX), summary_line)

    goals = [
        Row(line=number, cells={"text": pieces([line.strip()], number)})
        for number, line in numbered[title_line : summary_line - 1]
        if line.strip()
    ]

    summary_rows = []
    for number, line in numbered[summary_line : detail_line - 1]:
        cells = line.split("\t")
        if not line.strip() or cells[0] == "類" or (cells[0] == "" and "千元" in line):
            continue
        summary_rows.append(
            Row(line=number, cells={"cells": pieces([cell.strip() for cell in cells], number)})
        )

    detail_rows = []
    header_seen = False
    for number, line in numbered[detail_line:]:
        if not line.strip():
            continue
        if not header_seen:
            if line.startswith("計畫名稱"):
                header_seen = True
                continue
            raise SourceError(f"line {number}: expected the detailed plan's header row")
        if is_separator(line):
            detail_rows.append(Row(line=number, cells={"separator": pieces([line], number)}))
            continue
        detail_rows.append(_detail_row(number, line))

    return SourceDocument(
        lines=lines,
        title=lines[title_line - 1].strip(),
        title_line=title_line,
        goals=goals,
        summary=summary_rows,
        detail=detail_rows,
    )
