"""The tables the pages sort (django-tables2): a split of an amount among lines, with a bar in
each row, and the budget table. Each takes its order from `?sort=`: only its own orderable
columns, whatever else is asked."""

from operator import attrgetter

import django_tables2 as tables
from django.utils.translation import gettext_lazy
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from plan.reading.formatting import amount_text

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}
COMPARISON_COLUMNS = ("previous_amount", "change", "change_percent")


class RowsWithoutValueLast(TableListData):
    """Rows sorted by a column, rows without a value (e.g. a line new this year has no change)
    last in either direction, ties in document order (the rows come in document order)."""

    def order_by(self, aliases):
        for alias in reversed(aliases):
            descending = alias.startswith("-")
            for accessor in reversed(self.table.columns[OrderBy(alias).bare].order_by):
                key = attrgetter(OrderBy(accessor).bare)
                known = [row for row in self.data if key(row) is not None]
                unknown = [row for row in self.data if key(row) is None]
                self.data = sorted(known, key=key, reverse=descending) + unknown


class BudgetTable(tables.Table):
    code = tables.Column(verbose_name=gettext_lazy("代碼"), order_by=("sequence",))
    label = tables.Column(
        verbose_name=gettext_lazy("名稱"),
        accessor="line__label",
        order_by=("sequence",),
    )
    level = tables.Column(
        verbose_name=gettext_lazy("層級"),
        accessor="line__level",
        orderable=False,
    )
    amount = tables.Column(verbose_name=gettext_lazy("金額（千元）"), attrs=NUMBER)
    share_of_parent = tables.Column(verbose_name=gettext_lazy("占上層"), attrs=NUMBER)
    share_of_total = tables.Column(verbose_name=gettext_lazy("占總額"), attrs=NUMBER)
    measure_count = tables.Column(verbose_name=gettext_lazy("計畫項目（含下層）"), attrs=NUMBER)
    previous_amount = tables.Column(verbose_name=gettext_lazy("上年度（千元）"), attrs=NUMBER)
    change = tables.Column(verbose_name=gettext_lazy("增減（千元）"), attrs=NUMBER)
    change_percent = tables.Column(verbose_name=gettext_lazy("增減比例"), attrs=NUMBER)

    class Meta:
        template_name = "plan/_budget_table.html"
        orderable = True


class SplitTable(tables.Table):
    """How an amount is split among lines (SplitRow): the one figure of a split, each row with
    its bar; sortable by name (document order), amount, share or change."""

    label = tables.Column(verbose_name=gettext_lazy("名稱"), order_by=("sequence",))
    amount = tables.Column(verbose_name=gettext_lazy("金額"), attrs=NUMBER)
    share = tables.Column(verbose_name=gettext_lazy("占比"), order_by=("amount",), attrs=NUMBER)
    change = tables.Column(
        verbose_name=gettext_lazy("比上年度"), order_by=("change",), attrs=NUMBER
    )

    class Meta:
        template_name = "plan/_split_table.html"
        orderable = True


def split_table(
    request, rows, *, caption: str, total: int, comparison, total_compared=None
) -> SplitTable:
    """`total_compared`: the whole's own LineComparison (its change includes lines added or
    removed, which no row carries)."""
    table = SplitTable(rows, exclude=() if comparison else ("change",))
    table.caption_text = caption
    table.total = total
    table.total_text = amount_text(total)
    table.comparison = comparison
    table.total_compared = total_compared
    order_from_request(table, request)
    return table


def order_from_request(table, request) -> None:
    # django-tables2 would read any other value as an accessor (and warn about dots in it).
    orderable = {column.name for column in table.columns if column.orderable}
    asked = [alias for value in request.GET.getlist("sort") for alias in value.split(",")]
    table.order_by = [alias for alias in asked if alias.removeprefix("-") in orderable]
