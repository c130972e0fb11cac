"""The budget table, for council staff: every budget line in one table, filtered by 類 and
level (django-filter), sorted by any amount column (django-tables2), and downloaded as CSV or
XLSX with exactly the rows shown, in the order shown."""

from urllib.parse import urlencode

from django.shortcuts import render

from plan.budget_table.filters import filtered_table
from plan.content.published import plan_or_404
from plan.open_data import formats
from plan.open_data.contents import budget_table_file
from plan.pagecache.entries import public_cache
from plan.web.errors import safe_methods_only

from .tables import COMPARISON_COLUMNS, BudgetTable, RowsWithoutValueLast, order_from_request


def _state(request, plan):
    """The rows asked for, as the table (sorted), with the filters and the comparison."""
    found = filtered_table(plan, request.GET)
    table = BudgetTable(
        RowsWithoutValueLast(found.rows), exclude=() if found.comparison else COMPARISON_COLUMNS
    )
    table.comparison = found.comparison
    order_from_request(table, request)
    return found.filterset, table, found.comparison, found.total


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
        "level": levels.pop() if len(levels) == 1 else "",
        "export_query": f"?{query}" if query else "",
        "sort": sort,
    }
    return render(request, "plan/budget_lines.html", context)


@safe_methods_only
@public_cache
def budget_table_download(request, file_format):
    plan = plan_or_404(request)
    filterset, table, _comparison, _total = _state(request, plan)
    content, content_type = budget_table_file(plan, [row.record for row in table.rows], file_format)
    words = [str(plan.fiscal_year), *filterset.active.values()]
    return formats.download(
        content, content_type, formats.filename("budget-lines", words, file_format)
    )
