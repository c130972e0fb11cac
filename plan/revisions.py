"""The public revision log (修訂紀錄): every change to published data since the initial load.

Built from django-simple-history's tables. Each entry says what changed, the old and new
values and when; it never names the member of staff (the history keeps that for the admin).
The rows written by the initial load are the published baseline and are not revisions;
a later `loadplan` that changes data appears as a 重新載入 event with its own changes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from .formatting import amount_text
from .models import (
    INITIAL_LOAD_REASON,
    RELOAD_REASON,
    BudgetLine,
    DataLoad,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
)
from .selectors import subtree_filter

ACTIONS = {"+": "新增", "~": "修改", "-": "刪除"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Revision:
    key: str
    when: datetime
    action: str
    kind: str
    label: str
    url: str
    source: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        if not self.kind:
            return f"{self.action}{self.label}"
        return f"{self.action}{self.kind}「{self.label}」"

    @property
    def summary(self) -> str:
        if not self.changes:
            return self.title
        fields = "、".join(change.label for change in self.changes)
        return f"{self.title}：{fields}"


def _value(record, name: str) -> str:
    if name in ("goal", "measure"):  # goal links: show what they point at
        related = _related(record, name)
        if related is None:
            return "（已刪除）"
        return f"提要{related.ordinal.rstrip('、')}" if name == "goal" else related.label
    value = getattr(record, name)
    if name == "amount":
        return "" if value is None else f"{amount_text(value)} 千元"
    if name == "amount_source":
        return dict(BudgetLine.AmountSource.choices).get(value, "")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Tracked:
    model: type
    kind: str
    fields: tuple[str, ...]

    def history(self, plan: Plan, code: str | None):
        """History rows, oldest first per record: the plan's, or one subtree's.

        A subtree is found through the code index alone (codes are per plan, so rows of
        another plan with the same codes are dropped afterwards, in `_revisions_for`): with
        the plan as well, SQLite scans every history row of the plan instead.
        """
        records = self.model.history.all()
        if self.model is GoalMeasure:
            records = records.select_related("goal", "measure")
            if code:
                records = records.filter(measure__plan=plan).filter(
                    subtree_filter("measure__code", code)
                )
            else:
                records = records.filter(goal__plan=plan)
        elif self.model is PolicyGoal:
            # Goals belong to no budget subtree.
            records = records.none() if code else records.filter(plan_id=plan.pk)
        elif code:
            records = records.filter(subtree_filter("code", code))
        else:
            records = records.filter(plan_id=plan.pk)
        return records.order_by("id", "history_date", "history_id")

    def label(self, record) -> str:
        if self.model is GoalMeasure:
            goal, measure = _related(record, "goal"), _related(record, "measure")
            goal_label = f"提要{goal.ordinal.rstrip('、')}" if goal else "（已刪除的提要）"
            measure_label = measure.label if measure else "（已刪除的計畫項目）"
            return f"{goal_label} ↔ {measure_label}"
        if self.model is PolicyGoal:
            return f"提要{record.ordinal.rstrip('、')}"
        return f"{record.ordinal}{record.name}"

    def url(self, record, action: str) -> str:
        if action == "刪除":
            return ""
        if self.model is GoalMeasure:
            goal = _related(record, "goal")
            return reverse("plan:goal-detail", kwargs={"number": goal.number}) if goal else ""
        if self.model is PolicyGoal:
            return reverse("plan:goal-detail", kwargs={"number": record.number})
        if self.model is BudgetLine:
            return reverse("plan:budget-line-detail", kwargs={"code": record.code})
        return reverse("plan:measure-detail", kwargs={"code": record.code})


def _related(record, name: str):
    """The related row a history row points at, or None once it has been deleted."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None


TRACKED = (
    Tracked(PolicyGoal, "施政提要", ("ordinal", "text", "link_note")),
    Tracked(
        BudgetLine,
        "預算項目",
        ("ordinal", "name", "amount", "amount_source", "note", "editor_note"),
    ),
    Tracked(Measure, "計畫項目", ("ordinal", "name", "objectives", "approach", "editor_note")),
    Tracked(GoalMeasure, "提要對應", ("goal", "measure")),
)


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _revisions_for(tracked: Tracked, plan: Plan, code: str | None) -> list[Revision]:
    revisions = []
    previous = {}
    for record in tracked.history(plan, code):
        if getattr(record, "plan_id", plan.pk) != plan.pk:
            continue  # the same code in another plan
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_change_reason == INITIAL_LOAD_REASON:
            continue
        action = ACTIONS[record.history_type]
        changes = []
        if action == "修改" and before is not None:
            changes = [
                FieldChange(
                    _field_label(tracked.model, name), _value(before, name), _value(record, name)
                )
                for name in tracked.fields
                if _value(before, name) != _value(record, name)
            ]
            if not changes:
                continue  # only internal fields (order) changed
        elif action == "新增" and tracked.model is not GoalMeasure:
            changes = [
                FieldChange(_field_label(tracked.model, name), "", _value(record, name))
                for name in tracked.fields
                if _value(record, name)
            ]
        revisions.append(
            Revision(
                key=f"{tracked.model._meta.model_name}-{record.history_id}",
                when=record.history_date,
                action=action,
                kind=tracked.kind,
                label=tracked.label(record),
                url=tracked.url(record, action),
                source="重新載入已發布資料"
                if record.history_change_reason == RELOAD_REASON
                else "網站編修",
                changes=changes,
            )
        )
    return revisions


def plan_revisions(*, plan: Plan, code: str | None = None) -> list[Revision]:
    """Every revision of the plan's published data, newest first (optionally one subtree)."""
    revisions = [
        revision for tracked in TRACKED for revision in _revisions_for(tracked, plan, code)
    ]
    if code is None:
        for load in DataLoad.objects.filter(plan=plan):
            if load.changed and not load.initial:
                revisions.append(
                    Revision(
                        key=f"load-{load.pk}",
                        when=load.loaded_at,
                        action="重新載入",
                        kind="",
                        label="已發布資料",
                        url="",
                        source="重新載入已發布資料",
                        changes=[FieldChange("結果", "", load.summary)],
                    )
                )
    return sorted(revisions, key=lambda revision: revision.when, reverse=True)


def last_revised(*, plan: Plan, code: str) -> datetime | None:
    """When the budget line, anything under it or one of its goal links last really changed."""
    revisions = plan_revisions(plan=plan, code=code)
    return revisions[0].when if revisions else None
