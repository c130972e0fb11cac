"""Apply the reviewed corrections file to the rows read from the source.

Each kind of correction is a TOML array of tables; every entry names the source line it
acts on, the exact text or amount it expects to find there and a `reason`. An entry that
does not find what it expects is an error, so the file cannot drift from the source.
Kinds, in the order they are applied:

- drop_line:   a line that is extraction debris (e.g. a row of dashes).
- move_amount: an amount printed on a neighbouring row (or in the 備考 column).
- drop_text:   a paragraph that is debris (e.g. a heading repeated after a page break).
- merge:       a row that continues the row above it after a page break.
- move_text:   text pushed into another row by a page break or a merged cell.
- split_row:   a row holding several names whose text must be shared out explicitly.
- derived:     an amount printed nowhere, implied by the parent minus its siblings.
- editor_note: a public note the site shows next to a record.
- sic:         odd text kept verbatim on purpose (nothing is changed).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from plan.document.provenance import CORRECTION_KINDS

from .source import Piece, Row, SourceDocument

KINDS = tuple(CORRECTION_KINDS)


class CorrectionError(ValueError):
    """A correction does not match the source it claims to correct."""


@dataclass
class Corrections:
    entries: dict[str, list[dict]]

    @classmethod
    def load(cls, path: Path) -> "Corrections":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - set(KINDS)
        if unknown:
            raise CorrectionError(f"unknown correction kinds: {sorted(unknown)}")
        entries = {kind: data.get(kind, []) for kind in KINDS}
        for kind, items in entries.items():
            for entry in items:
                if not str(entry.get("reason", "")).strip():
                    raise CorrectionError(f"{kind} entry without a reason: {entry}")
        return cls(entries)

    def __iter__(self):
        for kind in KINDS:
            for entry in self.entries[kind]:
                yield kind, entry

    def split_rows(self) -> dict[int, dict]:
        return {entry["line"]: entry for entry in self.entries["split_row"]}


class RowIndex:
    def __init__(self, rows: list[Row]):
        self.rows = rows

    def get(self, line: int) -> Row:
        for row in self.rows:
            if row.line == line:
                return row
        raise CorrectionError(f"no table row starts at line {line}")

    def remove(self, row: Row) -> None:
        self.rows.remove(row)


def _texts(cell: list[Piece]) -> list[str]:
    return [piece.text for piece in cell]


def _take_paragraph(row: Row, column: str, entry: dict) -> Piece:
    """Cut the text an entry names out of a cell: `text` (an exact prefix) or `starts_with`."""
    cell = row.cells.get(column, [])
    wanted = entry.get("text") or entry.get("starts_with")
    if not wanted:
        raise CorrectionError(f"line {row.line}: entry needs text or starts_with: {entry}")
    hits = [index for index, paragraph in enumerate(cell) if paragraph.text.startswith(wanted)]
    if len(hits) != 1:
        raise CorrectionError(
            f"line {row.line} {column}: expected one paragraph starting with {wanted!r}, "
            f"found {len(hits)} in {_texts(cell)!r}"
        )
    index = hits[0]
    paragraph = cell[index]
    if "starts_with" in entry or paragraph.text == wanted:
        del cell[index]
        return paragraph
    cell[index] = paragraph.cut(len(wanted)).strip()
    return paragraph.cut(0, len(wanted))


def _take_texts(row: Row, column: str, entry: dict) -> list[Piece]:
    """The text a move_text entry names: one paragraph (or prefix), or all `before` one."""
    if "before" not in entry:
        return [_take_paragraph(row, column, entry)]
    cell = row.cells[column]
    hits = [
        index for index, paragraph in enumerate(cell) if paragraph.text.startswith(entry["before"])
    ]
    if len(hits) != 1 or hits[0] == 0:
        raise CorrectionError(
            f"line {row.line} {column}: nothing before one paragraph {entry['before']!r}"
        )
    taken = cell[: hits[0]]
    del cell[: hits[0]]
    return taken


def _put(row: Row, column: str, piece: Piece, *, join: bool) -> None:
    cell = row.cells.setdefault(column, [])
    if join and cell:
        cell[-1] = cell[-1].joined(piece)
    else:
        cell.append(piece)


def apply_row_corrections(document: SourceDocument, corrections: Corrections) -> None:
    """Apply the kinds that act on physical rows, in place (goals and detailed plan)."""
    index = RowIndex(document.detail)
    goals = RowIndex(document.goals)

    def row_at(line: int) -> Row:
        try:
            return index.get(line)
        except CorrectionError:
            return goals.get(line)

    for entry in corrections.entries["drop_line"]:
        row = index.get(entry["line"])
        if "separator" not in row.cells:
            raise CorrectionError(f"drop_line {entry['line']}: not a separator line")
        index.remove(row)

    # A moved amount or text keeps its own line (Piece.lines): the line then belongs to the
    # record the amount or text is given to, not to every record of the row it joins.
    for entry in corrections.entries["move_amount"]:
        row = index.get(entry["line"])
        column = entry.get("column", "amounts")
        printed = entry["amount"]
        cell = row.cells[column] if column == "amounts" else _split_words(row, column)
        if printed not in _texts(cell):
            raise CorrectionError(f"move_amount: {printed} not in line {row.line} {column}")
        amount = cell.pop(_texts(cell).index(printed))
        target = index.get(entry["to_line"])
        target.cells["amounts"].insert(entry.get("position", 0), amount)

    for entry in corrections.entries["drop_text"]:
        row = index.get(entry["line"])
        _take_paragraph(row, entry["column"], entry)

    for entry in corrections.entries["merge"]:
        row = row_at(entry["line"])
        target = row_at(entry["into"])
        joined = set(entry.get("join", []))
        for column, cell in row.cells.items():
            for position, paragraph in enumerate(cell):
                _put(target, column, paragraph, join=position == 0 and column in joined)
        target.lines |= row.lines
        (goals if row in goals.rows else index).remove(row)

    for entry in corrections.entries["move_text"]:
        row = index.get(entry["line"])
        column = entry["column"]
        target = index.get(entry["to_line"])
        to_column = entry.get("to_column", column)
        join = entry.get("join", False)
        for position, piece in enumerate(_take_texts(row, column, entry)):
            _put(target, to_column, piece, join=join and position == 0)


def _split_words(row: Row, column: str) -> list[Piece]:
    words = [word for paragraph in row.cells[column] for word in paragraph.words()]
    row.cells[column] = words
    return words


def check_sic(document: SourceDocument, corrections: Corrections) -> None:
    for entry in corrections.entries["sic"]:
        if entry["text"] not in document.line(entry["line"]):
            raise CorrectionError(f"sic: {entry['text']!r} is not on line {entry['line']}")
