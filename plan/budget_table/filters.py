"""Which rows of the budget table a reader asked for: one chain of filters (a 類, a level, the
children of a line, or a line with everything under it) shared by the page /budget/lines/, its
CSV and XLSX, and the API's list of budget lines."""

from dataclasses import dataclass

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy, pgettext_lazy

from plan.addresses.languages import is_english
from plan.comparison.lines import PlanComparison, plan_comparison
from plan.models import CODE_PATTERN, BudgetLine, Plan
from plan.reading.english_names import category_name

from .rows import TableRow, table_rows

code_validator = RegexValidator(
    f"^{CODE_PATTERN.pattern}$", gettext_lazy("代碼格式不正確，例如 2-2-3")
)


# BudgetLine.Level's choices, named in the page's language (Category, Item, Sub-item); the
# table's level column says them the same way.
LEVELS = [
    (BudgetLine.Level.CATEGORY.value, pgettext_lazy("a level to filter by", "類")),
    (BudgetLine.Level.ITEM.value, pgettext_lazy("a level to filter by", "項")),
    (BudgetLine.Level.SUBITEM.value, pgettext_lazy("a level to filter by", "目")),
]


def category_choice(plan, line) -> str:
    """A 類 as a choice in a list, where nothing can mark a part as Chinese: on English pages
    the site's English name alone (the published name where it has none); the page's table
    shows both."""
    if is_english():
        return category_name(plan, line.code, line.name) or line.label
    return line.label


class BudgetLineFilter(django_filters.FilterSet):
    """Which lines the table (and the API's list) shows: a 類, a level, the children of a
    line, or a line with everything under it. A value that is not valid filters nothing (the
    page says so); the API refuses it before it gets here."""

    category = django_filters.ChoiceFilter(
        label=pgettext_lazy("budget table filter", "類"),
        method="in_subtree",
        empty_label=gettext_lazy("全部類別"),
    )
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("層級"),
        choices=LEVELS,
        empty_label=gettext_lazy("全部層級"),
    )
    parent = django_filters.CharFilter(
        label=gettext_lazy("上層代碼"), method="under_parent", validators=[code_validator]
    )
    code_prefix = django_filters.CharFilter(
        label=gettext_lazy("代碼（含其下各層）"), method="in_subtree", validators=[code_validator]
    )

    class Meta:
        model = BudgetLine
        fields = ["category", "level", "parent", "code_prefix"]

    def __init__(self, data, queryset, *, plan, categories):
        super().__init__(data, queryset=queryset)
        self.filters["category"].extra["choices"] = [
            (line.code, category_choice(plan, line)) for line in categories
        ]

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


@dataclass(frozen=True)
class FilteredTable:
    filterset: BudgetLineFilter
    rows: list[TableRow]  # the rows kept, in document order
    comparison: PlanComparison | None
    total: int  # lines in the plan


def filtered_table(plan: Plan, params, *, strict: bool = False) -> FilteredTable:
    """The table's rows that `params` asks for. A filter whose value is not valid filters
    nothing (the page says so), or, `strict`, everything (the API's 類 the plan lacks)."""
    comparison = plan_comparison(plan)
    lines = list(BudgetLine.objects.in_plan(plan).for_table())
    categories = [line for line in lines if line.parent_id is None]
    filterset = BudgetLineFilter(
        params, BudgetLine.objects.in_plan(plan), plan=plan, categories=categories
    )
    rows = table_rows(plan, lines, comparison)
    if strict and filterset.errors:
        rows = []
    elif filterset.active:
        kept = set(filterset.qs.values_list("pk", flat=True))
        rows = [row for row in rows if row.line.pk in kept]
    return FilteredTable(filterset, rows, comparison, len(lines))
