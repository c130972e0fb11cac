"""Load the published plan document (the fixture) into the database, idempotently.

Rows are matched on their public codes, so a reload updates them in place: primary keys,
and everything that points at them, survive. Rows the document no longer has are deleted.

What an editor has published since the last load (plan/document/edits.py) is left as it is
and listed in the report, unless the load is told to replace it (`replace_edited`); only the
record's place in the document order (position, sequence) follows the file, which the public
log does not show.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_update_with_history

from plan.content import published, tags
from plan.models import (
    INITIAL_LOAD_REASON,
    RELOAD_REASON,
    REPLACE_EDITED_REASON,
    BudgetLine,
    DataLoad,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
)

from .contract import DocumentError, FlatDocument, flatten
from .edits import (
    EditorState,
    EditorStates,
    Keeping,
    KeptEdit,
    changed_fields,
    edit,
    keeping,
    label_of,
    link_edit,
)
from .rules import refuse_broken_sums, validate

# Positions and sequences are unique; existing rows are moved out of the way first so
# that reordering never collides with a row that has not been updated yet.
_SEQUENCE_SHIFT = 1_000_000
_POSITION_SHIFT = 10_000
# Records the file no longer has but an editor's change keeps go after the file's rows.
_KEPT_POSITION = 5_000
# The DataLoad summary's column holds 300 characters; the command prints the whole list.
_SUMMARY_LENGTH = 300


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
    # Editors' changes left as they are, or (replace_edited) replaced by the file.
    kept: list[KeptEdit] = field(default_factory=list)
    replaced: list[KeptEdit] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            count
            for counts in (self.created, self.updated, self.deleted)
            for count in counts.values()
        )

    def counts(self) -> str:
        """「新增 計畫項目 1；更新 預算項目 2」, or 「沒有變更」."""
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

    def summary(self) -> str:
        """The counts, and the editors' changes kept or replaced (the DataLoad record's)."""
        summary = self.counts()
        for label, edits in (("保留編者修改", self.kept), ("取代編者修改", self.replaced)):
            if edits:
                listed = "、".join(f"{edit.code} {edit.would}" for edit in edits)
                summary += f"；{label} {len(edits)} 筆：{listed}"
        if len(summary) > _SUMMARY_LENGTH:
            summary = summary[: _SUMMARY_LENGTH - 1] + "…"
        return summary


def load_plan(
    plan_document: dict, *, replace_edited: bool = False, as_draft: bool = False
) -> tuple[Plan, LoadReport]:
    """Load the document in one transaction. DocumentError, with nothing written, when the
    document breaks its rules, a parent differs from the sum of its children, or the database
    refuses it. Editors' changes are kept (and listed) unless `replace_edited`. A new plan
    loaded `as_draft` is a draft's (an upload in the admin), seen only in the preview until it
    is published."""
    validate(plan_document)
    refuse_broken_sums(plan_document)
    token = loading.set(True)
    try:
        return _load_plan(flatten(plan_document), replace_edited=replace_edited, as_draft=as_draft)
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
def _load_plan(
    flat: FlatDocument, *, replace_edited: bool, as_draft: bool
) -> tuple[Plan, LoadReport]:
    report = LoadReport()
    plan = _load_plan_row(flat.plan, report, as_draft)
    # A new plan has no editors' changes (a draft copy of a plan is another slug and row).
    states = EditorStates() if report.reason == INITIAL_LOAD_REASON else EditorStates.of(plan)
    goals, lines, measures = keeping(plan, flat, states, replace_edited)
    _sync(PolicyGoal, plan, key="number", rows=flat.goals, report=report, shifted=(), edits=goals)
    line_ids = _sync(
        BudgetLine,
        plan,
        key="code",
        rows=flat.lines,
        report=report,
        shifted=("sequence", "position"),
        edits=lines,
    )
    measure_rows = []
    for row in flat.measures:
        measure = dict(row)
        measure["budget_line_id"] = line_ids.get(measure.pop("budget_line_code"))
        measure_rows.append(measure)
    measure_ids = _sync(
        Measure,
        plan,
        key="code",
        rows=measure_rows,
        report=report,
        shifted=("sequence", "position"),
        edits=measures,
    )
    _sync_goal_links(plan, flat.links, measure_ids, report, states.links, replace_edited)
    if report.changed or plan.data_updated_at is None:
        plan.data_updated_at = timezone.now()
        plan.save(update_fields=["data_updated_at"])
        published.changed()
        if plan.published:
            tags.purge(tags.reloaded(plan, came_or_went={*report.created, *report.deleted}))
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


def _sync_goal_links(
    plan: Plan, links, measure_ids, report: LoadReport, state: EditorState, replace: bool
):
    goal_ids = dict(PolicyGoal.objects.in_plan(plan).values_list("number", "pk"))
    # A link to a measure this load did not make (an editor deleted it) is not made either.
    wanted = {
        (goal_ids[number], measure_ids[code]) for number, code in links if code in measure_ids
    }
    existing = {(link.goal_id, link.measure_id): link for link in GoalMeasure.objects.in_plan(plan)}
    stale = [pair for pair in existing if pair not in wanted]
    new = sorted(wanted - existing.keys())
    if not replace:
        for pair in [pair for pair in stale if pair in state.edited]:
            stale.remove(pair)
            link = existing[pair]
            report.kept.append(link_edit(link.goal, link.measure, "會移除（編者新增的對應）"))
        removed = [pair for pair in new if pair in state.deleted]
        if removed:
            goals = PolicyGoal.objects.in_bulk([goal for goal, _measure in removed])
            measures = Measure.objects.in_bulk([measure for _goal, measure in removed])
            for goal, measure in removed:
                new.remove((goal, measure))
                would = "會加回（編者移除的對應）"
                report.kept.append(link_edit(goals[goal], measures[measure], would))
    for pair in stale:
        link = existing[pair]
        reason = _reason(report, replace and pair in state.edited, link.goal, link.measure)
        _delete_with_history(GoalMeasure.objects.filter(pk=link.pk), reason)
    if stale:
        report.deleted["goalmeasure"] = len(stale)
    for goal_id, measure_id in new:
        link = GoalMeasure(goal_id=goal_id, measure_id=measure_id)
        reason = _reason(
            report, replace and (goal_id, measure_id) in state.deleted, link.goal, link.measure
        )
        _save_with_history(link, reason)
    if new:
        report.created["goalmeasure"] = len(new)


def _reason(report: LoadReport, replacing: bool, goal, measure) -> str:
    """The history reason of one link's change: the load's, or that it replaced an editor's."""
    if not replacing:
        return report.reason
    report.replaced.append(link_edit(goal, measure, "取代編者的對應"))
    return REPLACE_EDITED_REASON


def _save_with_history(obj, reason: str):
    obj._change_reason = reason
    obj.save()
    return obj


# The reason of the deletion under way: the rows deleted with a row (a line's lower lines and
# measures, their goal links) are written into the history with it, not as an editor's.
_deleting: ContextVar[str | None] = ContextVar("deleting", default=None)


@receiver(pre_create_historical_record)
def _give_cascaded_deletions_the_reason(sender, history_instance, **kwargs):
    reason = _deleting.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


def _delete_with_history(objects, reason: str) -> None:
    """Delete row by row so that each deletion is in the history with the load's reason."""
    token = _deleting.set(reason)
    try:
        for obj in objects:
            obj._change_reason = reason
            obj.delete()
    finally:
        _deleting.reset(token)


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


def _sync(
    model, plan: Plan, *, key: str, rows: list[dict], report: LoadReport, shifted, edits: Keeping
):
    """Make the plan's rows of `model` equal `rows`, matched on `key`, except where `edits`
    says an editor's change stays; return key -> pk of the rows there now."""
    label = model._meta.model_name
    state, replace = edits.state, edits.replace
    existing = {getattr(obj, key): obj for obj in model.objects.in_plan(plan)}
    wanted = {row[key] for row in rows}
    stale = {code: obj for code, obj in existing.items() if code not in wanted}
    kept_stale = [obj for code, obj in stale.items() if code in edits.keep]
    for obj in kept_stale:
        code = getattr(obj, key)
        would = "會刪除" if code in state.edited else "會刪除（其下有編者的修改）"
        report.kept.append(edit(model, code, obj.label, would))
    deleted = [(code, obj) for code, obj in stale.items() if code not in edits.keep]
    for code, obj in deleted:
        replacing = replace and code in state.edited
        if replacing:
            report.replaced.append(edit(model, code, obj.label, "刪除"))
        _delete_with_history([obj], REPLACE_EDITED_REASON if replacing else report.reason)
    if deleted:
        report.deleted[label] = len(deleted)

    original = {
        code: {name: getattr(obj, name) for name in shifted} for code, obj in existing.items()
    }
    moved = [obj for code, obj in existing.items() if code in wanted or code in edits.keep]
    if shifted and moved:
        for obj in moved:
            obj.sequence += _SEQUENCE_SHIFT
            obj.position += _POSITION_SHIFT
        model.objects.bulk_update(moved, list(shifted))

    ids: dict = {}
    replaced_content = 0
    changed_objects, replaced_objects, unchanged_objects = [], [], []
    fields_changed, fields_replaced = set(shifted), set(shifted)
    for row in rows:
        values = dict(row)
        code = row[key]
        parent_code = values.pop("parent_code", None)
        if "parent_code" in row:
            if parent_code and parent_code not in ids:
                report.kept.append(
                    edit(model, code, label_of(model, row), "會建立（上層已由編者刪除）")
                )
                continue
            values["parent_id"] = ids[parent_code] if parent_code else None
        if "budget_line_id" in values and values["budget_line_id"] is None:
            report.kept.append(
                edit(model, code, label_of(model, row), "會建立（所屬預算項目已由編者刪除）")
            )
            continue
        obj = existing.get(code)
        if obj is None:
            replacing = code in state.deleted
            if replacing and not replace:
                report.kept.append(
                    edit(model, code, label_of(model, row), "會重新建立（編者已刪除）")
                )
                continue
            if replacing:
                report.replaced.append(edit(model, code, label_of(model, row), "重新建立"))
            reason = REPLACE_EDITED_REASON if replacing else report.reason
            obj = _save_with_history(model(plan=plan, **values), reason)
            report.created[label] = report.created.get(label, 0) + 1
            ids[code] = obj.pk
            continue
        before = {name: getattr(obj, name) for name in values} | original[code]
        changed = [name for name, value in values.items() if before[name] != value]
        content = [name for name in changed if name not in shifted]
        if code in state.edited and not replace:
            if content:
                report.kept.append(edit(model, code, obj.label, changed_fields(model, content)))
            values = {name: values[name] for name in shifted}  # only its place in the order
            changed = []
        for name, value in values.items():
            setattr(obj, name, value)
        if code in state.edited and replace:
            # Written even when the file agrees with the editor: the record is the file's again.
            would = changed_fields(model, content) if content else "與編者的版本相同"
            report.replaced.append(edit(model, code, obj.label, would.removeprefix("會")))
            replaced_objects.append(obj)
            fields_replaced |= set(changed)
            replaced_content += bool(content)
        elif changed:
            changed_objects.append(obj)
            fields_changed |= set(changed)
        else:
            unchanged_objects.append(obj)
        ids[code] = obj.pk
    for index, obj in enumerate(kept_stale):
        if shifted:  # after the file's rows, in their old order
            obj.sequence = len(rows) + 1 + index
            obj.position = _KEPT_POSITION + index
        unchanged_objects.append(obj)
        ids[getattr(obj, key)] = obj.pk
    if shifted and unchanged_objects:
        model.objects.bulk_update(unchanged_objects, list(shifted))
    updated = len(changed_objects) + replaced_content
    if updated:
        report.updated[label] = updated
    for objects, fields, reason in (
        (changed_objects, fields_changed, report.reason),
        (replaced_objects, fields_replaced, REPLACE_EDITED_REASON),
    ):
        if objects:
            bulk_update_with_history(
                objects, model, sorted(fields) or [key], default_change_reason=reason
            )
    return ids
