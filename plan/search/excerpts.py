"""What a search result shows of its text: the field that holds the most terms, and a window
around the first match with every match marked (the pieces of the text as printed, so the
template escapes them; never HTML built from the text)."""

import re
from dataclasses import dataclass

from .terms import Term, fold

CONTEXT_BEFORE = 24
CONTEXT_AFTER = 56


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


def context_segments(text: str, needles: list[str]) -> list[Segment]:
    """A window of `text` around the first match of a needle (folded), split into matched and
    unmatched pieces of the text as printed."""
    pieces = [fold(character) for character in text]
    owner = [index for index, piece in enumerate(pieces) for _ in piece]  # folded -> printed
    folded = "".join(pieces)
    needles = sorted({needle for needle in needles if needle}, key=len, reverse=True)
    spans = []
    if needles:
        pattern = re.compile("|".join(re.escape(needle) for needle in needles))
        spans = [(owner[m.start()], owner[m.end() - 1] + 1) for m in pattern.finditer(folded)]
    if not spans:
        return [Segment(text[: CONTEXT_BEFORE + CONTEXT_AFTER], False)]
    first_start, first_end = spans[0]
    start = max(first_start - CONTEXT_BEFORE, 0)
    end = min(first_start + max(CONTEXT_AFTER, first_end - first_start), len(text))
    segments = [Segment("…", False)] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, cursor), min(span_end, end)
        if span_start >= span_end:
            continue
        if span_start > cursor:
            segments.append(Segment(text[cursor:span_start], False))
        segments.append(Segment(text[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        segments.append(Segment(text[cursor:end], False))
    if end < len(text):
        segments.append(Segment("…", False))
    return segments


def best_field(fields: list[tuple[str, str]], terms: list[Term]) -> tuple[str, str]:
    """The field (label, text) holding the most terms; earlier fields win ties."""

    def score(item):
        folded = fold(item[1])
        return sum(any(alt in folded for alt in term.folded) for term in terms)

    return max(fields, key=score)
