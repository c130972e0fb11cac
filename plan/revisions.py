"""The public revision log (修訂紀錄): every change to published data since the initial load.

Built from django-simple-history's tables. Each entry says what changed, the old and new
values and when; it never names the member of staff (the history keeps that for the admin).
The rows written by the initial load are the published baseline and are not revisions;
a later `loadplan` that changes data appears as a 重新載入 event with its own changes.
"""

from dataclasses import dataclass, field
from datetime import datetime

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
    related_or_none,
    subtree_q,
)

ACTIONS = {"+": "新增", "~": "修改", "-": "刪除"}
EDIT_SOURCE = "網站編修"


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


def _shown(name: str, value) -> str:
    """A field's value as the log shows it."""
    if name in ("goal", "measure"):  # goal links: what they point at
        return value.label if isinstance(value, PolicyGoal | Measure) else "（已刪除）"
    if name == "amount":
        return "" if value is None else f"{amount_text(value)} 千元"
    if name == "amount_source":
        return dict(BudgetLine.AmountSource.choices).get(value, "")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Tracked:
    """A model whose history is public: the fields shown, and how its rows are found."""

    model: type
    kind: str
    fields: tuple[str, ...]
    plan_filter: str  # the lookup from a history row to its plan
    code_field: str | None  # the code that places a row in a budget subtree (None: no subtree)
    related: tuple[str, ...] = ()

    def history(self, plan: Plan, code: str | None):
        """History rows, oldest first per record: the plan's, or one subtree's.

        A subtree is found through the code index alone (codes are per plan, so rows of
        another plan with the same codes are dropped afterwards, in `_revisions_for`): with
        the plan as well, SQLite scans every history row of the plan instead.
        """
        records = self.model.history.select_related(*self.related)
        if code is None:
            records = records.filter(**{self.plan_filter: plan.pk})
        elif self.code_field is None:
            records = records.none()
        else:
            records = records.filter(subtree_q(code, self.code_field))
        return records.order_by("id", "history_date", "history_id")

    def field_label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)


TRACKED = (
    Tracked(PolicyGoal, "施政提要", ("ordinal", "text", "link_note"), "plan_id", None),
    Tracked(
        BudgetLine,
        "預算項目",
        ("ordinal", "name", "amount", "amount_source", "note", "editor_note"),
        "plan_id",
        "code",
    ),
    Tracked(
        Measure,
        "計畫項目",
        ("ordinal", "name", "objectives", "approach", "editor_note"),
        "plan_id",
        "code",
    ),
    Tracked(
        GoalMeasure,
        "提要對應",
        ("goal", "measure"),
        "goal__plan",
        "measure__code",
        related=("goal", "measure"),
    ),
)


def _instance(record):
    """The record as it was; the related rows fetched with the history serve it too."""
    instance = record.instance
    instance._state.fields_cache.update(record._state.fields_cache)
    return instance


def _in_plan(record, plan: Plan) -> bool:
    """Whether a history row found by code belongs to `plan` (codes repeat across plans)."""
    if hasattr(record, "plan_id"):
        return record.plan_id == plan.pk
    measure = related_or_none(record, "measure")
    return measure is not None and measure.plan_id == plan.pk


def _changes(tracked: Tracked, record, before) -> list[FieldChange]:
    if before is None:  # an addition: every field it was created with
        if tracked.model is GoalMeasure:
            return []  # the title already names both ends
        values = [(name, getattr(record, name)) for name in tracked.fields]
        return [
            FieldChange(tracked.field_label(name), "", _shown(name, value))
            for name, value in values
            if _shown(name, value)
        ]
    delta = record.diff_against(before, included_fields=tracked.fields, foreign_keys_are_objs=True)
    order = {name: position for position, name in enumerate(tracked.fields)}
    return [
        FieldChange(
            tracked.field_label(change.field),
            _shown(change.field, change.old),
            _shown(change.field, change.new),
        )
        for change in sorted(delta.changes, key=lambda change: order[change.field])
    ]


def _revisions_for(tracked: Tracked, plan: Plan, code: str | None) -> list[Revision]:
    revisions = []
    previous = {}
    for record in tracked.history(plan, code):
        if code is not None and not _in_plan(record, plan):
            continue
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_change_reason == INITIAL_LOAD_REASON:
            continue
        action = ACTIONS[record.history_type]
        instance = _instance(record)
        changes = []
        if action == "修改" and before is not None:
            changes = _changes(tracked, record, before)
            if not changes:
                continue  # only internal fields (order) changed
        elif action == "新增":
            changes = _changes(tracked, record, None)
        revisions.append(
            Revision(
                key=f"{tracked.model._meta.model_name}-{record.history_id}",
                when=record.history_date,
                action=action,
                kind=tracked.kind,
                label=instance.label,
                url="" if action == "刪除" else instance.get_absolute_url(),
                source=RELOAD_REASON
                if record.history_change_reason == RELOAD_REASON
                else EDIT_SOURCE,
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
                        source=RELOAD_REASON,
                        changes=[FieldChange("結果", "", load.summary)],
                    )
                )
    return sorted(revisions, key=lambda revision: revision.when, reverse=True)


def last_revised(*, plan: Plan, code: str) -> datetime | None:
    """When the budget line, anything under it or one of its goal links last really changed."""
    revisions = plan_revisions(plan=plan, code=code)
    return revisions[0].when if revisions else None
