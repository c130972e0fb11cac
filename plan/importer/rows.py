"""Step 3: the detailed plan's physical rows as logical rows (`Part`): one name each (or
none, for a continuation) with the text and amounts beside it. A row that holds several
names is shared out by its `split_row` correction."""

from dataclasses import dataclass

from .corrections import CorrectionError
from .source import Piece, Row, SourceDocument
from .summary import BuildError
from .text import Level, Name, compact, parse_name, split_names


@dataclass
class Part:
    """A logical row. Its lines are kept apart by what is printed on them: a budget line's
    range is where its name and amount are, a measure's where its name and text are."""

    line: int  # the physical row it comes from
    name: Name | None
    objectives: list[str]
    approach: list[str]
    amounts: list[str]
    name_lines: set[int]
    text_lines: set[int]
    amount_lines: set[int]
    printed_name: bool = True

    @property
    def heading_lines(self) -> set[int]:
        return self.name_lines | self.amount_lines

    @property
    def measure_lines(self) -> set[int]:
        return self.name_lines | self.text_lines


def logical_rows(document: SourceDocument, split_specs: dict[int, dict]) -> list[Part]:
    """Every row of the detailed plan as parts, after the row corrections were applied."""
    specs = dict(split_specs)
    parts = []
    for row in document.detail:
        if "separator" in row.cells:
            raise BuildError(f"line {row.line}: separator debris not dropped")
        if row.cells["note"]:
            raise BuildError(f"line {row.line}: unexpected 備註 {_texts(row.cells['note'])}")
        parts += split_parts(row, specs.pop(row.line, None))
    if specs:
        raise CorrectionError(f"split_row entries match no row: {sorted(specs)}")
    return parts


def split_parts(row: Row, spec: dict | None) -> list[Part]:
    names = [name for paragraph in row.cells["name"] for name in _names(paragraph)]
    if spec:
        return _split_by_spec(row, names, spec)
    amounts = row.cells["amounts"]
    if not names:
        return [_part(row, None, set(), row.cells["objectives"], row.cells["approach"], amounts)]
    if len(amounts) > len(names):
        raise BuildError(f"line {row.line}: more amounts than names")
    last = len(names) - 1
    return [
        _part(
            row,
            parse_name(name.text),
            name.lines,
            row.cells["objectives"] if position == last else [],
            row.cells["approach"] if position == last else [],
            amounts[position : position + 1],
        )
        for position, name in enumerate(names)
    ]


def _names(paragraph: Piece) -> list[Piece]:
    """The names a paragraph of the name column holds, each with its characters' lines."""
    names = []
    start = 0
    for name in split_names(paragraph.text):
        start = paragraph.text.index(name, start)
        names.append(paragraph.cut(start, start + len(name)))
        start += len(name)
    return names


def _texts(cell: list[Piece]) -> list[str]:
    return [piece.text for piece in cell]


def _lines(cell: list[Piece]) -> set[int]:
    return {line for piece in cell for line in piece.lines}


def _part(
    row: Row,
    name: Name | None,
    name_lines: set[int] | frozenset[int],
    objectives: list[Piece],
    approach: list[Piece],
    amounts: list[Piece],
    printed: bool = True,
) -> Part:
    return Part(
        row.line,
        name,
        _texts(objectives),
        _texts(approach),
        _texts(amounts),
        set(name_lines),
        _lines(objectives) | _lines(approach),
        _lines(amounts),
        printed,
    )


def _split_by_spec(row: Row, names: list[Piece], spec: dict) -> list[Part]:
    if spec.get("one_to_one"):
        return _split_one_to_one(row, names, spec["headings"])
    specs = spec["parts"]
    printed = [part["name"] for part in specs if "name" in part]
    texts = _texts(names)
    if compact("".join(printed)) != compact("".join(texts)):
        raise CorrectionError(f"split_row {row.line}: names {printed} do not match {texts}")
    name_lines = iter(_cut_lines(names, printed))
    shares = {column: _share(row, column, specs) for column in ("objectives", "approach")}
    amounts = list(row.cells["amounts"])
    parts = []
    for position, part_spec in enumerate(specs):
        if "name" in part_spec:
            name, lines, printed_name = parse_name(part_spec["name"]), next(name_lines), True
        else:
            name, lines, printed_name = Name("", part_spec["unnamed"], Level.NONE), set(), False
        parts.append(
            _part(
                row,
                name,
                lines,
                shares["objectives"][position],
                shares["approach"][position],
                _take_amount(row, amounts, part_spec.get("amount")),
                printed_name,
            )
        )
    if amounts:
        raise CorrectionError(f"split_row {row.line}: amounts {_texts(amounts)} given to no part")
    return parts


def _cut_lines(names: list[Piece], cuts: list[str]) -> list[set[int]]:
    """For each of `cuts` (the printed names' characters, cut where the split_row entry cuts
    them), the lines its characters are printed on."""
    line_of = [
        line
        for name in names
        for character, line in zip(name.text, name.line_of, strict=True)
        if not character.isspace()
    ]
    result = []
    start = 0
    for cut in cuts:
        stop = start + len(compact(cut))
        result.append(set(line_of[start:stop]))
        start = stop
    return result


def _take_amount(row: Row, amounts: list[Piece], wanted: str | None) -> list[Piece]:
    if wanted is None:
        return []
    for position, amount in enumerate(amounts):
        if amount.text == wanted:
            return [amounts.pop(position)]
    raise CorrectionError(
        f"split_row {row.line}: no amount {wanted} in {_texts(row.cells['amounts'])}"
    )


def _split_one_to_one(row: Row, names: list[Piece], headings: int) -> list[Part]:
    """The first `headings` names take the amounts; each later name takes one paragraph."""
    receivers = len(names) - headings
    for column in ("objectives", "approach"):
        if len(row.cells[column]) not in (0, receivers):
            raise CorrectionError(
                f"split_row {row.line}: {len(row.cells[column])} {column} for {receivers} names"
            )
    amounts = row.cells["amounts"]
    if len(amounts) > headings:
        raise CorrectionError(f"split_row {row.line}: more amounts than headings")

    def paragraph(column: str, position: int) -> list[Piece]:
        cell = row.cells[column]
        return [cell[position - headings]] if cell and position >= headings else []

    return [
        _part(
            row,
            parse_name(name.text),
            name.lines,
            paragraph("objectives", position),
            paragraph("approach", position),
            amounts[position : position + 1],
        )
        for position, name in enumerate(names)
    ]


def _share(row: Row, column: str, specs: list[dict]) -> list[list[Piece]]:
    cell = row.cells[column]
    starts = []
    cursor = 0
    for part_spec in specs:
        prefix = part_spec.get(column)
        if prefix is None:
            starts.append(None)
            continue
        for index in range(cursor, len(cell)):
            if cell[index].text.startswith(prefix):
                starts.append(index)
                cursor = index + 1
                break
        else:
            raise CorrectionError(f"split_row {row.line}: no {column} paragraph {prefix!r}")
    given = [start for start in starts if start is not None]
    if cell and (not given or given[0] != 0):
        raise CorrectionError(f"split_row {row.line}: {column} text before the first part")
    shares = []
    for position, start in enumerate(starts):
        if start is None:
            shares.append([])
            continue
        following = [later for later in starts[position + 1 :] if later is not None]
        shares.append(cell[start : following[0] if following else len(cell)])
    return shares
