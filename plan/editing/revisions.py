"""The public revision log (修訂紀錄): every change to published data since the initial load.

Built from django-simple-history's tables. Each entry says what changed, the old and new values and
when; it never names the member of staff (the history keeps that for the admin). One admin save is
one entry, however many records it changed (their history rows share a change set,
plan/editing/signals.py); one publish of a draft is one entry with its reason. The rows written by
the initial load are the published baseline and are not revisions; a later `loadplan` that changes
data appears as a 重新載入 event with its own changes, and where `loadplan --replace-edited`
replaced an editor's change, the entry says so (its source is REPLACE_EDITED_REASON).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.utils.translation import pgettext

from plan.content import published
from plan.content.published import safe_cache
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
    Publication,
    related_or_none,
    subtree_q,
)
from plan.reading.formatting import amount_text

from .field_changes import FieldChange

ACTIONS = {"+": "新增", "~": "修改", "-": "刪除"}
EDIT_SOURCE = "網站編修"
PUBLISH_SOURCE = "發布修正"
NEW_PLAN_SOURCE = "發布新計畫"
# How an editor's reason starts when the save restored an earlier version (editing/admin.py).
REVERT_REASON = "還原舊版本"
# The reason a publish writes on a record whose draft saves gave none (editing/publishing.py).
PUBLISH_REASON_PREFIX = "發布 #"
# Where a history row came from, as the log says it: the loader's reasons, else an edit.
LOADER_SOURCES = (RELOAD_REASON, REPLACE_EDITED_REASON)


@dataclass
class RecordChange:
    """What one admin save (or reload row) did to one record."""

    action: str
    kind: str
    label: str
    url: str
    changes: list[FieldChange] = field(default_factory=list)
    code: str = ""  # the budget line or measure it places in the budget tree ("" for a goal)
    note: str = ""  # the editor's reason for this record's change, when one was given

    @property
    def reverted(self) -> bool:
        """Whether the change restored an earlier version (its reasons are joined by 「；」)."""
        return any(part.startswith(REVERT_REASON) for part in self.note.split("；"))

    @property
    def title(self) -> str:
        if not self.kind:
            return f"{self.action}{self.label}"
        return f"{self.action}{self.kind}「{self.label}」"


@dataclass
class Revision:
    """One entry of the log: a save, with the record it was made on first."""

    key: str
    when: datetime
    source: str
    records: list[RecordChange]
    reason: str = ""  # a publish's reason (public)
    sums_overridden: bool = False  # published although a sum did not hold
    changeset: str = ""

    @property
    def main(self) -> RecordChange:
        return self.records[0]

    @property
    def others(self) -> list[RecordChange]:
        return self.records[1:]

    @property
    def action(self) -> str:
        return self.main.action

    @property
    def kind(self) -> str:
        return self.main.kind

    @property
    def label(self) -> str:
        return self.main.label

    @property
    def url(self) -> str:
        return self.main.url

    @property
    def changes(self) -> list[FieldChange]:
        return self.main.changes

    @property
    def title(self) -> str:
        if self.others:
            return f"{self.main.title}及另 {len(self.others)} 筆相關修改"
        return self.main.title


def shown_value(name: str, value) -> str:
    """A field's value as the log shows it."""
    # The log's words are in the page's language (the English is marked in plan/views/revisions.py).
    if name in ("goal", "measure"):  # goal links: what they point at
        if isinstance(value, PolicyGoal | Measure):
            return value.label
        return pgettext("revision value", "（已刪除）")
    if name in ("amount", "total_amount"):
        if value is None:
            return ""
        return pgettext("revision value", "%(amount)s 千元") % {"amount": amount_text(value)}
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
        """History rows, oldest first per record: the plan's, or one subtree's; only of the
        records revised since the initial load (with their initial row, the first "before").

        A subtree is found through the code index alone (codes are per plan, so rows of
        another plan with the same codes are dropped afterwards, in `_rows_for`): with
        the plan as well, SQLite scans every history row of the plan instead.
        """
        records = self.model.history.all()
        if code is None:
            records = records.filter(**{self.plan_filter: plan.pk})
        elif self.code_field is None:
            return records.none()
        else:
            records = records.filter(subtree_q(code, self.code_field))
        revised = records.exclude(history_change_reason=INITIAL_LOAD_REASON).values("id")
        records = records.filter(id__in=revised).select_related(*self.related)
        return records.order_by("id", "history_date", "history_id")

    def field_label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)


TRACKED = (
    Tracked(
        PolicyGoal, "施政提要", ("ordinal", "short_title", "text", "link_note"), "plan_id", None
    ),
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
            FieldChange(tracked.field_label(name), "", shown_value(name, value))
            for name, value in values
            if shown_value(name, value)
        ]
    delta = record.diff_against(before, included_fields=tracked.fields, foreign_keys_are_objs=True)
    order = {name: position for position, name in enumerate(tracked.fields)}
    return [
        FieldChange(
            tracked.field_label(change.field),
            shown_value(change.field, change.old),
            shown_value(change.field, change.new),
        )
        for change in sorted(delta.changes, key=lambda change: order[change.field])
    ]


@dataclass
class _Row:
    """A history row as the log shows it, with what groups it into an entry."""

    changeset: str
    key: str
    when: datetime
    source: str
    record: RecordChange


def _rows_for(tracked: Tracked, plan: Plan, code: str | None) -> list[_Row]:
    rows = []
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
        rows.append(
            _Row(
                changeset=getattr(record, "changeset", ""),
                key=f"{tracked.model._meta.model_name}-{record.history_id}",
                when=record.history_date,
                source=_source(record.history_change_reason),
                record=RecordChange(
                    action=action,
                    kind=tracked.kind,
                    label=instance.label,
                    url="" if action == "刪除" else instance.get_absolute_url(),
                    changes=changes,
                    code=_code(record),
                    note=_note(record.history_change_reason),
                ),
            )
        )
    return rows


def _source(reason: str | None) -> str:
    return reason if reason in LOADER_SOURCES else EDIT_SOURCE


def _group(rows: list[_Row]) -> list[Revision]:
    """One entry per change set (in the order its rows were written), one per row without."""
    rows = sorted(rows, key=lambda row: row.when)
    entries: dict[str, Revision] = {}
    for row in rows:
        group = row.changeset or row.key
        if group in entries:
            entries[group].records.append(row.record)
        else:
            entries[group] = Revision(
                row.key, row.when, row.source, [row.record], changeset=row.changeset
            )
    return list(entries.values())


def _note(reason: str | None) -> str:
    """An editor's reason as the public log shows it ("" for the loader's and a publish's)."""
    if not reason or reason in (INITIAL_LOAD_REASON, *LOADER_SOURCES):
        return ""
    return "" if reason.startswith(PUBLISH_REASON_PREFIX) else reason


def _with_publications(revisions: list[Revision], plan: Plan, *, whole_plan: bool) -> list:
    """Each publish's entry with its reason and the changes of the plan record itself (which
    has no history); a publish of a new plan, or of the plan record alone, as an entry of its
    own (in the log of the whole plan)."""
    publications = {each.changeset: each for each in Publication.objects.filter(plan=plan)}
    for revision in revisions:
        publication = publications.pop(revision.changeset, None)
        if publication is not None:
            _mark_published(revision, publication, plan, whole_plan=whole_plan)
    for publication in publications.values():
        if not whole_plan or not (publication.new_plan or publication.plan_changes):
            continue
        announced = [RecordChange("發布", "", plan.title, "", [])] if publication.new_plan else []
        revision = Revision(
            f"publication-{publication.pk}", publication.published_at, PUBLISH_SOURCE, announced
        )
        _mark_published(revision, publication, plan, whole_plan=True)
        revisions.append(revision)
    return revisions


def _mark_published(revision: Revision, publication, plan: Plan, *, whole_plan: bool) -> None:
    revision.source = NEW_PLAN_SOURCE if publication.new_plan else PUBLISH_SOURCE
    revision.reason = publication.reason
    revision.sums_overridden = publication.sums_overridden
    if whole_plan and publication.plan_changes:
        changes = [
            FieldChange(each["label"], each["old"], each["new"])
            for each in publication.plan_changes
        ]
        record = RecordChange("修改", "施政計畫", plan.title, "", changes)
        revision.records = [*revision.records, record]  # the total follows the lines


def plan_revisions(*, plan: Plan, code: str | None = None) -> list[Revision]:
    """Every revision of the plan's published data, newest first (optionally one subtree)."""
    revisions = _group([row for tracked in TRACKED for row in _rows_for(tracked, plan, code)])
    revisions = _with_publications(revisions, plan, whole_plan=code is None)
    if code is None:
        for load in DataLoad.objects.filter(plan=plan):
            if load.changed and not load.initial:
                event = RecordChange(
                    "重新載入", "", "已發布資料", "", [FieldChange("結果", "", load.summary)]
                )
                key = f"load-{load.pk}"
                revisions.append(Revision(key, load.loaded_at, RELOAD_REASON, [event]))
    return sorted(revisions, key=lambda revision: revision.when, reverse=True)


def _code(record) -> str:
    if hasattr(record, "code"):
        return record.code
    if not hasattr(record, "measure_id"):
        return ""  # a goal: not in the budget tree
    measure = related_or_none(record, "measure")  # a goal link: where its measure is
    return measure.code if measure else ""


LATEST_SECONDS = 3600


def last_revised(*, plan: Plan, code: str) -> datetime | None:
    """When the budget line, anything under it or one of its goal links last really changed."""
    latest = _latest_by_code(plan)
    found = [when for each, when in latest.items() if each == code or each.startswith(f"{code}-")]
    return max(found, default=None)


def _latest_by_code(plan: Plan) -> dict[str, datetime]:
    """The latest revision of every code the log names. Every budget-line page asks, and the
    answer only changes with the data: it is kept in the cache under the data version."""
    version = published.cache_version()
    key = f"plan:last-revised:{plan.pk}:{version.key}" if version else None
    latest = safe_cache(cache.get, key) if key else None
    if latest is None:
        latest = {}
        for revision in plan_revisions(plan=plan):  # newest first
            for record in revision.records:
                if record.code:
                    latest.setdefault(record.code, revision.when)
        if key:
            safe_cache(cache.set, key, latest, LATEST_SECONDS)
    return latest
