"""Load the published plan document (the fixture) into the database, idempotently.

Rows are matched on their public codes, so a reload updates them in place: primary keys,
and everything that points at them, survive. Rows the document no longer has are deleted.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from plan.content import published
from plan.models import (
    INITIAL_LOAD_REASON,
    RELOAD_REASON,
    BudgetLine,
    DataLoad,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
)

from .contract import DocumentError, FlatDocument, flatten
from .rules import validate

# Positions and sequences are unique; existing rows are moved out of the way first so
# that reordering never collides with a row that has not been updated yet.
_SEQUENCE_SHIFT = 1_000_000
_POSITION_SHIFT = 10_000


# True while load_plan runs, so per-row signal handlers can leave the work to the loader.
loading: ContextVar[bool] = ContextVar("loading", default=False)

MODEL_LABELS = {
    "plan": "施政計畫",
    "policygoal": "提要",
    "budgetline": "預算項目",
    "measure": "計畫項目",
    "goalmeasure": "提要對應",
}


@dataclass
class LoadReport:
    reason: str = RELOAD_REASON
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(
            count
            for counts in (self.created, self.updated, self.deleted)
            for count in counts.values()
        )

    def summary(self) -> str:
        parts = []
        for label, counts in (
            ("新增", self.created),
            ("更新", self.updated),
            ("刪除", self.deleted),
        ):
            if counts:
                items = "、".join(f"{MODEL_LABELS[name]} {n}" for name, n in counts.items())
                parts.append(f"{label} {items}")
        return "；".join(parts) or "沒有變更"


def load_plan(plan_document: dict, *, as_draft: bool = False) -> tuple[Plan, LoadReport]:
    """Load the document in one transaction. DocumentError, with nothing written, when the
    document breaks its rules or the database refuses it. A new plan loaded `as_draft` is a
    draft's (an upload in the admin), seen only in the preview until it is published."""
    validate(plan_document)
    token = loading.set(True)
    try:
        return _load_plan(flatten(plan_document), as_draft)
    except (IntegrityError, DataError) as error:
        # PostgreSQL adds the failing row on further lines: one line, and not all of the text.
        detail = " ".join(str(error).split())[:300]
        slug = plan_document["plan"]["slug"]
        raise DocumentError(
            f"施政計畫 {slug}：資料庫拒絕載入，沒有寫入任何資料 / "
            f"plan {slug}: the database refused the load and nothing was written: {detail}"
        ) from error
    finally:
        loading.reset(token)


@transaction.atomic
def _load_plan(flat: FlatDocument, as_draft: bool) -> tuple[Plan, LoadReport]:
    report = LoadReport()
    plan = _load_plan_row(flat.plan, report, as_draft)
    _sync(PolicyGoal, plan, key="number", rows=flat.goals, report=report, shifted=())
    line_ids = _sync(
        BudgetLine,
        plan,
        key="code",
        rows=flat.lines,
        report=report,
        shifted=("sequence", "position"),
    )
    measures = []
    for row in flat.measures:
        measure = dict(row)
        measure["budget_line_id"] = line_ids[measure.pop("budget_line_code")]
        measures.append(measure)
    measure_ids = _sync(
        Measure, plan, key="code", rows=measures, report=report, shifted=("sequence", "position")
    )
    _sync_goal_links(plan, flat.links, measure_ids, report)
    if report.changed or plan.data_updated_at is None:
        plan.data_updated_at = timezone.now()
        plan.save(update_fields=["data_updated_at"])
        published.changed()
    DataLoad.objects.create(
        plan=plan,
        initial=report.reason == INITIAL_LOAD_REASON,
        source_sha256=plan.source_sha256,
        summary=report.summary(),
        created=sum(report.created.values()),
        updated=sum(report.updated.values()),
        deleted=sum(report.deleted.values()),
    )
    return plan, report


def _sync_goal_links(plan: Plan, links: list[tuple[int, str]], measure_ids, report: LoadReport):
    goal_ids = dict(PolicyGoal.objects.in_plan(plan).values_list("number", "pk"))
    wanted = {(goal_ids[number], measure_ids[code]) for number, code in links}
    existing = {
        (link.goal_id, link.measure_id): link.pk for link in GoalMeasure.objects.in_plan(plan)
    }
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    if stale:
        _delete_with_history(GoalMeasure.objects.filter(pk__in=stale), report.reason)
        report.deleted["goalmeasure"] = len(stale)
    new = sorted(wanted - existing.keys())
    for goal_id, measure_id in new:
        _save_with_history(GoalMeasure(goal_id=goal_id, measure_id=measure_id), report.reason)
    if new:
        report.created["goalmeasure"] = len(new)


def _save_with_history(obj, reason: str):
    obj._change_reason = reason
    obj.save()
    return obj


def _delete_with_history(queryset, reason: str) -> None:
    """Delete row by row so that each deletion is in the history with the load's reason."""
    for obj in queryset:
        obj._change_reason = reason
        obj.delete()


def _load_plan_row(data: dict, report: LoadReport, as_draft: bool) -> Plan:
    fields = {key: data[key] for key in ("fiscal_year", "agency", "title", "total_amount")}
    fields |= {"source_file": data["source_file"], "source_sha256": data["source_sha256"]}
    plan = Plan.objects.filter(slug=data["slug"]).first()
    if plan is None:
        report.created["plan"] = 1
        report.reason = INITIAL_LOAD_REASON
        return Plan.objects.create(slug=data["slug"], published=not as_draft, **fields)
    if any(getattr(plan, key) != value for key, value in fields.items()):
        for key, value in fields.items():
            setattr(plan, key, value)
        plan.save()
        report.updated["plan"] = 1
    return plan


def _sync(model, plan: Plan, *, key: str, rows: list[dict], report: LoadReport, shifted):
    """Make the plan's rows of `model` equal `rows`, matched on `key`; return key -> pk."""
    label = model._meta.model_name
    existing = {getattr(obj, key): obj for obj in model.objects.in_plan(plan)}
    wanted = {row[key] for row in rows}
    stale = [obj.pk for code, obj in existing.items() if code not in wanted]
    if stale:
        _delete_with_history(model.objects.filter(pk__in=stale), report.reason)
        report.deleted[label] = len(stale)

    original = {
        code: {name: getattr(obj, name) for name in shifted} for code, obj in existing.items()
    }
    if shifted and existing:
        kept = [obj for code, obj in existing.items() if code in wanted]
        for obj in kept:
            obj.sequence += _SEQUENCE_SHIFT
            obj.position += _POSITION_SHIFT
        model.objects.bulk_update(kept, list(shifted))

    ids: dict[str, int] = {}
    changed_objects, unchanged_objects, fields_changed = [], [], set(shifted)
    for row in rows:
        values = dict(row)
        parent_code = values.pop("parent_code", None)
        if "parent_code" in row:
            values["parent_id"] = ids[parent_code] if parent_code else None
        obj = existing.get(row[key])
        if obj is None:
            obj = _save_with_history(model(plan=plan, **values), report.reason)
            report.created[label] = report.created.get(label, 0) + 1
        else:
            before = {name: getattr(obj, name) for name in values} | original[row[key]]
            changed = [name for name, value in values.items() if before[name] != value]
            for name, value in values.items():
                setattr(obj, name, value)
            if changed:
                changed_objects.append(obj)
                fields_changed |= set(changed)
            else:
                unchanged_objects.append(obj)
        ids[row[key]] = obj.pk
    if shifted and unchanged_objects:
        model.objects.bulk_update(unchanged_objects, list(shifted))
    if changed_objects:
        report.updated[label] = len(changed_objects)
        bulk_update_with_history(
            changed_objects,
            model,
            sorted(fields_changed),
            default_change_reason=report.reason,
        )
    return ids
