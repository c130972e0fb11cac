"""A plan's outline, read once per data version and shared by the pages that show a part of
it: its budget lines linked into their tree (a budget line's path, children and neighbours,
the 類 of the home page and the search filter), its goals (the home page's list, a goal's
page and its neighbours) and the goals each measure carries out.

Every line of the plan in one query (a few dozen; a few thousand in a plan 100 times the real
one) costs less than the query for the rows around one line did, and only a data change
changes the answer, so each process reads it once per data version (plan/content/published.py,
`remembered`). The records are shared by every request and thread: read them, never assign
to them.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db.models import Count

from plan.models import BudgetLine, GoalMeasure, Plan, PolicyGoal

from . import published


@dataclass(frozen=True)
class LineTree:
    by_code: dict[str, BudgetLine]
    # Each line's children by the parent's pk (the 類 under None), in document order.
    children: dict[int | None, tuple[BudgetLine, ...]]

    def line(self, code: str) -> BudgetLine | None:
        return self.by_code.get(code)

    def children_of(self, line: BudgetLine | None) -> tuple[BudgetLine, ...]:
        """The lines under `line` (the 類 for None), in document order."""
        return self.children.get(line.pk if line is not None else None, ())

    def siblings(self, line: BudgetLine) -> tuple[BudgetLine, ...]:
        """`line` and the other lines under its parent, in document order."""
        return self.children.get(line.parent_id, ())

    @property
    def categories(self) -> tuple[BudgetLine, ...]:
        return self.children_of(None)


def line_tree(plan: Plan) -> LineTree:
    """The plan's budget lines, each with its parent (`line.ancestors` without a query),
    `measure_count`, the number of its own measures, and `subtree_measure_count`, those of the
    line and of every line under it (as the budget table counts them)."""
    return published.remembered(("line-tree", plan.pk), lambda: _read(plan))


def _read(plan: Plan) -> LineTree:
    lines = list(
        BudgetLine.objects.in_plan(plan)
        .annotate(measure_count=Count("measures"))
        .in_document_order()
    )
    by_pk = {line.pk: line for line in lines}
    children: dict[int | None, list[BudgetLine]] = {}
    for line in lines:
        if line.parent_id is not None:
            line.parent = by_pk[line.parent_id]
        children.setdefault(line.parent_id, []).append(line)
    for line in reversed(lines):  # every line after its parent: children are counted first
        below = children.get(line.pk, ())
        line.subtree_measure_count = line.measure_count + sum(
            child.subtree_measure_count for child in below
        )
    return LineTree(
        by_code={line.code: line for line in lines},
        children={pk: tuple(each) for pk, each in children.items()},
    )


def plan_goals(plan: Plan) -> dict[int, PolicyGoal]:
    """The plan's goals by number, in number order."""
    return published.remembered(("goals", plan.pk), lambda: _read_goals(plan))


def _read_goals(plan: Plan) -> dict[int, PolicyGoal]:
    return {goal.number: goal for goal in PolicyGoal.objects.in_plan(plan)}


def measure_goals(plan: Plan) -> dict[int, tuple[PolicyGoal, ...]]:
    """The goals each measure of the plan carries out (the editors' links), by the measure's
    pk, in number order; measures without goals are left out."""
    return published.remembered(("measure-goals", plan.pk), lambda: _read_links(plan))


def _read_links(plan: Plan) -> dict[int, tuple[PolicyGoal, ...]]:
    goals = {goal.pk: goal for goal in plan_goals(plan).values()}
    links = GoalMeasure.objects.filter(goal__plan=plan).order_by()
    found: dict[int, list[PolicyGoal]] = {}
    for measure_id, goal_id in links.values_list("measure_id", "goal_id"):
        if goal_id in goals:  # else a goal added since the goals were read: the next version's
            found.setdefault(measure_id, []).append(goals[goal_id])
    return {pk: tuple(sorted(each, key=attrgetter("number"))) for pk, each in found.items()}


def walk(nodes: Iterable[Any], parent: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every node and its parent (None at the top), depth first, in document order: one walk
    for every tree of the project, the budget tree fetched from the database
    (`BudgetLine.objects.as_tree()`) and the importer's own nodes; both have `children`."""
    for node in nodes:
        yield node, parent
        yield from walk(node.children, node)
