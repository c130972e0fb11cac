"""Read queries that span models. Views and commands call these; they never build querysets."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import BudgetLine, GoalMeasure, Measure, Plan, PolicyGoal


def subtree_filter(field: str, code: str) -> Q:
    """`code` and every code under it ("2-2" and "2-2-…"), as a range the index can serve.

    '.' is the character after '-', so the range holds exactly the codes that start "2-2-";
    unlike LIKE (case-insensitive on SQLite), a range always uses the index.
    """
    return Q(**{field: code}) | Q(**{f"{field}__gte": f"{code}-", f"{field}__lt": f"{code}."})


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
    links: dict[int, list[str]] = {}
    for goal_id, code in (
        GoalMeasure.objects.filter(goal__plan=plan)
        .order_by("measure__sequence")
        .values_list("goal_id", "measure__code")
    ):
        links.setdefault(goal_id, []).append(code)
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
                "measures": links.get(goal.pk, []),
                "link_note": goal.link_note,
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


@dataclass
class BudgetLinePage:
    line: BudgetLine
    ancestors: list[BudgetLine]
    children: list[BudgetLine]
    measures: list[Measure]
    previous: BudgetLine | None
    next: BudgetLine | None

    @property
    def parent(self) -> BudgetLine | None:
        return self.ancestors[-1] if self.ancestors else None


def _ancestors(line: BudgetLine) -> list[BudgetLine]:
    """Parents from the root down; relies on select_related("parent__parent")."""
    chain = []
    parent = line.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent if parent.parent_id else None
    return chain[::-1]


def _neighbours(queryset, sequence: int):
    """The items just before and after `sequence` in document order (two indexed queries)."""
    previous = queryset.filter(sequence__lt=sequence).order_by("-sequence").first()
    following = queryset.filter(sequence__gt=sequence).order_by("sequence").first()
    return previous, following


def budget_line_page(*, plan: Plan, code: str) -> BudgetLinePage | None:
    """A budget line with its ancestors, children, measures (with goals) and siblings."""
    line = BudgetLine.objects.select_related("parent__parent").filter(plan=plan, code=code).first()
    if line is None:
        return None
    siblings = BudgetLine.objects.filter(plan=plan, parent_id=line.parent_id)
    previous, following = _neighbours(siblings, line.sequence)
    return BudgetLinePage(
        line=line,
        ancestors=_ancestors(line),
        children=list(BudgetLine.objects.filter(parent=line)),
        measures=list(Measure.objects.filter(budget_line=line).prefetch_related("goals")),
        previous=previous,
        next=following,
    )


@dataclass
class MeasurePage:
    measure: Measure
    ancestors: list[BudgetLine]
    goals: list[PolicyGoal]
    previous: Measure | None
    next: Measure | None


def measure_page(*, plan: Plan, code: str) -> MeasurePage | None:
    measure = (
        Measure.objects.select_related("budget_line__parent__parent")
        .filter(plan=plan, code=code)
        .first()
    )
    if measure is None:
        return None
    siblings = Measure.objects.filter(budget_line_id=measure.budget_line_id)
    previous, following = _neighbours(siblings, measure.sequence)
    line = measure.budget_line
    return MeasurePage(
        measure=measure,
        ancestors=[*_ancestors(line), line],
        goals=list(measure.goals.order_by("number")),
        previous=previous,
        next=following,
    )


CODE_PATTERN = re.compile(r"[0-9]{1,4}(-[0-9]{1,4}){0,7}")


def budget_line_get(*, plan: Plan, code: str) -> BudgetLine | None:
    """The budget line with this public code; None for an unknown or malformed code."""
    if not CODE_PATTERN.fullmatch(code):
        return None  # never send odd bytes (e.g. NUL, which PostgreSQL rejects) to the database
    return BudgetLine.objects.filter(plan=plan, code=code).first()


def categories_list(*, plan: Plan) -> list[BudgetLine]:
    """The 類 of the plan, in document order."""
    return list(BudgetLine.objects.filter(plan=plan, level=BudgetLine.Level.CATEGORY))


def goals_with_counts(*, plan: Plan):
    """Goals in number order, each annotated with `measure_count`."""
    return plan_goals(plan=plan).annotate(measure_count=Count("measure_links"))


@dataclass
class GoalPage:
    goal: PolicyGoal
    groups: list[tuple[BudgetLine, list[Measure]]]
    previous: PolicyGoal | None
    next: PolicyGoal | None


def goal_page(*, plan: Plan, number: int) -> GoalPage | None:
    """A goal and its linked measures grouped under their budget lines (with the line's path)."""
    goal = plan_goals(plan=plan).filter(number=number).first()
    if goal is None:
        return None
    measures = goal.measures.select_related("budget_line__parent__parent").order_by("sequence")
    groups: dict[int, tuple[BudgetLine, list[Measure]]] = {}
    for measure in measures:
        groups.setdefault(measure.budget_line_id, (measure.budget_line, []))[1].append(measure)
    neighbours = {
        other.number: other
        for other in plan_goals(plan=plan).filter(number__in=[number - 1, number + 1])
    }
    return GoalPage(
        goal=goal,
        groups=list(groups.values()),
        previous=neighbours.get(number - 1),
        next=neighbours.get(number + 1),
    )


def derived_lines(*, plan: Plan) -> list[BudgetLine]:
    """Budget lines whose amount is derived rather than printed, with their parents."""
    return list(
        BudgetLine.objects.filter(
            plan=plan, amount_source=BudgetLine.AmountSource.DERIVED
        ).select_related("parent__parent")
    )


def lines_with_editor_notes(*, plan: Plan) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(plan=plan).exclude(editor_note=""))


def sitemap_items(*, plan: Plan) -> dict[str, list]:
    return {
        "lines": list(BudgetLine.objects.filter(plan=plan).only("code")),
        "measures": list(Measure.objects.filter(plan=plan).only("code")),
        "goals": list(plan_goals(plan=plan).only("number")),
    }
