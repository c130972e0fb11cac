"""Step 4: the logical rows as the budget tree (類 > 項 > 目) with each line's measures.

類 and 項 are recognised by the summary table; (一) rows are 目 lines only under a 項 where
at least one of them prints an amount (`budgeted_items`, a first pass over the rows).
"""

from dataclasses import dataclass, field

from .rows import Part
from .summary import SUMMARY_RULE, BuildError, SummaryCategory, SummaryItem
from .text import Level, Name, compact, parse_amount


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


class ItemTracker:
    """Follows the 類 and 項 of the summary through the rows: the one place a row is
    recognised as the next 項."""

    def __init__(self, summary: list[SummaryCategory]):
        self.summary = summary
        self.category_index = -1
        self.item_position = 0  # 項 seen in the current 類
        self.item_index = -1  # 項 seen in the whole plan

    def start_category(self, name: Name) -> SummaryCategory:
        if self.category_index + 1 >= len(self.summary):
            raise BuildError(f"{name.label}: more 類 than the summary table has", rule=SUMMARY_RULE)
        self.category_index += 1
        self.item_position = 0
        return self.summary[self.category_index]

    def next_item(self, name: Name) -> SummaryItem | None:
        """The summary's next 項 if this row is it (then it counts as seen), else None."""
        if self.category_index < 0:
            return None
        items = self.summary[self.category_index].items
        if self.item_position >= len(items) or not items[self.item_position].printed_as(name):
            return None
        self.item_position += 1
        self.item_index += 1
        return items[self.item_position - 1]


def budgeted_items(parts: list[Part], summary: list[SummaryCategory]) -> set[int]:
    """The 項 (by index in the whole plan) under which a (一) row prints an amount."""
    tracker = ItemTracker(summary)
    budgeted = set()
    for part in parts:
        if part.name is None:
            continue
        if part.name.level == Level.CATEGORY:
            tracker.start_category(part.name)
        elif tracker.next_item(part.name) is not None:
            continue
        if part.name.level == Level.SUBITEM and part.amounts:
            budgeted.add(tracker.item_index)
    return budgeted


class TreeBuilder:
    def __init__(self, summary: list[SummaryCategory], budgeted: set[int]):
        self.summary = summary
        self.budgeted = budgeted
        self.items = ItemTracker(summary)
        self.categories: list[Node] = []
        self.category: Node | None = None
        self.item: Node | None = None
        self.subitem: Node | None = None
        self.measure: MeasureNode | None = None

    def build(self, parts: list[Part]) -> list[Node]:
        for part in parts:
            self.add(part)
        return self.categories

    def add(self, part: Part) -> None:
        if part.name is None:
            self._continue(part)
            return
        name = part.name
        if name.level == Level.CATEGORY:
            self._start_category(name, part)
            return
        expected_item = self.items.next_item(name)
        if expected_item is not None:
            self._start_item(name, expected_item, part)
            return
        if name.level == Level.SUBITEM and self.items.item_index in self.budgeted:
            self._start_subitem(name, part)
            return
        self._start_measure(name, part)

    def _start_category(self, name: Name, part: Part) -> None:
        summary = self.items.start_category(name)
        if (name.ordinal, compact(name.text)) != (summary.ordinal, compact(summary.name)):
            raise BuildError(
                f"{name.label}: expected 類 {summary.ordinal}{summary.name}",
                line=part.line,
                rule=SUMMARY_RULE,
            )
        node = Node(Level.CATEGORY, summary.ordinal, summary.name, part.heading_lines)
        node.note = summary.note
        node.summary_line = summary.line
        self._take_amount(node, part)
        self.categories.append(node)
        self.category = node
        self.item = self.subitem = self.measure = None
        self._own_text(node, name, part)

    def _start_item(self, name: Name, summary: SummaryItem, part: Part) -> None:
        node = Node(Level.ITEM, summary.ordinal, summary.name, part.heading_lines)
        node.summary_line = summary.line
        self._take_amount(node, part)
        self.category.children.append(node)
        self.item, self.subitem, self.measure = node, None, None
        self._own_text(node, name, part)

    def _start_subitem(self, name: Name, part: Part) -> None:
        node = Node(Level.SUBITEM, name.ordinal, name.text, part.heading_lines)
        self._take_amount(node, part)
        self.item.children.append(node)
        self.subitem, self.measure = node, None
        self._own_text(node, name, part)

    def _own_text(self, node: Node, name: Name, part: Part) -> None:
        if part.objectives or part.approach:
            measure = MeasureNode("", name.text, part.objectives, part.approach, part.measure_lines)
            node.measures.append(measure)
            self.measure = measure

    def _start_measure(self, name: Name, part: Part) -> None:
        if part.amounts:
            raise BuildError(f"line {part.line}: amount {part.amounts} on measure {name.label}")
        owner = self.subitem or self.item
        if owner is None:
            raise BuildError(f"line {part.line}: measure {name.label} outside any 項")
        measure = MeasureNode(
            name.ordinal,
            name.text,
            part.objectives,
            part.approach,
            part.measure_lines,
            printed_name=part.printed_name,
        )
        owner.measures.append(measure)
        self.measure = measure

    def _continue(self, part: Part) -> None:
        if part.amounts:
            raise BuildError(f"line {part.line}: amount {part.amounts} on a continuation row")
        if self.measure is None:
            raise BuildError(f"line {part.line}: text with no measure above it")
        self.measure.objectives += part.objectives
        self.measure.approach += part.approach
        self.measure.lines |= part.text_lines

    @staticmethod
    def _take_amount(node: Node, part: Part) -> None:
        if len(part.amounts) > 1:
            raise BuildError(f"{node.label}: several amounts {part.amounts}")
        if part.amounts:
            node.amount = parse_amount(part.amounts[0])
            node.amount_source = "stated"


def summary_only(summary: SummaryCategory) -> Node:
    """A 類 printed only in the summary table (陸、第一預備金 has no detailed plan)."""
    node = Node(Level.CATEGORY, summary.ordinal, summary.name, {summary.line})
    node.note, node.summary_line = summary.note, summary.line
    node.amount, node.amount_source = summary.amount, "stated"
    for item in summary.items:
        child = Node(Level.ITEM, item.ordinal, item.name, {item.line})
        child.summary_line = item.line
        child.amount, child.amount_source = item.amount, "stated"
        node.children.append(child)
    return node


def budget_tree(parts: list[Part], summary: list[SummaryCategory]) -> list[Node]:
    """The 類 in document order, completed by those only the summary table prints."""
    categories = TreeBuilder(summary, budgeted_items(parts, summary)).build(parts)
    categories += [summary_only(category) for category in summary[len(categories) :]]
    return categories
