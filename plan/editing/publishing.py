"""Publishing a draft: what it changes, whether it may go out, and applying it whole.

`differences(draft)` lists every field the draft changes against the published plan (the fields
the public revision log shows, revisions.TRACKED, plus the plan's title and total) and the goal
links it adds or removes. `publish()` applies them in one transaction with one reason: every
history row it writes shares one change set, so the public log shows one event (revisions.py);
the caches are purged once, by the one change of the plan's "last changed" at the end, and the
proxies in front are told which records' pages changed (plan/content/tags.py).

A publish is refused when the published plan changed after the draft was opened (someone else
published: this draft would silently undo their work), when it changes nothing, and when the
draft's sums do not hold, unless a superuser overrides that with a reason the public log shows.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from plan.content import tags
from plan.document.loader import loading
from plan.models import Draft, GoalMeasure, Measure, Plan, PolicyGoal, Publication

from .drafts import COPY_REASON, discard
from .integrity import Finding, check_plan
from .revisions import (
    PUBLISH_REASON_PREFIX,
    TRACKED,
    FieldChange,
    Revision,
    plan_revisions,
    shown_value,
)
from .signals import changeset_in_use

PLAN_FIELDS = ("title", "total_amount")
MODIFIED, ADDED, REMOVED = "修改", "新增", "刪除"


@dataclass
class Change:
    """One published record the draft changes, and how."""

    action: str
    kind: str
    label: str
    key: str  # the record's public code (a goal's number)
    published: object | None  # the published record (None: a link to add)
    draft: object | None  # its copy in the draft (None: a link to remove)
    fields: list[FieldChange] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # field name -> the draft's value


class PublishRefused(Exception):
    def __init__(self, message: str, *, since: list[Revision] = ()):
        super().__init__(message)
        self.message = message
        self.since = list(since)


def _key(record) -> str:
    return str(record.number) if hasattr(record, "number") else record.code


def _field_changes(tracked_fields, label_of, published, draft) -> tuple[list, dict]:
    changes, values = [], {}
    for name in tracked_fields:
        old, new = getattr(published, name), getattr(draft, name)
        if old != new:
            values[name] = new
            changes.append(
                FieldChange(label_of(name), shown_value(name, old), shown_value(name, new))
            )
    return changes, values


def differences(draft: Draft) -> list[Change]:
    """What publishing `draft` would change, in the order of the public log's kinds."""
    base, copy = draft.base, draft.plan
    if base is None:
        return []
    changes = []
    plan_fields, values = _field_changes(
        PLAN_FIELDS, lambda name: str(Plan._meta.get_field(name).verbose_name), base, copy
    )
    if plan_fields:
        changes.append(
            Change(MODIFIED, "施政計畫", base.title, "", base, copy, plan_fields, values)
        )
    for tracked in TRACKED:
        if tracked.model is GoalMeasure:
            changes += _link_changes(base, copy)
            continue
        published = {_key(row): row for row in tracked.model.objects.filter(plan=base)}
        for row in tracked.model.objects.filter(plan=copy).order_by(*_order(tracked.model)):
            original = published.get(_key(row))
            if original is None:
                continue  # the admin adds no records; a copy always has its original
            fields, values = _field_changes(tracked.fields, tracked.field_label, original, row)
            if fields:
                changes.append(
                    Change(
                        MODIFIED, tracked.kind, row.label, _key(row), original, row, fields, values
                    )
                )
    return changes


def _order(model) -> list[str]:
    return ["number"] if hasattr(model, "number") else ["sequence"]


def _link_changes(base: Plan, copy: Plan) -> list[Change]:
    def pairs(plan):
        links = GoalMeasure.objects.filter(goal__plan=plan).select_related("goal", "measure")
        return {(link.goal.number, link.measure.code): link for link in links}

    published, drafted = pairs(base), pairs(copy)
    changes = []
    added = sorted(drafted.keys() - published.keys())
    if added:
        goals = {goal.number: goal for goal in PolicyGoal.objects.filter(plan=base)}
        measures = {measure.code: measure for measure in Measure.objects.filter(plan=base)}
    for pair in added:
        link = drafted[pair]
        ends = {"goal": goals[pair[0]], "measure": measures[pair[1]]}
        changes.append(Change(ADDED, "提要對應", link.label, pair[1], None, link, values=ends))
    for pair in sorted(published.keys() - drafted.keys()):
        link = published[pair]
        changes.append(Change(REMOVED, "提要對應", link.label, link.measure.code, link, None))
    return changes


def problems(draft: Draft) -> list[Finding]:
    """The draft's failing integrity checks (sums, total, counts): `checkplan` on the draft."""
    return [finding for finding in check_plan(draft.plan) if not finding.ok]


def conflicting(draft: Draft) -> list[Revision]:
    """What was published to the draft's plan since the draft was opened (newest first)."""
    base = draft.base
    if base is None or base.data_updated_at == draft.base_updated_at:
        return []
    since = draft.base_updated_at or datetime.min.replace(tzinfo=UTC)
    return [revision for revision in plan_revisions(plan=base) if revision.when > since]


def publish(draft: Draft, user, reason: str, *, override_sums: bool = False) -> Publication:
    """Apply the whole draft to the published plan (or publish a new plan) and remove it."""
    reason = (reason or "").strip()
    if not reason:
        raise PublishRefused("請填寫發布理由（公開顯示於修訂紀錄）。")
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(of=("self",))
            .select_related("plan", "base")
            .get(pk=draft.pk)
        )
        failing = problems(draft)
        if failing and not (override_sums and user.is_superuser):
            raise PublishRefused(
                f"草稿有 {len(failing)} 處檢查未通過，不能發布：" + failing[0].message
            )
        if draft.base is None:
            return _publish_new_plan(draft, user, reason, overridden=bool(failing))
        base = Plan.objects.select_for_update().get(pk=draft.base_id)
        draft.base = base
        since = conflicting(draft)
        if since:
            raise PublishRefused(
                "開啟這份草稿之後，已有人發布了修改；直接發布會蓋掉那些修改。"
                "請捨棄這份草稿，重新開啟後再修改。",
                since=since,
            )
        changes = differences(draft)
        if not changes:
            raise PublishRefused("草稿與已發布的內容相同，沒有可發布的修改。")
        publication = Publication.objects.create(
            plan=base,
            published_by=user,
            reason=reason,
            changeset=uuid.uuid4().hex,
            change_count=len(changes),
            sums_overridden=bool(failing),
            plan_changes=[
                {"label": each.label, "old": each.old, "new": each.new}
                for change in changes
                if isinstance(change.published, Plan)
                for each in change.fields
            ],
        )
        _apply(changes, publication, user)
        base.data_updated_at = timezone.now()  # one new data version: the caches are purged once
        base.save(update_fields=["data_updated_at"])
        tags.purge(tags.changed_keys(base, [each for c in changes for each in _touched(c)]))
        discard(draft)
    return publication


def _apply(changes: list[Change], publication: Publication, user) -> None:
    token = loading.set(True)  # one stamp of the plan at the end, not one per record
    changeset = changeset_in_use.set(publication.changeset)
    try:
        for change in changes:
            record = change.published
            if change.action == ADDED:
                record = GoalMeasure()
            note = _history_reason(publication, change)
            if isinstance(record, Plan):
                for name, value in change.values.items():
                    setattr(record, name, value)
                record.save(update_fields=list(change.values))
                continue
            record._change_reason = note
            record._history_user = user
            if change.action == REMOVED:
                record.delete()
                continue
            for name, value in change.values.items():
                setattr(record, name, value)
            record.save()
    finally:
        changeset_in_use.reset(changeset)
        loading.reset(token)


def _touched(change: Change) -> list:
    """The published records whose pages a change shows (for the cache purge)."""
    if change.action == ADDED:
        return [change.values["goal"], change.values["measure"]]
    return [change.published]


def _history_reason(publication: Publication, change: Change) -> str:
    """The reasons the editors gave when they saved the draft's record (its admin history
    shows them), else which publish it was."""
    draft = change.draft
    reasons = []
    if draft is not None and not isinstance(draft, Plan):
        rows = type(draft).history.filter(id=draft.pk).order_by("history_date", "history_id")
        given = rows.values_list("history_change_reason", flat=True)
        reasons = [reason for reason in given if reason and reason != COPY_REASON]
    noted = "；".join(dict.fromkeys(reasons))
    return noted[:100] if noted else f"{PUBLISH_REASON_PREFIX}{publication.pk}"


def _publish_new_plan(draft: Draft, user, reason: str, *, overridden: bool) -> Publication:
    plan = draft.plan
    if Plan.objects.published().filter(agency=plan.agency, fiscal_year=plan.fiscal_year).exists():
        raise PublishRefused(f"{plan.fiscal_year} 年度已有發布的施政計畫，不能再發布一份。")
    publication = Publication.objects.create(
        plan=plan,
        published_by=user,
        reason=reason,
        changeset=uuid.uuid4().hex,
        new_plan=True,
        sums_overridden=overridden,
    )
    draft.delete()
    plan.published = True
    plan.data_updated_at = timezone.now()
    plan.save(update_fields=["published", "data_updated_at"])
    tags.purge({tags.SITE})  # every page's year switcher lists the new year
    return publication
