"""Turn the source document plus the corrections file into the published plan document.

The result is the same JSON document `exportplan` writes (see README, "Open data format"),
so the fixture, the database and the export can be compared byte for byte.

How the budget tree is read (the rules every correction is measured against):
- 類 (壹、) and 項 (一、) come from the summary table, which is authoritative for them; a
  row of the detailed plan starts a 項 only when it is the next 項 of the summary.
- (一) rows are 目 budget lines when the detailed plan prints an amount for at least one
  of them under that 項; otherwise they are numbered measures of the 項 itself.
- 1. rows, and any other name, are measures of the nearest budget line above them.
- Text printed on a budget line's own row (計畫目標/實施要領) is published as an
  unnumbered measure named as the row prints it.
- A row with an empty 計畫名稱 continues the measure above it.
"""

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .corrections import CorrectionError, Corrections, apply_row_corrections, check_sic
from .source import Row, SourceDocument, read_source
from .text import Level, Name, compact, join_text, parse_amount, parse_name, split_names

PLAN_SLUG = "kcpd-114"
AGENCY = "高雄市政府警察局"


class BuildError(ValueError):
    """The corrected source does not make a consistent plan."""


@dataclass
class Part:
    """One logical row: a single name (or none, for a continuation) and the text beside it."""

    name: Name | None
    objectives: list[str]
    approach: list[str]
    amounts: list[str]
    lines: set[int]
    printed_name: bool = True


@dataclass
class Node:
    level: str
    ordinal: str
    name: str
    lines: set[int] = field(default_factory=set)
    amount: int | None = None
    amount_source: str = ""
    note: str = ""
    editor_note: str = ""
    summary_line: int | None = None
    children: list["Node"] = field(default_factory=list)
    measures: list["MeasureNode"] = field(default_factory=list)
    code: str = ""

    @property
    def label(self) -> str:
        return f"{self.ordinal}{self.name}"


@dataclass
class MeasureNode:
    ordinal: str
    name: str
    objectives: list[str]
    approach: list[str]
    lines: set[int]
    editor_note: str = ""
    printed_name: bool = True
    code: str = ""

    @property
    def label(self) -> str:
        return f"{self.ordinal}{self.name}"


# ---------------------------------------------------------------- summary table


@dataclass
class SummaryItem:
    ordinal: str
    name: str
    amount: int
    line: int


@dataclass
class SummaryCategory:
    ordinal: str
    name: str
    amount: int
    line: int
    note: str
    items: list[SummaryItem]


def read_summary(document: SourceDocument) -> tuple[list[SummaryCategory], int, int]:
    categories = []
    total = total_line = None
    for row in document.summary:
        cells = row.cells["cells"] + [""] * 4
        if cells[0] == "合計":
            total, total_line = parse_amount(cells[2]), row.line
            continue
        category = parse_name(cells[0])
        if category.level != Level.CATEGORY:
            raise BuildError(f"line {row.line}: summary row without a 類: {cells[0]!r}")
        names = [parse_name(part) for part in split_names(cells[1])]
        amounts = [parse_amount(part) for part in cells[2].split()]
        if len(names) == 1 and len(amounts) == 1:
            # A 類 with a single 項 prints one figure for both.
            amounts = amounts * 2
        if len(amounts) != len(names) + 1:
            raise BuildError(f"line {row.line}: {len(names)} 項 but {len(amounts)} amounts")
        items = [
            SummaryItem(name.ordinal, name.text, amount, row.line)
            for name, amount in zip(names, amounts[1:], strict=True)
        ]
        categories.append(
            SummaryCategory(
                category.ordinal, category.text, amounts[0], row.line, cells[3].strip(), items
            )
        )
    if total is None:
        raise BuildError("the summary table has no 合計 row")
    return categories, total, total_line


# ---------------------------------------------------------------- logical rows


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


# ---------------------------------------------------------------- the tree


class TreeBuilder:
    def __init__(self, summary: list[SummaryCategory]):
        self.summary = summary
        self.categories: list[Node] = []
        self.category: Node | None = None
        self.category_summary: SummaryCategory | None = None
        self.item: Node | None = None
        self.subitem: Node | None = None
        self.measure: MeasureNode | None = None
        self.budgeted_subitems: set[int] = set()

    # A 項 row is the next 項 of the summary, printed with the same ordinal and a name
    # that starts with the summary's (the plan prints 一般行政 as 一般行政管理).
    def _next_item(self, name: Name) -> SummaryItem | None:
        if self.category_summary is None or name.level not in (Level.ITEM, Level.NONE):
            return None
        index = len(self.category.children)
        if index >= len(self.category_summary.items):
            return None
        expected = self.category_summary.items[index]
        if name.ordinal == expected.ordinal and compact(name.text).startswith(
            compact(expected.name)
        ):
            return expected
        return None

    def _next_category(self, name: Name) -> SummaryCategory:
        index = len(self.categories)
        if index >= len(self.summary):
            raise BuildError(f"{name.label}: more 類 than the summary table has")
        expected = self.summary[index]
        if (name.ordinal, compact(name.text)) != (expected.ordinal, compact(expected.name)):
            raise BuildError(f"{name.label}: expected 類 {expected.ordinal}{expected.name}")
        return expected

    def mark_budgeted_subitems(self, parts: list[Part]) -> None:
        """First pass: under which 項 do (一) rows carry amounts (so they are 目 lines)?"""
        item_index = -1
        category_count = 0
        for part in parts:
            if part.name is None:
                continue
            if part.name.level == Level.CATEGORY:
                category_count += 1
                summary = self.summary[category_count - 1]
                item_position = 0
            elif (
                category_count
                and part.name.level in (Level.ITEM, Level.NONE)
                and item_position < len(summary.items)
            ):
                expected = summary.items[item_position]
                if part.name.ordinal == expected.ordinal and compact(part.name.text).startswith(
                    compact(expected.name)
                ):
                    item_position += 1
                    item_index += 1
                    continue
            if part.name.level == Level.SUBITEM and part.amounts:
                self.budgeted_subitems.add(item_index)
        self.item_counter = -1

    def add(self, part: Part) -> None:
        if part.name is None:
            self._continue(part)
            return
        name = part.name
        if name.level == Level.CATEGORY:
            self._start_category(name, part)
            return
        expected_item = self._next_item(name)
        if expected_item is not None:
            self._start_item(name, expected_item, part)
            return
        if name.level == Level.SUBITEM and self.item_counter in self.budgeted_subitems:
            self._start_subitem(name, part)
            return
        self._start_measure(name, part)

    def _start_category(self, name: Name, part: Part) -> None:
        summary = self._next_category(name)
        node = Node(Level.CATEGORY, summary.ordinal, summary.name, set(part.lines))
        node.note = summary.note
        node.summary_line = summary.line
        self._take_amount(node, part)
        self.categories.append(node)
        self.category, self.category_summary = node, summary
        self.item = self.subitem = self.measure = None
        self._own_text(node, name, part)

    def _start_item(self, name: Name, summary: SummaryItem, part: Part) -> None:
        node = Node(Level.ITEM, summary.ordinal, summary.name, set(part.lines))
        node.summary_line = summary.line
        self._take_amount(node, part)
        self.category.children.append(node)
        self.item, self.subitem, self.measure = node, None, None
        self.item_counter += 1
        self._own_text(node, name, part)

    def _start_subitem(self, name: Name, part: Part) -> None:
        node = Node(Level.SUBITEM, name.ordinal, name.text, set(part.lines))
        self._take_amount(node, part)
        self.item.children.append(node)
        self.subitem, self.measure = node, None
        self._own_text(node, name, part)

    def _own_text(self, node: Node, name: Name, part: Part) -> None:
        if part.objectives or part.approach:
            measure = MeasureNode("", name.text, part.objectives, part.approach, set(part.lines))
            node.measures.append(measure)
            self.measure = measure

    def _start_measure(self, name: Name, part: Part) -> None:
        if part.amounts:
            raise BuildError(
                f"line {min(part.lines)}: amount {part.amounts} on measure {name.label}"
            )
        owner = self.subitem or self.item
        if owner is None:
            raise BuildError(f"line {min(part.lines)}: measure {name.label} outside any 項")
        measure = MeasureNode(
            name.ordinal,
            name.text,
            part.objectives,
            part.approach,
            set(part.lines),
            printed_name=part.printed_name,
        )
        owner.measures.append(measure)
        self.measure = measure

    def _continue(self, part: Part) -> None:
        if part.amounts:
            raise BuildError(f"line {min(part.lines)}: amount {part.amounts} on a continuation row")
        if self.measure is None:
            raise BuildError(f"line {min(part.lines)}: text with no measure above it")
        self.measure.objectives += part.objectives
        self.measure.approach += part.approach
        self.measure.lines |= part.lines

    @staticmethod
    def _take_amount(node: Node, part: Part) -> None:
        if len(part.amounts) > 1:
            raise BuildError(f"{node.label}: several amounts {part.amounts}")
        if part.amounts:
            node.amount = parse_amount(part.amounts[0])
            node.amount_source = "stated"


# ---------------------------------------------------------------- amounts


def settle_amounts(categories: list[Node], summary: list[SummaryCategory]) -> list[Node]:
    """Check 類/項 against the summary, derive what the parent implies, check every sum."""
    for category, category_summary in zip(categories, summary, strict=True):
        _agree(category, category_summary.amount)
        if len(category.children) != len(category_summary.items):
            raise BuildError(f"{category.label}: the detailed plan lacks some 項 of the summary")
        for item, item_summary in zip(category.children, category_summary.items, strict=True):
            _agree(item, item_summary.amount)

    derived = []
    for node in _walk(categories):
        missing = [child for child in node.children if child.amount is None]
        if len(missing) == 1 and node.amount is not None:
            stated = sum(child.amount for child in node.children if child.amount is not None)
            if stated > node.amount:
                raise BuildError(f"{node.label}: children exceed the parent")
            missing[0].amount = node.amount - stated
            missing[0].amount_source = "derived"
            derived.append(missing[0])
    for node in _walk(categories):
        if node.children and all(child.amount is not None for child in node.children):
            total = sum(child.amount for child in node.children)
            if total != node.amount:
                raise BuildError(f"{node.label}: {node.amount} != sum of children {total}")
    return derived


def _agree(node: Node, printed: int) -> None:
    if node.amount is None:
        node.amount, node.amount_source = printed, "stated"
    elif node.amount != printed:
        raise BuildError(f"{node.label}: detailed plan {node.amount} != summary {printed}")


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


# ---------------------------------------------------------------- corrections on records


def _find_record(categories: list[Node], entry: dict):
    line, label = entry["line"], compact(entry["name"])
    hits = []
    for node in _walk(categories):
        if line in node.lines and compact(node.label) == label:
            hits.append(node)
        hits += [
            measure
            for measure in node.measures
            if line in measure.lines and compact(measure.label) == label
        ]
    if len(hits) != 1:
        raise CorrectionError(f"{entry}: matches {len(hits)} records")
    return hits[0]


def apply_record_corrections(categories, derived, corrections: Corrections) -> None:
    declared = {}
    for entry in corrections.entries["derived"]:
        node = _find_record(categories, entry)
        declared[id(node)] = entry
        if node.amount_source != "derived" or node.amount != entry["amount"]:
            raise CorrectionError(f"derived {entry['name']}: computed {node.amount}")
    undeclared = [node.label for node in derived if id(node) not in declared]
    if undeclared:
        raise CorrectionError(f"derived amounts missing from the corrections file: {undeclared}")
    for entry in corrections.entries["editor_note"]:
        _find_record(categories, entry).editor_note = entry["note"]
    for node in _walk(categories):
        for measure in node.measures:
            if not measure.printed_name and not measure.editor_note:
                raise CorrectionError(f"unnamed measure under {node.label} needs an editor_note")


# ---------------------------------------------------------------- the document


def build_plan(
    source_path: Path, corrections_path: Path, source_name: str, goal_links_path: Path | None = None
) -> dict:
    raw = source_path.read_bytes()
    document = read_source(raw.decode("utf-8"))
    corrections = Corrections.load(corrections_path)
    check_sic(document, corrections)
    apply_row_corrections(document, corrections)

    goals = _goals(document)
    summary, total, _ = read_summary(document)
    if sum(category.amount for category in summary) != total:
        raise BuildError("the 類 of the summary do not add up to its 合計")

    split_specs = corrections.split_rows()
    parts = []
    for row in document.detail:
        if "separator" in row.cells:
            raise BuildError(f"line {row.line}: separator debris not dropped")
        if row.cells["note"]:
            raise BuildError(f"line {row.line}: unexpected 備註 {row.cells['note']}")
        parts += split_parts(row, split_specs.pop(row.line, None))
    if split_specs:
        raise CorrectionError(f"split_row entries match no row: {sorted(split_specs)}")

    builder = TreeBuilder(summary)
    builder.mark_budgeted_subitems(parts)
    for part in parts:
        builder.add(part)
    categories = builder.categories
    if len(categories) < len(summary):
        # A 類 may appear only in the summary table (陸、第一預備金 has no detailed plan).
        for category_summary in summary[len(categories) :]:
            categories.append(_summary_only(category_summary))

    derived = settle_amounts(categories, summary)
    apply_record_corrections(categories, derived, corrections)
    _assign_codes(categories)
    _attach_goal_links(goals, categories, goal_links_path)

    title = document.title.removesuffix("提要").strip()
    return {
        "plan": {
            "slug": PLAN_SLUG,
            "fiscal_year": 114,
            "agency": AGENCY,
            "title": title,
            "total_amount": total,
            "source_file": source_name,
            "source_sha256": hashlib.sha256(raw).hexdigest(),
        },
        "goals": goals,
        "budget": [_node_json(node) for node in categories],
    }


def _summary_only(summary: SummaryCategory) -> Node:
    node = Node(Level.CATEGORY, summary.ordinal, summary.name, {summary.line})
    node.note, node.summary_line = summary.note, summary.line
    node.amount, node.amount_source = summary.amount, "stated"
    for item in summary.items:
        child = Node(Level.ITEM, item.ordinal, item.name, {item.line})
        child.summary_line = item.line
        child.amount, child.amount_source = item.amount, "stated"
        node.children.append(child)
    return node


def _goals(document: SourceDocument) -> list[dict]:
    goals = []
    for number, row in enumerate(document.goals, start=1):
        text = "".join(row.cells["text"])
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


def _attach_goal_links(goals: list[dict], categories: list[Node], path: Path | None) -> None:
    """Add the editors' goal-to-measure links (fixtures/goal-links.toml) to each goal."""
    order = {
        measure.code: position
        for position, measure in enumerate(
            measure for node in _walk(categories) for measure in node.measures
        )
    }
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["goal"] if path else []
    by_number = {entry["number"]: entry for entry in entries}
    if path and sorted(by_number) != [goal["number"] for goal in goals]:
        raise BuildError(f"{path.name}: needs exactly one entry for each of the {len(goals)} goals")
    for goal in goals:
        entry = by_number.get(goal["number"], {"measures": [], "reason": ""})
        unknown = [code for code in entry["measures"] if code not in order]
        if unknown or len(set(entry["measures"])) != len(entry["measures"]):
            raise BuildError(f"goal {goal['number']}: unknown or repeated measures {unknown}")
        goal["measures"] = sorted(entry["measures"], key=order.__getitem__)
        goal["link_note"] = entry["reason"]


def _assign_codes(categories: list[Node]) -> None:
    def visit(nodes: list[Node], prefix: str) -> None:
        for position, node in enumerate(nodes, start=1):
            node.code = f"{prefix}{position}"
            for number, measure in enumerate(node.measures, start=1):
                measure.code = f"{node.code}-m{number}"
            visit(node.children, f"{node.code}-")

    visit(categories, "")


def _node_json(node: Node) -> dict:
    return {
        "code": node.code,
        "level": node.level,
        "ordinal": node.ordinal,
        "name": node.name,
        "amount": node.amount,
        "amount_source": node.amount_source,
        "note": node.note,
        "editor_note": node.editor_note,
        "summary_line": node.summary_line,
        "source_lines": [min(node.lines), max(node.lines)],
        "measures": [
            {
                "code": measure.code,
                "ordinal": measure.ordinal,
                "name": measure.name,
                "objectives": join_text(measure.objectives),
                "approach": join_text(measure.approach),
                "editor_note": measure.editor_note,
                "source_lines": [min(measure.lines), max(measure.lines)],
            }
            for measure in node.measures
        ],
        "children": [_node_json(child) for child in node.children],
    }


def dump(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
