"""Step 2: the summary table (預算配合對照表), authoritative for the 類 and 項."""

from dataclasses import dataclass

from .source import SourceDocument
from .text import Level, Name, compact, parse_amount, parse_name, split_names


class BuildError(ValueError):
    """The corrected source does not make a consistent plan. The message names the source
    line and, where one is broken, the reading rule (plan/document/provenance.py READING_RULES)."""

    def __init__(self, message: str, *, line: int | None = None, rule: str | None = None):
        where = f"line {line}: " if line else ""
        why = f" (rule: {rule})" if rule else ""
        super().__init__(f"{where}{message}{why}")


# The reading rules as the importer's messages name them.
SUMMARY_RULE = "類 and 項 come from the summary table; the detailed plan must agree with it"
SUM_RULE = "every parent's amount is the sum of its children's"
DERIVED_RULE = "only one line under a parent may lack a printed amount (it is derived)"


@dataclass
class SummaryItem:
    ordinal: str
    name: str
    amount: int
    line: int

    def printed_as(self, name: Name) -> bool:
        """Whether a row of the detailed plan is this 項: the same ordinal and a name that
        starts with the summary's (the plan prints 一般行政 as 一般行政管理)."""
        return (
            name.level in (Level.ITEM, Level.NONE)
            and name.ordinal == self.ordinal
            and compact(name.text).startswith(compact(self.name))
        )


@dataclass
class SummaryCategory:
    ordinal: str
    name: str
    amount: int
    line: int
    note: str
    items: list[SummaryItem]


@dataclass
class Summary:
    categories: list[SummaryCategory]
    total: int


def read_summary(document: SourceDocument) -> Summary:
    categories = []
    total = None
    for row in document.summary:
        cells = [cell.text for cell in row.cells["cells"]] + [""] * 4
        if cells[0] == "合計":
            total = parse_amount(cells[2])
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
    if sum(category.amount for category in categories) != total:
        raise BuildError("the 類 of the summary do not add up to its 合計")
    return Summary(categories, total)
