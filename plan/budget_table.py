"""The budget table: every budget line of a plan as one row, with what a reader compares:
its path, level, amount, share of its parent and of the total, whether the amount is derived,
its number of measures and, when the agency's previous plan is published, the previous amount
and the change. The page /budget/lines/ (and its CSV and XLSX), budget-lines.csv and the API
read these rows.

Shares are computed over every line of the plan (so a filtered table shows the same shares as
the line pages): siblings' shares of their parent, and the 類' shares of the total, are
rounded by largest remainder so that they add up to 100%.
"""

from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django.core.validators import RegexValidator

from .comparison import LineComparison, PlanComparison
from .formatting import share, share_text, shares_text
from .models import CODE_PATTERN, BudgetLine, Plan


@dataclass(frozen=True)
class TableRow:
    line: BudgetLine
    share_of_parent: Decimal | None  # percent; None for a 類
    share_of_parent_text: str
    share_of_total: Decimal | None  # percent
    share_of_total_text: str
    measure_count: int
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
                measure_count=line.measure_count,
                compared=comparison.lines.get(line.code) if comparison else None,
            )
        )
    return rows


code_validator = RegexValidator(f"^{CODE_PATTERN.pattern}$", "代碼格式不正確，例如 2-2-3")


class BudgetLineFilter(django_filters.FilterSet):
    """Which lines the table (and the API's list) shows: a 類, a level, the children of a
    line, or a line with everything under it. A value that is not valid filters nothing (the
    page says so); the API refuses it before it gets here."""

    category = django_filters.ChoiceFilter(label="類", method="in_subtree", empty_label="全部類別")
    level = django_filters.ChoiceFilter(
        label="層級", choices=BudgetLine.Level.choices, empty_label="全部層級"
    )
    parent = django_filters.CharFilter(
        label="上層代碼", method="under_parent", validators=[code_validator]
    )
    code_prefix = django_filters.CharFilter(
        label="代碼（含其下各層）", method="in_subtree", validators=[code_validator]
    )

    class Meta:
        model = BudgetLine
        fields = ["category", "level", "parent", "code_prefix"]

    def __init__(self, data, queryset, *, categories):
        super().__init__(data, queryset=queryset)
        self.filters["category"].extra["choices"] = [(line.code, line.label) for line in categories]

    def in_subtree(self, queryset, name, value):
        return queryset.subtree(value)

    def under_parent(self, queryset, name, value):
        return queryset.filter(parent__code=value)

    @property
    def active(self) -> dict[str, str]:
        """The valid filters in effect, by name."""
        self.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    @property
    def ignored(self) -> list[str]:
        """The filters given with a value that is not valid (left out)."""
        self.is_valid()
        return [self.filters[name].label for name in self.form.errors if name in self.filters]
