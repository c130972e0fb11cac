"""Step 3: the detailed plan's physical rows as logical rows (`Part`): one name each (or
none, for a continuation) with the text and amounts beside it. A row that holds several
names is shared out by its `split_row` correction."""

from dataclasses import dataclass

from .corrections import CorrectionError
from .source import Row, SourceDocument
from .summary import BuildError
from .text import Level, Name, compact, parse_name, split_names


@dataclass
class Part:
    name: Name | None
    objectives: list[str]
    approach: list[str]
    amounts: list[str]
    lines: set[int]
    printed_name: bool = True


def logical_rows(document: SourceDocument, split_specs: dict[int, dict]) -> list[Part]:
    """Every row of the detailed plan as parts, after the row corrections were applied."""
    specs = dict(split_specs)
    parts = []
    for row in document.detail:
        if "separator" in row.cells:
            raise BuildError(f"line {row.line}: separator debris not dropped")
        if row.cells["note"]:
            raise BuildError(f"line {row.line}: unexpected 備註 {row.cells['note']}")
        parts += split_parts(row, specs.pop(row.line, None))
    if specs:
        raise CorrectionError(f"split_row entries match no row: {sorted(specs)}")
    return parts


def split_parts(row: Row, spec: dict | None) -> list[Part]:
    names = [part for paragraph in row.cells["name"] for part in split_names(paragraph)]
    if spec:
        return _split_by_spec(row, names, spec)
    if not names:
        return [
            _part(row, None, row.cells["objectives"], row.cells["approach"], row.cells["amounts"])
        ]
    parts = [_part(row, parse_name(name), [], [], []) for name in names]
    parts[-1].objectives = row.cells["objectives"]
    parts[-1].approach = row.cells["approach"]
    if len(row.cells["amounts"]) > len(parts):
        raise BuildError(f"line {row.line}: more amounts than names")
    for part, amount in zip(parts, row.cells["amounts"], strict=False):
        part.amounts = [amount]
    return parts


def _part(row: Row, name, objectives, approach, amounts, printed=True) -> Part:
    return Part(name, list(objectives), list(approach), list(amounts), set(row.lines), printed)


def _split_by_spec(row: Row, names: list[str], spec: dict) -> list[Part]:
    if spec.get("one_to_one"):
        return _split_one_to_one(row, names, spec["headings"])
    specs = spec["parts"]
    printed = [part["name"] for part in specs if "name" in part]
    if compact("".join(printed)) != compact("".join(names)):
        raise CorrectionError(f"split_row {row.line}: names {printed} do not match {names}")
    shares = {column: _share(row, column, specs) for column in ("objectives", "approach")}
    parts = []
    for position, part_spec in enumerate(specs):
        if "name" in part_spec:
            name, printed_name = parse_name(part_spec["name"]), True
        else:
            name, printed_name = Name("", part_spec["unnamed"], Level.NONE), False
        amounts = [part_spec["amount"]] if "amount" in part_spec else []
        parts.append(
            _part(
                row,
                name,
                shares["objectives"][position],
                shares["approach"][position],
                amounts,
                printed_name,
            )
        )
    assigned = [amount for part in parts for amount in part.amounts]
    if sorted(assigned) != sorted(row.cells["amounts"]):
        raise CorrectionError(f"split_row {row.line}: amounts {assigned} != {row.cells['amounts']}")
    return parts


def _split_one_to_one(row: Row, names: list[str], headings: int) -> list[Part]:
    """The first `headings` names take the amounts; each later name takes one paragraph."""
    receivers = len(names) - headings
    for column in ("objectives", "approach"):
        if len(row.cells[column]) not in (0, receivers):
            raise CorrectionError(
                f"split_row {row.line}: {len(row.cells[column])} {column} for {receivers} names"
            )
    parts = []
    for position, name in enumerate(names):
        part = _part(row, parse_name(name), [], [], [])
        if position >= headings:
            for column in ("objectives", "approach"):
                if row.cells[column]:
                    getattr(part, column).append(row.cells[column][position - headings])
        parts.append(part)
    if len(row.cells["amounts"]) > headings:
        raise CorrectionError(f"split_row {row.line}: more amounts than headings")
    for part, amount in zip(parts, row.cells["amounts"], strict=False):
        part.amounts = [amount]
    return parts


def _share(row: Row, column: str, specs: list[dict]) -> list[list[str]]:
    cell = row.cells[column]
    starts = []
    cursor = 0
    for part_spec in specs:
        prefix = part_spec.get(column)
        if prefix is None:
            starts.append(None)
            continue
        for index in range(cursor, len(cell)):
            if cell[index].startswith(prefix):
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
