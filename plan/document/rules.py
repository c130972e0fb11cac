"""What a plan document must be before it is loaded (`validate`, `refuse_broken_sums`).

The fields of each record are those its builder in plan/document/contract.py writes; their kinds
come from the model columns they are loaded into, so the rules follow the contract and the schema.
"""

import inspect
import json
import re
from dataclasses import dataclass

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from plan.models import BudgetLine, Measure, Plan, PolicyGoal

from .contract import DocumentError, goal_record, line_record, measure_record, plan_record

_MISSING = object()
# Where a category, an item and a subitem belong, for messages.
_LEVEL_PLACES = [
    ("最上層", "at the top"),
    ("類之下", "under a category"),
    ("項之下", "under an item"),
]
# Fields that are not model columns; the others take their kind from the model's column.
_OWN_KINDS = {"source_lines": "lines", "measures": "list", "children": "list"}
_KINDS = {
    "text": ("文字", "a string", lambda v: isinstance(v, str)),
    "count": ("整數", "an integer", lambda v: _is_int(v)),
    "count?": ("整數或 null", "an integer or null", lambda v: v is None or _is_int(v)),
    "lines": ("[起, 迄] 兩個行號", "two line numbers [first, last]", lambda v: _is_lines(v)),
    "list": ("清單", "a list", lambda v: isinstance(v, list)),
    "flag": ("true 或 false", "true or false", lambda v: isinstance(v, bool)),
}


def validate(plan_document) -> None:
    """Raise DocumentError for the first record that breaks the contract: a missing field, a
    wrong type, an empty name, a negative number, a value outside its choices, a level out of
    place, a repeated code, a goal linked to a measure that is not there. It covers the
    database's constraints, so the database does not have to refuse a document that passes."""
    if not isinstance(plan_document, dict) or not all(
        isinstance(plan_document.get(key), kind)
        for key, kind in (("plan", dict), ("goals", list), ("budget", list))
    ):
        raise DocumentError(
            "文件應為含 plan、goals、budget 的物件 / "
            "the document must be an object with plan, goals and budget"
        )
    plan = plan_document["plan"]
    _check(_name("施政計畫", "plan", plan, "slug", "plan"), plan, Plan, plan_record)
    measure_codes: set[str] = set()
    _validate_lines(plan_document["budget"], None, "budget", set(), measure_codes)
    numbers: set[int] = set()
    for index, goal in enumerate(plan_document["goals"]):
        record = _name("提要", "goal", goal, "number", f"goals[{index}]")
        _check(
            record, goal, PolicyGoal, goal_record, optional=("measures", "link_note", "short_title")
        )
        if goal["number"] < 1 or goal["number"] in numbers:
            _fail(record, "number", "應為不重複的正整數", "must be a positive number used once")
        numbers.add(goal["number"])
        linked = goal.get("measures", [])
        for code in linked:
            if not isinstance(code, str) or code not in measure_codes or linked.count(code) > 1:
                zh, en = "列出不存在或重複的計畫項目", "names a missing or repeated measure"
                _fail(record, "measures", zh, en, code)


def _validate_lines(nodes, parent, where: str, line_codes: set, measure_codes: set) -> None:
    prefix = f"{parent['code']}-" if parent else ""
    for index, node in enumerate(nodes):
        # Only reached up to the 目: a 目's children must be empty, checked below.
        depth = where.count("children")
        level = BudgetLine.Level.values[depth]
        place = f"{where}[{index}]"
        record = _name("預算項目", "budget line", node, "code", place)
        _check(record, node, BudgetLine, line_record, optional=("sum_differs_in_source",))
        code = node["code"]
        if not _is_code(code, prefix) or code in line_codes:
            _fail(record, "code", *_code_rule(f"{prefix}N"), code)
        line_codes.add(code)
        if node["level"] != level:
            zh, en = _LEVEL_PLACES[depth]
            _fail(record, "level", f"{zh}應為 {level}", f"must be {level} {en}", node["level"])
        if level == BudgetLine.Level.SUBITEM and node["children"]:
            _fail(record, "children", "應為空：目之下沒有下層", "must be empty under a subitem")
        if (node["amount"] is None) != (node["amount_source"] == ""):
            zh, en = "應在有金額時填寫、沒有金額時留白", "must be given exactly when amount is"
            _fail(record, "amount_source", zh, en, node["amount_source"])
        if node.get("sum_differs_in_source") and not node["editor_note"].strip():
            zh = "在標記 sum_differs_in_source 時應說明原文加總為何不符"
            en = "must say why the source's sum differs when sum_differs_in_source is set"
            _fail(record, "editor_note", zh, en)
        for number, measure in enumerate(node["measures"]):
            _validate_measure(measure, code, f"{place}.measures[{number}]", measure_codes)
        _validate_lines(node["children"], node, f"{place}.children", line_codes, measure_codes)


def _validate_measure(measure, line_code: str, place: str, measure_codes: set) -> None:
    record = _name("計畫項目", "measure", measure, "code", place)
    _check(record, measure, Measure, measure_record)
    code = measure["code"]
    if not _is_code(code, f"{line_code}-m") or code in measure_codes:
        _fail(record, "code", *_code_rule(f"{line_code}-mN"), code)
    measure_codes.add(code)
    if not (measure["objectives"] or measure["approach"] or measure["editor_note"]):
        zh = "在計畫目標與實施要領都空白時不可空白"
        _fail(record, "editor_note", zh, "must not be empty when objectives and approach are")


# ---------------------------------------------------------------- sums


def sum_differs(amount, child_amounts) -> int | None:
    """The sum of the children's amounts when it differs from `amount` (None when it does not,
    or when there are no children, or one has no amount: nothing to compare). The sum rule of
    the document (`broken_sums_in`) and of the loaded plan (plan/editing/integrity.py)."""
    child_amounts = list(child_amounts)
    if not child_amounts or None in child_amounts:
        return None
    total = sum(child_amounts)
    return total if total != amount else None


@dataclass(frozen=True)
class BrokenSum:
    """A parent (a budget line, or the plan for its total) whose amount differs from the sum
    of its children's."""

    kind: str  # 預算項目 or 施政計畫
    code: str
    label: str
    amount: int | None
    total: int

    def __str__(self) -> str:
        amount = "無金額" if self.amount is None else f"{self.amount:,} 千元"
        return f"{self.kind} {self.code}「{self.label}」{amount} ≠ 下層合計 {self.total:,} 千元"

    @property
    def english(self) -> str:
        return f"{self.code} {self.amount} != {self.total}"


def broken_sums_in(plan_document: dict) -> list[BrokenSum]:
    """Every sum a (valid, see `validate`) document breaks: the plan total against its 類, and
    every line against its children, unless the line is marked `sum_differs_in_source` (the
    source's own mismatch, explained in its editor_note). For loadplan and the admin upload."""
    plan = plan_document["plan"]
    broken = []
    roots = plan_document["budget"]
    total = sum_differs(plan["total_amount"], [node["amount"] for node in roots])
    if total is not None:
        broken.append(BrokenSum("施政計畫", plan["slug"], "總額", plan["total_amount"], total))

    def visit(nodes):
        for node in nodes:
            children = node["children"]
            total = sum_differs(node["amount"], [child["amount"] for child in children])
            if total is not None and not node.get("sum_differs_in_source"):
                label = f"{node['ordinal']}{node['name']}"
                broken.append(BrokenSum("預算項目", node["code"], label, node["amount"], total))
            visit(children)

    visit(roots)
    return broken


def refuse_broken_sums(plan_document: dict) -> None:
    """DocumentError naming every broken sum of the document, if it has any."""
    broken = broken_sums_in(plan_document)
    if not broken:
        return
    slug = plan_document["plan"]["slug"]
    raise DocumentError(
        f"施政計畫 {slug} 有 {len(broken)} 處金額不等於下層合計，沒有載入："
        + "；".join(str(each) for each in broken)
        + '。若原文本身即不符，請在該預算項目標記 "sum_differs_in_source": true，並在 '
        "editor_note 說明 / "
        f"plan {slug}: {len(broken)} amounts differ from the sum of their children, nothing "
        "was loaded: "
        + "; ".join(each.english for each in broken)
        + ' (a mismatch in the source itself: mark the line "sum_differs_in_source": true '
        "and explain it in editor_note)"
    )


# ---------------------------------------------------------------- records


def _check(record, data, model, build, optional=()) -> None:
    """`data` has every field of the record that `build` makes, of the model column's type."""
    if not isinstance(data, dict):
        raise DocumentError(f"{record[0]} 應為物件 / {record[1]}: must be an object")
    for field in inspect.signature(build).parameters:
        value = data.get(field, _MISSING)
        if value is _MISSING:
            if field in optional:
                continue
            _fail(record, field, "缺少此欄位", "is missing")
        column = None if field in _OWN_KINDS else model._meta.get_field(field)
        kind = _OWN_KINDS.get(field) or _kind(column)
        kind_zh, kind_en, fits = _KINDS[kind]
        if not fits(value):
            _fail(record, field, f"應為{kind_zh}", f"must be {kind_en}", value)
        if column is None or value is None or (value == "" and column.blank):
            continue
        if isinstance(value, str) and not value.strip():
            _fail(record, field, "不可空白", "must not be empty", value)
        if kind.startswith("count") and value < 0:
            _fail(record, field, "不可為負數", "must not be negative", value)
        if kind.startswith("count") and value > _largest(column):
            limit = _largest(column)
            _fail(record, field, f"不可大於 {limit}", f"must be at most {limit}", value)
        if column.choices and value not in dict(column.choices):
            choices = list(dict(column.choices))
            zh, en = f"應為 {'、'.join(choices)} 之一", f"must be one of {', '.join(choices)}"
            _fail(record, field, zh, en, value)
        if column.max_length and len(value) > column.max_length:
            limit = column.max_length
            _fail(record, field, f"超過 {limit} 字", f"is longer than {limit} characters")


def _is_code(code: str, prefix: str) -> bool:
    """Codes are their parent's code and a position: "2-2" + "-3", "2-2-3" + "-m1"."""
    return re.fullmatch(rf"{re.escape(prefix)}[0-9]{{1,4}}", code) is not None


def _code_rule(shape: str) -> tuple[str, str]:
    return f"應為 {shape}（N 為數字）且不重複", f"must be {shape} with a number N, used once"


def _kind(column) -> str:
    if isinstance(column, models.CharField | models.TextField):
        return "text"
    if isinstance(column, models.BooleanField):
        return "flag"
    return "count?" if column.null else "count"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _largest(column) -> int:
    """The largest value the column holds on every database (SQLite would take more, then
    PostgreSQL would refuse the same document)."""
    return BaseDatabaseOperations.integer_field_ranges[column.get_internal_type()][1]


def _is_lines(value) -> bool:
    largest = _largest(Measure._meta.get_field("source_end_line"))
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(_is_int(line) and 0 < line <= largest for line in value)
        and value[0] <= value[1]
    )


def _name(zh: str, en: str, data, key: str, place: str) -> tuple[str, str]:
    """How messages name a record: by its code (or number), else by its place in the file."""
    name = data.get(key) if isinstance(data, dict) else None
    if not (isinstance(name, str) and name.strip()) and not _is_int(name):
        name = place
    return f"{zh} {name}", f"{en} {name}"


def _fail(record: tuple[str, str], field: str, zh: str, en: str, value=_MISSING):
    if value is not _MISSING:
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        zh, en = f"{zh}：{shown}", f"{en}: {shown}"
    raise DocumentError(f"{record[0]} 的 {field} {zh} / {record[1]}, field {field}: {en}")
