"""Read queries that span models. Views and commands call these; they never build querysets."""

from dataclasses import dataclass, field

from .models import BudgetLine, Measure, Plan, PolicyGoal


def plan_get(*, slug: str | None = None) -> Plan | None:
    """The plan with `slug`, or the newest plan when no slug is given (None if none is loaded)."""
    plans = Plan.objects.all()
    if slug:
        plans = plans.filter(slug=slug)
    return plans.order_by("-fiscal_year", "agency").first()


@dataclass
class TreeNode:
    line: BudgetLine
    children: list["TreeNode"] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


def budget_tree(*, plan: Plan, with_measures: bool = False) -> list[TreeNode]:
    """The plan's budget lines as a tree of TreeNode, in document order.

    One query for the lines (and one more for the measures when asked), assembled in Python.
    """
    nodes = {line.pk: TreeNode(line) for line in BudgetLine.objects.filter(plan=plan)}
    roots = []
    for node in nodes.values():
        if node.line.parent_id is None:
            roots.append(node)
        else:
            nodes[node.line.parent_id].children.append(node)
    if with_measures:
        for measure in Measure.objects.filter(plan=plan):
            nodes[measure.budget_line_id].measures.append(measure)
    return roots


def plan_goals(*, plan: Plan):
    """The plan's policy goals in number order."""
    return PolicyGoal.objects.filter(plan=plan).order_by("number")


def plan_document(*, plan: Plan) -> dict:
    """The whole plan in the open-data JSON shape (the same shape as the fixture)."""
    return {
        "plan": {
            "slug": plan.slug,
            "fiscal_year": plan.fiscal_year,
            "agency": plan.agency,
            "title": plan.title,
            "total_amount": plan.total_amount,
            "source_file": plan.source_file,
            "source_sha256": plan.source_sha256,
        },
        "goals": [
            {
                "number": goal.number,
                "ordinal": goal.ordinal,
                "text": goal.text,
                "source_lines": [goal.source_start_line, goal.source_end_line],
            }
            for goal in plan_goals(plan=plan)
        ],
        "budget": [_node_document(node) for node in budget_tree(plan=plan, with_measures=True)],
    }


def _node_document(node: TreeNode) -> dict:
    line = node.line
    return {
        "code": line.code,
        "level": line.level,
        "ordinal": line.ordinal,
        "name": line.name,
        "amount": line.amount,
        "amount_source": line.amount_source,
        "note": line.note,
        "editor_note": line.editor_note,
        "summary_line": line.summary_line,
        "source_lines": [line.source_start_line, line.source_end_line],
        "measures": [
            {
                "code": measure.code,
                "ordinal": measure.ordinal,
                "name": measure.name,
                "objectives": measure.objectives,
                "approach": measure.approach,
                "editor_note": measure.editor_note,
                "source_lines": [measure.source_start_line, measure.source_end_line],
            }
            for measure in node.measures
        ],
        "children": [_node_document(child) for child in node.children],
    }
