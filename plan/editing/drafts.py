"""Opening and discarding drafts (修正草稿): a working copy of a published plan.

Opening a draft copies the plan's goals, budget lines, measures and goal links into a new
`Plan` row with `published=False` (bulk inserts: no signals, the public sees nothing), each copy
with one history row, the published version it started from (so the draft's history shows
every edit as a change from it, and can go back to it). Editors change the copy in the admin;
publishing (publishing.py) applies what differs to the published plan. A draft is removed with
its history, so the records editors never published leave no trace in the public revision log.
"""

import uuid

from django.db import transaction

from plan.document.loader import loading
from plan.models import BudgetLine, Draft, GoalMeasure, Measure, Plan, PolicyGoal

# The history row every copied record starts with.
COPY_REASON = "開啟草稿：已發布的版本"
# The fields of the plan row a draft's copy carries.
PLAN_FIELDS = ("fiscal_year", "agency", "title", "total_amount", "source_file", "source_sha256")


def open_draft(base: Plan, user) -> Draft:
    """A new draft of the published plan `base`, opened by `user`."""
    with transaction.atomic():
        base = Plan.objects.select_for_update().get(pk=base.pk)
        copy = Plan.objects.create(
            slug=f"draft-{uuid.uuid4().hex[:12]}",
            published=False,
            data_updated_at=base.data_updated_at,
            **{name: getattr(base, name) for name in PLAN_FIELDS},
        )
        _copy_records(base, copy, user)
        return Draft.objects.create(
            plan=copy, base=base, base_updated_at=base.data_updated_at, created_by=user
        )


def open_drafts_of(user, base: Plan):
    """`user`'s open drafts of `base`, newest first."""
    return Draft.objects.filter(base=base, created_by=user).order_by("-created_at", "-pk")


def draft_for(user, base: Plan) -> Draft:
    """`user`'s newest open draft of `base`, opened now if there is none."""
    return open_drafts_of(user, base).first() or open_draft(base, user)


def _copy(model, rows, plan: Plan, user, **links) -> dict[int, int]:
    """Insert copies of `rows` into `plan`; returns old pk -> new pk. `links` maps a foreign
    key's attribute name to the old -> new pk mapping of what it points at."""
    rows = list(rows)
    copies = []
    for row in rows:
        copy = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields})
        copy.pk = None
        if hasattr(copy, "plan_id"):
            copy.plan_id = plan.pk
        for attname, mapping in links.items():
            old = getattr(copy, attname)
            setattr(copy, attname, None if old is None else mapping[old])
        copies.append(copy)
    created = model.objects.bulk_create(copies)
    model.history.bulk_history_create(created, default_user=user, default_change_reason=COPY_REASON)
    return {row.pk: copy.pk for row, copy in zip(rows, created, strict=True)}


def _copy_records(base: Plan, copy: Plan, user) -> None:
    goals = _copy(PolicyGoal, PolicyGoal.objects.filter(plan=base), copy, user)
    lines: dict[int, int] = {}
    by_depth = sorted(BudgetLine.objects.filter(plan=base), key=lambda line: line.code.count("-"))
    for depth in sorted({line.code.count("-") for line in by_depth}):
        level = [line for line in by_depth if line.code.count("-") == depth]
        lines |= _copy(BudgetLine, level, copy, user, parent_id=lines)
    measures = _copy(Measure, Measure.objects.filter(plan=base), copy, user, budget_line_id=lines)
    links = GoalMeasure.objects.filter(goal__plan=base)
    _copy(GoalMeasure, links, copy, user, goal_id=goals, measure_id=measures)


def discard(draft: Draft) -> None:
    """Remove the draft, its records and their history."""
    token = loading.set(True)  # nothing published changes: no stamp, no new data version
    try:
        with transaction.atomic():
            _remove(draft.plan)
    finally:
        loading.reset(token)


def _remove(plan: Plan) -> None:
    plan_id = plan.pk
    goal_ids = list(PolicyGoal.objects.filter(plan=plan).values_list("pk", flat=True))
    plan.delete()  # the draft row goes with it (cascade)
    for model in (PolicyGoal, BudgetLine, Measure):
        model.history.filter(plan_id=plan_id).delete()
    GoalMeasure.history.filter(goal_id__in=goal_ids).delete()
