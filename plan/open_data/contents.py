"""The rows of each open-data file, in the order of its columns (plan/open_data/files.py), and
the file made of them."""

import json
from decimal import ROUND_HALF_UP, Decimal

from plan.budget_table.rows import TableRow, table_rows
from plan.comparison.lines import LineComparison, plan_comparison
from plan.document.contract import dump, from_database
from plan.models import BudgetLine, GoalMeasure, Measure, Plan, PolicyGoal

from . import formats
from .files import (
    BUDGET_LINES,
    GOAL_MEASURES,
    GOALS,
    MEASURES,
    PLAN_JSON,
    Resource,
    datapackage,
    header,
    resources,
)


def _ratio(percent: Decimal | None) -> str:
    """A share in percent as a ratio from 0 to 1, six decimals ("" when there is none)."""
    if percent is None:
        return ""
    return str((percent / 100).quantize(Decimal("0.000001"), ROUND_HALF_UP))


def _path(line: BudgetLine) -> str:
    """Names from the top down, as printed without ordinals."""
    return " > ".join(each.name for each in line.lineage)


def budget_line_rows(*, plan: Plan, root_code: str | None = None) -> list[list]:
    """budget-lines.csv rows; with root_code, only that line and everything under it."""
    rows = table_rows(plan, list(BudgetLine.objects.in_plan(plan).for_table()), None)
    if root_code:
        rows = [
            row for row in rows if row.code == root_code or row.code.startswith(f"{root_code}-")
        ]
    return budget_table_values(plan, rows)


def budget_table_values(plan: Plan, rows: list[TableRow]) -> list[list]:
    """Budget table rows (plan/budget_table/rows.py) as budget-lines.csv rows, in their order."""
    comparison = plan_comparison(plan)
    return [
        [*_line_values(row), *(_compared(comparison, row.code) if comparison else ())]
        for row in rows
    ]


def _compared(comparison, code: str) -> list:
    compared: LineComparison = comparison.lines[code]
    previous = compared.previous
    return [
        comparison.previous_year,
        previous.code if previous else "",
        previous.amount if previous else None,
        compared.change,
        "" if compared.change_percent is None else str(compared.change_percent),
        compared.status,
        compared.note,
        "true" if compared.flagged else "false",
    ]


def _line_values(row: TableRow) -> list:
    line = row.line
    return [
        line.code,
        line.parent.code if line.parent_id else "",
        line.level,
        line.ordinal,
        line.name,
        _path(line),
        line.amount,
        line.amount_source,
        _ratio(row.share_of_total),
        _ratio(row.share_of_parent),
        row.measure_count,
        line.note,
        line.editor_note,
        line.source_start_line,
        line.source_end_line,
    ]


def measure_rows(*, plan: Plan) -> list[list]:
    return [
        [
            measure.code,
            measure.budget_line.code,
            _path(measure.budget_line),
            measure.ordinal,
            measure.name,
            measure.objectives,
            measure.approach,
            measure.editor_note,
            measure.source_start_line,
            measure.source_end_line,
        ]
        for measure in Measure.objects.in_plan(plan).with_ancestors()
    ]


def goal_rows(*, plan: Plan) -> list[list]:
    return [
        [
            goal.number,
            goal.ordinal,
            goal.short_title,
            goal.text,
            goal.link_note,
            goal.source_start_line,
            goal.source_end_line,
        ]
        for goal in PolicyGoal.objects.in_plan(plan)
    ]


def goal_measure_rows(*, plan: Plan) -> list[list]:
    links = GoalMeasure.objects.in_plan(plan).select_related("goal", "measure__budget_line")
    return [
        [link.goal.number, link.measure.code, link.measure.label, link.measure.budget_line.code]
        for link in links
    ]


ROW_BUILDERS = {
    BUDGET_LINES.name: budget_line_rows,
    MEASURES.name: measure_rows,
    GOALS.name: goal_rows,
    GOAL_MEASURES.name: goal_measure_rows,
}


def file_content(plan: Plan, resource: Resource) -> tuple[bytes, str]:
    """A file's bytes and content type: a CSV of its rows, or the plan document."""
    if resource is PLAN_JSON:
        return dump(from_database(plan)).encode(), formats.JSON_TYPE
    rows = ROW_BUILDERS[resource.name](plan=plan)
    return formats.csv_bytes(header(resource), rows), formats.CSV_TYPE


def datapackage_content(plan: Plan, base_url: str) -> bytes:
    package = datapackage(plan=plan, base_url=base_url)
    return json.dumps(package, ensure_ascii=False, indent=2).encode()


def subtree_csv(plan: Plan, code: str) -> bytes | None:
    """budget-lines.csv of one line and everything under it; None for a code the plan lacks."""
    rows = budget_line_rows(plan=plan, root_code=code)
    return formats.csv_bytes(header(resources(plan)[0]), rows) if rows else None


def budget_table_file(plan: Plan, rows: list[TableRow], file_format: str) -> tuple[bytes, str]:
    """Rows of the budget table with budget-lines.csv's columns, as CSV or as XLSX (with its
    number columns typed as numbers), and the content type."""
    resource = resources(plan)[0]
    values = budget_table_values(plan, rows)
    if file_format == "csv":
        return formats.csv_bytes(header(resource), values), formats.CSV_TYPE
    numbers = [i for i, column in enumerate(resource.columns) if column.type == "number"]
    typed = [
        [Decimal(value) if i in numbers and value != "" else value for i, value in enumerate(row)]
        for row in values
    ]
    return formats.xlsx_bytes("預算總表", header(resource), typed), formats.XLSX_TYPE
