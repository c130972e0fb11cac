"""Step 6: the corrections that act on records rather than rows: declared derived amounts
and the editors' public notes."""

from plan.content.outline import walk

from .corrections import CorrectionError, Corrections
from .text import compact
from .tree import Node


def _find_record(categories: list[Node], entry: dict):
    line, label = entry["line"], compact(entry["name"])
    hits = []
    for node, _parent in walk(categories):
        if line in node.lines and compact(node.label) == label:
            hits.append(node)
        hits += [
            measure
            for measure in node.measures
            if line in measure.lines and compact(measure.label) == label
        ]
    if len(hits) != 1:
        raise CorrectionError(f"{entry}: matches {len(hits)} records")
    return hits[0]


def apply_record_corrections(categories: list[Node], derived, corrections: Corrections) -> None:
    """Every derived amount must be declared (with the amount it has); notes are attached;
    a measure without a printed name must carry a note."""
    declared = {}
    for entry in corrections.entries["derived"]:
        node = _find_record(categories, entry)
        declared[id(node)] = entry
        if node.amount_source != "derived" or node.amount != entry["amount"]:
            raise CorrectionError(f"derived {entry['name']}: computed {node.amount}")
    undeclared = [node.label for node in derived if id(node) not in declared]
    if undeclared:
        raise CorrectionError(f"derived amounts missing from the corrections file: {undeclared}")
    for entry in corrections.entries["editor_note"]:
        _find_record(categories, entry).editor_note = entry["note"]
    for node, _parent in walk(categories):
        for measure in node.measures:
            if not measure.printed_name and not measure.editor_note:
                raise CorrectionError(f"unnamed measure under {node.label} needs an editor_note")
