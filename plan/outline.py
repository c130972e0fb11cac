"""A plan's outline, read once per data version and shared by the pages that show a part of
it: its budget lines linked into their tree (a budget line's path, children and neighbours,
the 類 of the home page and the search filter) and its goals (the home page's list, a goal's
page and its neighbours).

Every line of the plan in one query (a few dozen; a few thousand in a plan 100 times the real
one) costs less than the query for the rows around one line did, and only a data change
changes the answer, so each process reads it once per data version (plan/data_version.py,
`remembered`). The records are shared by every request and thread: read them, never assign
to them.
"""

from dataclasses import dataclass

from django.db.models import Count

from . import data_version
from .models import BudgetLine, Plan, PolicyGoal


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
    """The plan's budget lines, each with its parent (`line.ancestors` without a query) and
    `measure_count`, the number of its own measures."""
    return data_version.remembered(("line-tree", plan.pk), lambda: _read(plan))


def _read(plan: Plan) -> LineTree:
    lines = (
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
    return LineTree(
        by_code={line.code: line for line in lines},
        children={pk: tuple(each) for pk, each in children.items()},
    )


def plan_goals(plan: Plan) -> dict[int, PolicyGoal]:
    """The plan's goals by number, in number order."""
    return data_version.remembered(("goals", plan.pk), lambda: _read_goals(plan))


def _read_goals(plan: Plan) -> dict[int, PolicyGoal]:
    return {goal.number: goal for goal in PolicyGoal.objects.in_plan(plan)}
