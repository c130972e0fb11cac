"""The budget table: every budget line of a plan as one row, with what a reader compares:
its path, level, amount, share of its parent and of the total, whether the amount is derived,
its number of measures (its own and those of the lines under it) and, when the agency's
previous plan is published, the previous amount and the change. The page /budget/lines/ (and
its CSV and XLSX), budget-lines.csv and the API read these rows (plan/budget_table/filters.py
picks the ones asked for).

Shares are computed over every line of the plan (so a filtered table shows the same shares as
the line pages): siblings' shares of their parent, and the 類' shares of the total, are
rounded by largest remainder so that they add up to 100%.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from plan.comparison.lines import LineComparison, PlanComparison
from plan.models import CODE_PATTERN, BudgetLine, Plan
from plan.reading.formatting import share, share_text, shares_text


@dataclass(frozen=True)
class TableRow:
    line: BudgetLine
    share_of_parent: Decimal | None  # percent; None for a 類
    share_of_parent_text: str
    share_of_total: Decimal | None  # percent
    share_of_total_text: str
    measure_count: int  # of the line and the lines under it
    compared: LineComparison | None

    @property
    def code(self) -> str:
        return self.line.code

    @property
    def sequence(self) -> int:
        return self.line.sequence

    @property
    def amount(self) -> int | None:
        return self.line.amount

    @property
    def parents(self) -> list[BudgetLine]:
        return self.line.ancestors

    @property
    def previous_amount(self) -> int | None:
        previous = self.compared.previous if self.compared else None
        return previous.amount if previous else None

    @property
    def change(self) -> int | None:
        return self.compared.change if self.compared else None

    @property
    def change_percent(self) -> Decimal | None:
        return self.compared.change_percent if self.compared else None


def table_rows(
    plan: Plan, lines: list[BudgetLine], comparison: PlanComparison | None
) -> list[TableRow]:
    """One row per line of `lines` (every line of the plan, fetched with
    BudgetLine.objects.in_plan(plan).for_table()), in document order."""
    by_parent: dict[int | None, list[BudgetLine]] = {}
    for line in lines:
        by_parent.setdefault(line.parent_id, []).append(line)
    texts: dict[int, str] = {}
    for parent_id, siblings in by_parent.items():
        whole = plan.total_amount if parent_id is None else siblings[0].parent.amount
        amounts = [line.amount for line in siblings]
        texts |= dict(zip([line.pk for line in siblings], shares_text(amounts, whole), strict=True))
    rows = []
    for line in lines:
        parent = line.parent if line.parent_id else None
        rows.append(
            TableRow(
                line=line,
                share_of_parent=share(line.amount, parent.amount) if parent else None,
                share_of_parent_text=texts[line.pk] if parent else "—",
                share_of_total=share(line.amount, plan.total_amount),
                share_of_total_text=(
                    texts[line.pk] if parent is None else share_text(line.amount, plan.total_amount)
                ),
                measure_count=line.subtree_measure_count,
                compared=comparison.lines.get(line.code) if comparison else None,
            )
        )
    return rows


def line_rows(
    plan: Plan, code: str, comparison: PlanComparison | None
) -> tuple[TableRow, list[TableRow]] | None:
    """One line's row and its children's rows, from one query for the line, its siblings (its
    share of its parent is rounded among theirs) and its children; None for a code the plan
    does not have. A line's code is its parent's code and its own position (2-2-3 is under
    2-2)."""
    if not CODE_PATTERN.fullmatch(code):
        return None  # never send odd bytes (e.g. NUL, which PostgreSQL rejects) to the database
    parent_code = code.rpartition("-")[0]
    family = Q(parent__code=parent_code) if parent_code else Q(parent__isnull=True)
    lines = BudgetLine.objects.in_plan(plan).for_table().filter(family | Q(parent__code=code))
    rows = table_rows(plan, list(lines), comparison)
    row = next((row for row in rows if row.code == code), None)
    if row is None:
        return None
    return row, [each for each in rows if each.line.parent_id == row.line.pk]
