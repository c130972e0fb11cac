"""Which published records an editor has changed since the loader last wrote them.

The rule (docs/data.md, "Editors' changes and reloads"), stated here once: a record is an
editor's when its latest django-simple-history row was not written by the loader, i.e. its
change reason is none of LOADER_REASONS (an admin save has another reason or none, and the
editor as its user; a change made in the shell counts too). `loadplan` leaves such records
as they are and lists them, unless it is told to replace them (`--replace-edited`).

Records are found by their public key (a line's or measure's code, a goal's number, a goal
link's goal and measure), so a record an editor deleted is known by the deletion row its
history keeps.
"""

from dataclasses import dataclass

from plan.models import LOADER_REASONS, BudgetLine, GoalMeasure, Measure, Plan, PolicyGoal

from .contract import FlatDocument


def by_editor(reason: str | None) -> bool:
    """Whether a history row with this change reason was written by anyone but the loader."""
    return reason not in LOADER_REASONS


@dataclass(frozen=True)
class EditorState:
    """The keys of one model's records whose latest history row is an editor's."""

    edited: frozenset = frozenset()  # the record exists: changed (or added) by an editor
    deleted: frozenset = frozenset()  # no such record: an editor deleted it


def _state(latest: dict, existing: set) -> EditorState:
    """`latest`: key -> (history_type, change reason) of its newest history row."""
    mine = {key: kind for key, (kind, reason) in latest.items() if by_editor(reason)}
    return EditorState(
        edited=frozenset(key for key in mine if key in existing),
        deleted=frozenset(key for key, kind in mine.items() if kind == "-" and key not in existing),
    )


def record_state(model, plan: Plan, key: str) -> EditorState:
    """The editors' records of the plan's `model` (PolicyGoal, BudgetLine or Measure)."""
    latest = {}
    rows = model.history.filter(plan_id=plan.pk).order_by("history_id")
    for value, kind, reason in rows.values_list(key, "history_type", "history_change_reason"):
        latest[value] = (kind, reason)
    existing = set(model.objects.in_plan(plan).values_list(key, flat=True))
    return _state(latest, existing)


def link_state(plan: Plan) -> EditorState:
    """The goal links an editor added (and that still exist) or removed, as (goal_id,
    measure_id) pairs: goals and measures keep their ids across reloads, so a pair names the
    same link however often the row was deleted and made again."""
    goal_ids = PolicyGoal.objects.in_plan(plan).values("pk")
    latest = {}
    rows = GoalMeasure.history.filter(goal_id__in=goal_ids).order_by("history_id")
    for goal_id, measure_id, kind, reason in rows.values_list(
        "goal_id", "measure_id", "history_type", "history_change_reason"
    ):
        latest[(goal_id, measure_id)] = (kind, reason)
    existing = set(GoalMeasure.objects.filter(goal__plan=plan).values_list("goal_id", "measure_id"))
    return _state(latest, existing)


@dataclass(frozen=True)
class EditorStates:
    """What editors have done to one plan, read before the loader writes anything."""

    goals: EditorState = EditorState()
    lines: EditorState = EditorState()
    measures: EditorState = EditorState()
    links: EditorState = EditorState()

    @classmethod
    def of(cls, plan: Plan) -> "EditorStates":
        return cls(
            goals=record_state(PolicyGoal, plan, "number"),
            lines=record_state(BudgetLine, plan, "code"),
            measures=record_state(Measure, plan, "code"),
            links=link_state(plan),
        )


@dataclass(frozen=True)
class KeptEdit:
    """An editor's change the load left as it is, and what the file would have done."""

    kind: str  # 預算項目, 計畫項目, 提要, 提要對應
    code: str
    label: str
    would: str  # 「會改 編者註（editor_note）」, 「會刪除」…

    def __str__(self) -> str:
        return f"{self.kind} {self.code}「{self.label}」：檔案{self.would}"


def changed_fields(model, names) -> str:
    """「會改 名稱（name）、編者註（editor_note）」: the fields the file would change."""
    shown = "、".join(
        f"{model._meta.get_field(name.removesuffix('_id')).verbose_name}（{name}）"
        for name in names
    )
    return f"會改 {shown}"


def edit(model, code, label: str, would: str) -> KeptEdit:
    return KeptEdit(str(model._meta.verbose_name), str(code), label, would)


def link_edit(goal, measure, would: str) -> KeptEdit:
    code = f"{goal.number}↔{measure.code}"
    return KeptEdit("提要對應", code, f"{goal.label} ↔ {measure.label}", would)


def label_of(model, row: dict) -> str:
    """How a record of the file is named in messages, before it is in the database."""
    return model(**{name: row[name] for name in ("ordinal", "name", "number") if name in row}).label


@dataclass(frozen=True)
class Keeping:
    """What the load does with editors' records: `state` as read before any write, `keep`
    the records the file no longer has that stay (edited, or holding something edited)."""

    state: EditorState
    keep: frozenset
    replace: bool


def keeping(plan: Plan, flat: FlatDocument, states: EditorStates, replace: bool):
    """For goals, lines and measures: the editors' state, and which records the file no longer
    has stay because an editor changed them or something under them (a line holds its
    measures and lower lines, a goal or measure its goal links: deleting the one would delete
    the other). With `replace`, none."""
    linked_goals, linked_measures = set(), set()
    if states.links.edited:
        goal_ids, measure_ids = zip(*states.links.edited, strict=True)
        goals = PolicyGoal.objects.filter(pk__in=goal_ids)
        goal_numbers = dict(goals.values_list("pk", "number"))
        measures = Measure.objects.filter(pk__in=measure_ids)
        measure_codes = dict(measures.values_list("pk", "code"))
        for goal_id, measure_id in states.links.edited:
            linked_goals.add(goal_numbers[goal_id])
            linked_measures.add(measure_codes[measure_id])
    if replace:
        goals = lines = measures = frozenset()
    else:
        goals = (states.goals.edited | linked_goals) - {row["number"] for row in flat.goals}
        measures = (states.measures.edited | linked_measures) - {
            row["code"] for row in flat.measures
        }
        held = states.lines.edited | measures
        in_file = {row["code"] for row in flat.lines}
        existing = BudgetLine.objects.in_plan(plan).values_list("code", flat=True)
        lines = {
            code
            for code in existing
            if code not in in_file
            and any(each == code or each.startswith(f"{code}-") for each in held)
        }
    return (
        Keeping(states.goals, frozenset(goals), replace),
        Keeping(states.lines, frozenset(lines), replace),
        Keeping(states.measures, frozenset(measures), replace),
    )
