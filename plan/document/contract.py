"""The published plan document: the JSON contract of the fixture, `exportplan`, `loadplan`
and /open-data/plan.json (docs/data.md, "The plan document").

Its shape is written here once: the records (`*_record`), writing (`dump`) and reading
(`read`) the file, building it from the database (`from_database`) and flattening it into
rows for the loader (`flatten`). The importer builds it with the same record functions, so
the fixture, the database and the export can be compared byte for byte. What a document must
be before it is loaded is checked by plan/document/rules.py, from the same record functions.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from plan.models import BudgetLine, GoalMeasure, Plan, PolicyGoal, TreeNode


class DocumentError(ValueError):
    """A document that cannot be loaded. The message is one line, Chinese then English, and
    names the record and the field: 「預算項目 2-2-3 的 amount 不可為負數：-5 / budget line 2-2-3,
    field amount: must not be negative: -5」."""


def plan_record(
    *, slug, fiscal_year, agency, title, total_amount, source_file, source_sha256
) -> dict:
    return {
        "slug": slug,
        "fiscal_year": fiscal_year,
        "agency": agency,
        "title": title,
        "total_amount": total_amount,
        "source_file": source_file,
        "source_sha256": source_sha256,
    }


def goal_record(*, number, ordinal, short_title, text, source_lines, measures, link_note) -> dict:
    """`short_title`, `measures` (codes of the measures linked to the goal) and `link_note`
    are the site's own; the rest is the document's."""
    return {
        "number": number,
        "ordinal": ordinal,
        "short_title": short_title,
        "text": text,
        "source_lines": list(source_lines),
        "measures": list(measures),
        "link_note": link_note,
    }


def line_record(
    *,
    code,
    level,
    ordinal,
    name,
    amount,
    amount_source,
    note,
    editor_note,
    summary_line,
    source_lines,
    measures,
    children,
    sum_differs_in_source=False,
) -> dict:
    """A budget line with its measures and, recursively, its children.

    `sum_differs_in_source` (written only when true) marks a line whose printed amount differs
    from the sum of its children's in the source itself; its `editor_note` says so to readers.
    Without it, such a document is refused (rules.py, `broken_sums_in`)."""
    record = {
        "code": code,
        "level": level,
        "ordinal": ordinal,
        "name": name,
        "amount": amount,
        "amount_source": amount_source,
    }
    if sum_differs_in_source:
        record["sum_differs_in_source"] = True
    return record | {
        "note": note,
        "editor_note": editor_note,
        "summary_line": summary_line,
        "source_lines": list(source_lines),
        "measures": list(measures),
        "children": list(children),
    }


def measure_record(*, code, ordinal, name, objectives, approach, editor_note, source_lines) -> dict:
    return {
        "code": code,
        "ordinal": ordinal,
        "name": name,
        "objectives": objectives,
        "approach": approach,
        "editor_note": editor_note,
        "source_lines": list(source_lines),
    }


def document(*, plan: dict, goals: list[dict], budget: list[dict]) -> dict:
    return {"plan": plan, "goals": goals, "budget": budget}


def dump(plan_document: dict) -> str:
    """The document as the fixture stores it: UTF-8 JSON, indented, ending in a newline."""
    return json.dumps(plan_document, ensure_ascii=False, indent=2) + "\n"


def read(path: Path) -> dict:
    """The document in the file, not yet validated; DocumentError if it is not UTF-8 JSON."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        zh, en = f"無法讀取：{error.strerror}", f"cannot be read: {error.strerror}"
        raise DocumentError(f"檔案 {path} {zh} / file {path}: {en}") from None
    return parse(raw, str(path))


def parse(raw: bytes, name: str) -> dict:
    """The document in `raw` (a file's bytes, e.g. an upload), not yet validated;
    DocumentError naming `name` if it is not UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        zh, en = f"第 {error.start} 位元組不是 UTF-8", f"is not UTF-8 at byte {error.start}"
    except json.JSONDecodeError as error:
        zh = f"第 {error.lineno} 行第 {error.colno} 欄 JSON 語法錯誤：{error.msg}"
        en = f"JSON syntax error at line {error.lineno}, column {error.colno}: {error.msg}"
    except RecursionError:
        zh, en = "巢狀層次過深，不是計畫檔", "is nested too deeply to be a plan document"
    raise DocumentError(f"檔案 {name} {zh} / file {name}: {en}")


# ---------------------------------------------------------------- from the database


def from_database(plan: Plan) -> dict:
    """The whole plan as loaded, in the document's shape."""
    links: dict[int, list[str]] = {}
    for goal_id, code in GoalMeasure.objects.in_plan(plan).values_list("goal_id", "measure__code"):
        links.setdefault(goal_id, []).append(code)
    return document(
        plan=plan_record(
            slug=plan.slug,
            fiscal_year=plan.fiscal_year,
            agency=plan.agency,
            title=plan.title,
            total_amount=plan.total_amount,
            source_file=plan.source_file,
            source_sha256=plan.source_sha256,
        ),
        goals=[
            goal_record(
                number=goal.number,
                ordinal=goal.ordinal,
                short_title=goal.short_title,
                text=goal.text,
                source_lines=_lines(goal),
                measures=links.get(goal.pk, []),
                link_note=goal.link_note,
            )
            for goal in PolicyGoal.objects.in_plan(plan)
        ],
        budget=[
            _line(node) for node in BudgetLine.objects.in_plan(plan).as_tree(with_measures=True)
        ],
    )


def _lines(record) -> list[int]:
    return [record.source_start_line, record.source_end_line]


def _line(node: TreeNode) -> dict:
    line = node.line
    return line_record(
        code=line.code,
        level=line.level,
        ordinal=line.ordinal,
        name=line.name,
        amount=line.amount,
        amount_source=line.amount_source,
        sum_differs_in_source=line.sum_differs_in_source,
        note=line.note,
        editor_note=line.editor_note,
        summary_line=line.summary_line,
        source_lines=_lines(line),
        measures=[
            measure_record(
                code=measure.code,
                ordinal=measure.ordinal,
                name=measure.name,
                objectives=measure.objectives,
                approach=measure.approach,
                editor_note=measure.editor_note,
                source_lines=_lines(measure),
            )
            for measure in node.measures
        ],
        children=[_line(child) for child in node.children],
    )


# ---------------------------------------------------------------- flat rows for loading


@dataclass
class FlatDocument:
    """The document as rows keyed by model field, in document order.

    Lines come parents first, with `parent_code`; measures carry `budget_line_code`;
    `links` pairs goal numbers with measure codes.
    """

    plan: dict
    goals: list[dict]
    lines: list[dict]
    measures: list[dict]
    links: list[tuple[int, str]]


def flatten(plan_document: dict) -> FlatDocument:
    goals = [
        {
            "number": goal["number"],
            "ordinal": goal["ordinal"],
            "short_title": goal.get("short_title", ""),
            "text": goal["text"],
            "link_note": goal.get("link_note", ""),
            "source_start_line": goal["source_lines"][0],
            "source_end_line": goal["source_lines"][1],
        }
        for goal in plan_document["goals"]
    ]
    links = [
        (goal["number"], code)
        for goal in plan_document["goals"]
        for code in goal.get("measures", [])
    ]
    lines: list[dict] = []
    measures: list[dict] = []

    def visit(node: dict, parent_code: str | None, position: int) -> None:
        lines.append(
            {
                "code": node["code"],
                "parent_code": parent_code,
                "level": node["level"],
                "ordinal": node["ordinal"],
                "name": node["name"],
                "amount": node["amount"],
                "amount_source": node["amount_source"],
                "sum_differs_in_source": node.get("sum_differs_in_source", False),
                "note": node["note"],
                "editor_note": node["editor_note"],
                "summary_line": node["summary_line"],
                "source_start_line": node["source_lines"][0],
                "source_end_line": node["source_lines"][1],
                "position": position,
                "sequence": len(lines) + 1,
            }
        )
        for measure_position, measure in enumerate(node["measures"], start=1):
            measures.append(
                {
                    "code": measure["code"],
                    "budget_line_code": node["code"],
                    "ordinal": measure["ordinal"],
                    "name": measure["name"],
                    "objectives": measure["objectives"],
                    "approach": measure["approach"],
                    "editor_note": measure["editor_note"],
                    "source_start_line": measure["source_lines"][0],
                    "source_end_line": measure["source_lines"][1],
                    "position": measure_position,
                    "sequence": len(measures) + 1,
                }
            )
        for child_position, child in enumerate(node["children"], start=1):
            visit(child, node["code"], child_position)

    for position, node in enumerate(plan_document["budget"], start=1):
        visit(node, None, position)
    return FlatDocument(plan_document["plan"], goals, lines, measures, links)
