"""What each record looks like in the API's answers (plan/api/schemas.py describes them)."""

from decimal import Decimal

from ..site_url import absolute_url


def ratio(percent: Decimal | None) -> float | None:
    return None if percent is None else round(float(percent) / 100, 6)


def comparison_out(row, comparison) -> dict | None:
    if comparison is None or row.compared is None:
        return None
    compared, previous = row.compared, row.compared.previous
    return {
        "previous_year": comparison.previous_year,
        "previous_code": previous.code if previous else None,
        "previous_amount": previous.amount if previous else None,
        "change": compared.change,
        "change_percent": None
        if compared.change_percent is None
        else float(compared.change_percent),
        "status": compared.status,
        "flagged": compared.flagged,
    }


def line_out(row, comparison) -> dict:
    line = row.line
    return {
        "code": line.code,
        "parent_code": line.parent.code if line.parent_id else None,
        "level": line.level,
        "ordinal": line.ordinal,
        "name": line.name,
        "label": line.label,
        "path": [each.label for each in line.lineage],
        "amount": line.amount,
        "amount_source": line.amount_source,
        "share_of_parent": ratio(row.share_of_parent),
        "share_of_total": ratio(row.share_of_total),
        "measure_count": row.measure_count,
        "comparison": comparison_out(row, comparison),
        "url": absolute_url(line.get_absolute_url()),
    }


def measure_out(measure) -> dict:
    line = measure.budget_line
    return {
        "code": measure.code,
        "budget_line_code": line.code,
        "budget_line_label": line.label,
        "budget_line_amount": line.amount,
        "ordinal": measure.ordinal,
        "name": measure.name,
        "label": measure.label,
        "objectives": measure.objectives,
        "approach": measure.approach,
        "editor_note": measure.editor_note,
        "goals": [goal.number for goal in measure.goals.all()],
        "source_lines": [measure.source_start_line, measure.source_end_line],
        "url": absolute_url(measure.get_absolute_url()),
    }


def goal_out(goal) -> dict:
    return {
        "number": goal.number,
        "ordinal": goal.ordinal,
        "text": goal.text,
        "measures": [measure.code for measure in goal.measures.all()],
        "url": absolute_url(goal.get_absolute_url()),
    }


def hit_out(hit) -> dict:
    return {
        "kind": hit.kind,
        "code": hit.code,
        "label": hit.label,
        "field": hit.field,
        "excerpt": hit.context_text,
        "amount": hit.amount,
        "budget_line_code": hit.line.code if hit.line else None,
        "budget_line_amount": hit.line.amount if hit.line else None,
        "url": absolute_url(hit.url),
    }
