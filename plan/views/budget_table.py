"""The budget table, for council staff: every budget line in one table, filtered by 類 and
level (django-filter), sorted by any amount column (django-tables2), and downloaded as CSV or
XLSX with exactly the rows shown, in the order shown."""

from decimal import Decimal
from operator import attrgetter
from urllib.parse import urlencode

import django_tables2 as tables
from django.shortcuts import render
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from .. import exports, open_data
from ..budget_table import BudgetLineFilter, table_rows
from ..caching import public_cache
from ..comparison import plan_comparison
from ..models import BudgetLine
from ..plans import plan_or_404
from .errors import safe_methods_only
from .ordering import order_from_request

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
    code = tables.Column(verbose_name="代碼", order_by=("sequence",))
    label = tables.Column(verbose_name="名稱", accessor="line__label", order_by=("sequence",))
    level = tables.Column(verbose_name="層級", accessor="line__level", orderable=False)
    amount = tables.Column(verbose_name="金額（千元）", attrs=NUMBER)
    share_of_parent = tables.Column(verbose_name="占上層", attrs=NUMBER)
    share_of_total = tables.Column(verbose_name="占總額", attrs=NUMBER)
    measure_count = tables.Column(verbose_name="計畫項目", attrs=NUMBER)
    previous_amount = tables.Column(verbose_name="上年度（千元）", attrs=NUMBER)
    change = tables.Column(verbose_name="增減（千元）", attrs=NUMBER)
    change_percent = tables.Column(verbose_name="增減比例", attrs=NUMBER)

    class Meta:
        template_name = "plan/_budget_table.html"
        orderable = True


def _state(request, plan):
    """The filters, the table as asked (sorted), and the comparison with the previous year."""
    comparison = plan_comparison(plan)
    lines = list(BudgetLine.objects.in_plan(plan).for_table())
    categories = [line for line in lines if line.parent_id is None]
    filterset = BudgetLineFilter(
        request.GET, BudgetLine.objects.in_plan(plan), categories=categories
    )
    rows = table_rows(plan, lines, comparison)
    if filterset.active:
        kept = set(filterset.qs.values_list("pk", flat=True))
        rows = [row for row in rows if row.line.pk in kept]
    table = BudgetTable(
        RowsWithoutValueLast(rows), exclude=() if comparison else COMPARISON_COLUMNS
    )
    table.comparison = comparison
    order_from_request(table, request)
    return filterset, table, comparison, len(lines)


@safe_methods_only
@public_cache
def budget_table(request):
    plan = plan_or_404(request)
    filterset, table, comparison, total = _state(request, plan)
    records = [row.record for row in table.rows]
    levels = {row.line.level for row in records}
    # The state as the page understood it: what is not valid is left out of every link.
    sort = ",".join(table.order_by or ())
    query = urlencode({**filterset.active, **({"sort": sort} if sort else {})})
    context = {
        "plan": plan,
        "filterset": filterset,
        "table": table,
        "comparison": comparison,
        "shown": len(records),
        "total": total,
        # Lines of one level add up without counting anything twice.
        "sum": sum(row.amount or 0 for row in records) if len(levels) == 1 else None,
        "level_label": BudgetLine.Level(levels.pop()).label if len(levels) == 1 else "",
        "export_query": f"?{query}" if query else "",
        "sort": sort,
    }
    return render(request, "plan/budget_lines.html", context)


@safe_methods_only
@public_cache
def budget_table_export(request, file_format):
    plan = plan_or_404(request)
    filterset, table, _comparison, _total = _state(request, plan)
    resource = open_data.resources(plan)[0]
    rows = open_data.budget_table_values(plan, [row.record for row in table.rows])
    words = [str(plan.fiscal_year), *filterset.active.values()]
    name = exports.filename("budget-lines", words, file_format)
    if file_format == "csv":
        content = exports.csv_bytes(open_data.header(resource), rows)
        return exports.download(content, exports.CSV_TYPE, name)
    numbers = [i for i, column in enumerate(resource.columns) if column.type == "number"]
    typed = [
        [Decimal(value) if i in numbers and value != "" else value for i, value in enumerate(row)]
        for row in rows
    ]
    content = exports.xlsx_bytes("預算總表", open_data.header(resource), typed)
    return exports.download(content, exports.XLSX_TYPE, name)
