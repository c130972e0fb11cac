"""Step 7: public codes, and the tree and goals as the published document
(plan/document/contract.py)."""

from plan.content.outline import walk
from plan.document import contract as plan_document

from .text import join_text
from .tree import Node


def assign_codes(categories: list[Node]) -> None:
    """Codes from positions: 類 "2", 項 "2-2", 目 "2-2-3"; measures "2-2-3-m1"."""

    def visit(nodes: list[Node], prefix: str) -> None:
        for position, node in enumerate(nodes, start=1):
            node.code = f"{prefix}{position}"
            for number, measure in enumerate(node.measures, start=1):
                measure.code = f"{node.code}-m{number}"
            visit(node.children, f"{node.code}-")

    visit(categories, "")


def measure_order(categories: list[Node]) -> dict[str, int]:
    """Measure code -> position in the document."""
    measures = (measure for node, _parent in walk(categories) for measure in node.measures)
    return {measure.code: position for position, measure in enumerate(measures)}


def goal_records(goals: list[dict], links: dict) -> list[dict]:
    return [
        plan_document.goal_record(
            **goal,
            measures=links[goal["number"]][0],
            link_note=links[goal["number"]][1],
            short_title=links[goal["number"]][2],
        )
        for goal in goals
    ]


def line_records(nodes: list[Node]) -> list[dict]:
    return [
        plan_document.line_record(
            code=node.code,
            level=node.level,
            ordinal=node.ordinal,
            name=node.name,
            amount=node.amount,
            amount_source=node.amount_source,
            note=node.note,
            editor_note=node.editor_note,
            summary_line=node.summary_line,
            source_lines=[min(node.lines), max(node.lines)],
            measures=[
                plan_document.measure_record(
                    code=measure.code,
                    ordinal=measure.ordinal,
                    name=measure.name,
                    objectives=join_text(measure.objectives),
                    approach=join_text(measure.approach),
                    editor_note=measure.editor_note,
                    source_lines=[min(measure.lines), max(measure.lines)],
                )
                for measure in node.measures
            ],
            children=line_records(node.children),
        )
        for node in nodes
    ]
