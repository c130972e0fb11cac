"""Reads that combine several records for one page (a line with its path, children,
measures and neighbours; a goal with its measures by line). Single questions are QuerySet
methods on the models (`BudgetLine.objects.in_plan(plan).categories()`); views ask one or
the other and never filter or join themselves.
"""

from dataclasses import dataclass

from plan.addresses.year_prefix import year_reverse
from plan.models import BudgetLine, Measure, Plan, PolicyGoal
from plan.models.base import CODE_PATTERN, adjacent

from .outline import line_tree, measure_goals, plan_goals


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


def budget_line_page(*, plan: Plan, code: str) -> BudgetLinePage | None:
    """A budget line with its ancestors, children, measures (with `goal_list`) and siblings.

    The lines and the goals come from the plan's outline, read once per data version
    (plan/content/outline.py); the measures in one query, none for a line without measures.
    """
    if not CODE_PATTERN.fullmatch(code):
        return None  # never send odd bytes (e.g. NUL, which PostgreSQL rejects) to the database
    tree = line_tree(plan)
    line = tree.line(code)
    if line is None:
        return None
    previous, following = adjacent(tree.siblings(line), line)
    measures = []
    if line.measure_count:
        measures = line.measures.in_document_order()
        goals = measure_goals(plan)
        for measure in measures:
            measure.goal_list = goals.get(measure.pk, ())
    return BudgetLinePage(
        line=line,
        ancestors=line.ancestors,
        children=list(tree.children_of(line)),
        measures=measures,
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
    """A measure with its budget line's path, its goals and its siblings."""
    measure = Measure.objects.in_plan(plan).with_ancestors().filter(code=code).unique()
    if measure is None:
        return None
    siblings = Measure.objects.filter(budget_line_id=measure.budget_line_id)
    previous, following = siblings.neighbours(measure)
    line = measure.budget_line
    return MeasurePage(
        measure=measure,
        ancestors=line.lineage,
        goals=list(measure_goals(plan).get(measure.pk, ())),
        previous=previous,
        next=following,
    )


@dataclass
class GoalPage:
    goal: PolicyGoal
    groups: list[tuple[BudgetLine, list[Measure]]]
    previous: PolicyGoal | None
    next: PolicyGoal | None


def goal_page(*, plan: Plan, number: int) -> GoalPage | None:
    """A goal and its linked measures grouped under their budget lines (with the line's path)."""
    goals = plan_goals(plan)
    goal = goals.get(number)
    if goal is None:
        return None
    measures = goal.measures.with_ancestors().order_by("sequence")
    groups: dict[int, tuple[BudgetLine, list[Measure]]] = {}
    for measure in measures:
        groups.setdefault(measure.budget_line_id, (measure.budget_line, []))[1].append(measure)
    return GoalPage(
        goal=goal,
        groups=list(groups.values()),
        previous=goals.get(number - 1),
        next=goals.get(number + 1),
    )


# The pages every plan has besides its records' pages, as URL names (plan/urls.py).
PLAN_PAGES = (
    "plan:home",
    "plan:budget-tree",
    "plan:budget-table",
    "plan:goal-list",
    "plan:search",
    "plan:open-data",
    "plan:api-docs",
    "plan:about",
    "plan:glossary",
    "plan:accessibility",
    "plan:site-map",
    "plan:privacy",
    "plan:open-data-licence",
    "plan:contact",
)


def public_pages(*, plan: Plan) -> list[str]:
    """The address of every public page of a plan, for the sitemap and for warming the page
    cache: its fixed pages, then every budget line, measure and goal."""
    records = [
        *BudgetLine.objects.in_plan(plan).only("code", "plan_id"),
        *Measure.objects.in_plan(plan).only("code", "plan_id"),
        *PolicyGoal.objects.in_plan(plan).only("number", "plan_id"),
    ]
    pages = [year_reverse(plan.fiscal_year, name) for name in PLAN_PAGES]
    return pages + [record.get_absolute_url() for record in records]
