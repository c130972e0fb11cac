"""Substring search over goals, budget-line names and measures (name, 計畫目標, 實施要領).

Chinese has no spaces between words, so matching is by substring: every term of the query
(terms are separated by white space) must occur, case-folded, in one of the record's searched
fields. The databases fold case differently (SQLite only ASCII, PostgreSQL all of Unicode), so
the database only narrows the candidates with the term's case-less characters (CJK, digits and
CJK punctuation, which no case folding produces or changes), and the final decision is made
here in Python, the same way on every database.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from .models import BudgetLine, Measure, Plan, PolicyGoal

MIN_TERM_LENGTH = 2
MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
CONTEXT_BEFORE = 24
CONTEXT_AFTER = 56

KIND_LABELS = {"goal": "施政提要", "line": "預算項目", "measure": "計畫項目"}
KIND_ORDER = {"goal": 0, "line": 1, "measure": 2}
SORTS = {
    "": "文件順序",
    "-amount": "金額由高到低",
    "amount": "金額由低到高",
    "kind": "依類型",
}


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[str]
    ignored: list[str]
    too_long: bool = False
    dropped: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str) -> ParsedQuery:
    """Split on white space (full-width too); drop repeats and terms shorter than two characters."""
    text = (raw or "").strip()
    too_long = len(text) > MAX_QUERY_LENGTH
    terms: list[str] = []
    ignored: list[str] = []
    dropped: list[str] = []
    for term in re.split(r"\s+", text[:MAX_QUERY_LENGTH]):
        if not term or term in terms:
            continue
        if len(term) < MIN_TERM_LENGTH:
            ignored.append(term)
        elif len(terms) < MAX_TERMS:
            terms.append(term)
        else:
            dropped.append(term)
    return ParsedQuery(terms, ignored, too_long, dropped)


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


@dataclass
class Hit:
    kind: str
    code: str
    label: str
    url: str
    path: list[str]
    category_code: str
    category_label: str
    amount: int | None
    amount_of: str
    field: str
    context: list[Segment]
    order: tuple[int, int, int]  # document order: goals first, then each line and its measures

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def context_text(self) -> str:
        return "".join(segment.text for segment in self.context)

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)


_CASELESS_RUN = re.compile(r"[0-9\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff（），、：；！？]+")


def _narrowing(fields: list[str], terms: list[str]) -> Q:
    """A database filter that keeps at least every record `matches` accepts.

    For each term, its longest run of case-less characters must occur literally in one of the
    fields; a term with no such run (e.g. "AI") does not narrow anything.
    """
    conditions = []
    for term in terms:
        runs = _CASELESS_RUN.findall(term)
        if runs:
            anchor = max(runs, key=len)
            conditions.append(reduce(or_, (Q(**{f"{name}__contains": anchor}) for name in fields)))
    return reduce(and_, conditions, Q())


def matches(texts: list[str], terms: list[str]) -> bool:
    """Every term, case-folded, is in one of the texts, case-folded."""
    folded = [text.casefold() for text in texts]
    return all(any(term.casefold() in text for text in folded) for term in terms)


def context_segments(text: str, terms: list[str]) -> list[Segment]:
    """A window of `text` around the first match, split into matched and unmatched pieces."""
    folded = text.casefold()
    positions = {term: folded.find(term.casefold()) for term in terms}
    found = {term: position for term, position in positions.items() if position >= 0}
    if not found:
        return [Segment(text[: CONTEXT_BEFORE + CONTEXT_AFTER], False)]
    first = min(found.values())
    longest = max(len(term) for term, position in found.items() if position == first)
    start = max(first - CONTEXT_BEFORE, 0)
    end = min(first + max(CONTEXT_AFTER, longest), len(text))
    window = text[start:end]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    segments = []
    if start > 0:
        segments.append(Segment("…", False))
    cursor = 0
    for match in pattern.finditer(window):
        if match.start() > cursor:
            segments.append(Segment(window[cursor : match.start()], False))
        segments.append(Segment(match.group(0), True))
        cursor = match.end()
    if cursor < len(window):
        segments.append(Segment(window[cursor:], False))
    if end < len(text):
        segments.append(Segment("…", False))
    return segments


def _best_field(fields: list[tuple[str, str]], terms: list[str]) -> tuple[str, str]:
    """The field (label, text) holding the most query terms; earlier fields win ties."""

    def score(item):
        return sum(term.casefold() in item[1].casefold() for term in terms)

    return max(fields, key=score)


@dataclass
class SearchResult:
    query: ParsedQuery
    hits: list[Hit]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.hits)


def search_plan(
    *, plan: Plan, query: ParsedQuery, kind: str = "", category: str = "", sort: str = ""
) -> SearchResult:
    """Goals, budget lines and measures matching every term, filtered and sorted as asked."""
    if not query.usable:
        return SearchResult(query, [], {name: 0 for name in KIND_LABELS})
    terms = query.terms
    hits: list[Hit] = []
    if kind in ("", "goal") and not category:
        hits += [_goal_hit(goal, terms) for goal in _goals(plan, terms)]
    if kind in ("", "line"):
        hits += [_line_hit(line, terms) for line in _lines(plan, terms, category)]
    if kind in ("", "measure"):
        hits += [_measure_hit(measure, terms) for measure in _measures(plan, terms, category)]
    counts = {name: sum(hit.kind == name for hit in hits) for name in KIND_LABELS}
    return SearchResult(query, sort_hits(hits, sort), counts)


def sort_hits(hits: list[Hit], sort: str) -> list[Hit]:
    """Document order by default; by amount (records without one last, stable); or by kind."""
    document_order = sorted(hits, key=lambda hit: hit.order)
    if sort in ("amount", "-amount"):
        with_amount = [hit for hit in document_order if hit.amount is not None]
        without = [hit for hit in document_order if hit.amount is None]
        with_amount.sort(key=lambda hit: hit.amount, reverse=sort == "-amount")
        return with_amount + without
    if sort == "kind":
        return sorted(document_order, key=lambda hit: KIND_ORDER[hit.kind])
    return document_order


def _goals(plan, terms):
    goals = PolicyGoal.objects.in_plan(plan).filter(_narrowing(["text"], terms))
    return [goal for goal in goals if matches([goal.text], terms)]


def _lines(plan, terms, category):
    lines = BudgetLine.objects.in_plan(plan).filter(_narrowing(["name"], terms))
    if category:
        lines = lines.subtree(category)
    return [line for line in lines.with_ancestors() if matches([line.name], terms)]


def _measures(plan, terms, category):
    fields = ["name", "objectives", "approach"]
    measures = Measure.objects.in_plan(plan).filter(_narrowing(fields, terms))
    if category:
        measures = measures.subtree(category)
    return [
        measure
        for measure in measures.with_ancestors()
        if matches([measure.name, measure.objectives, measure.approach], terms)
    ]


def _goal_hit(goal: PolicyGoal, terms) -> Hit:
    return Hit(
        kind="goal",
        code=str(goal.number),
        label=goal.label,
        url=goal.get_absolute_url(),
        path=[],
        category_code="",
        category_label="",
        amount=None,
        amount_of="",
        field="提要內容",
        context=context_segments(goal.text, terms),
        order=(-1, 0, goal.number),
    )


def _in_budget(line: BudgetLine) -> dict:
    """What a line or measure hit shows of the budget: its path, its 類 and the line's amount."""
    chain = line.lineage
    return {
        "path": [node.label for node in chain],
        "category_code": chain[0].code,
        "category_label": chain[0].label,
        "amount": line.amount,
        "amount_of": line.label,
    }


def _line_hit(line: BudgetLine, terms) -> Hit:
    return Hit(
        kind="line",
        code=line.code,
        label=line.label,
        url=line.get_absolute_url(),
        **_in_budget(line),
        field="名稱",
        context=context_segments(line.label, terms),
        order=(line.sequence, 0, 0),
    )


def _measure_hit(measure: Measure, terms) -> Hit:
    field_label, text = _best_field(
        [
            ("計畫名稱", measure.label),
            ("計畫目標", measure.objectives),
            ("實施要領", measure.approach),
        ],
        terms,
    )
    line = measure.budget_line
    return Hit(
        kind="measure",
        code=measure.code,
        label=measure.label,
        url=measure.get_absolute_url(),
        **_in_budget(line),
        field=field_label,
        context=context_segments(text.replace("\n", " "), terms),
        order=(line.sequence, 1, measure.sequence),
    )
