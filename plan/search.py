"""Full-text search over goals, budget-line names and measures (name, 計畫目標, 實施要領).

Chinese has no spaces between words, so matching is by substring: every term of the query
(terms are separated by white space) must occur in the record, in any of its searched fields.
`icontains` is used on every database: SQLite's LIKE and PostgreSQL's UPPER(...) LIKE agree
on CJK text and on ASCII letters, so both give the same results.
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

    @property
    def usable(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str) -> ParsedQuery:
    """Split on white space (full-width too); drop repeats and terms shorter than two characters."""
    text = (raw or "").strip()
    too_long = len(text) > MAX_QUERY_LENGTH
    terms: list[str] = []
    ignored: list[str] = []
    for term in re.split(r"\s+", text[:MAX_QUERY_LENGTH]):
        if not term or term in terms:
            continue
        if len(term) < MIN_TERM_LENGTH:
            ignored.append(term)
        elif len(terms) < MAX_TERMS:
            terms.append(term)
    return ParsedQuery(terms, ignored, too_long)


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
    path_urls: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def context_text(self) -> str:
        return "".join(segment.text for segment in self.context)

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)


def _all_terms(fields: list[str], terms: list[str]) -> Q:
    return reduce(
        and_,
        (reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)) for term in terms),
    )


def _category_filter(prefix_field: str, category: str) -> Q:
    return Q(**{prefix_field: category}) | Q(**{f"{prefix_field}__startswith": f"{category}-"})


def _chain(line: BudgetLine) -> list[BudgetLine]:
    """The line's ancestors and itself, root first; relies on select_related of two parents."""
    chain = [line]
    while chain[0].parent_id is not None:
        chain.insert(0, chain[0].parent)
    return chain


def context_segments(text: str, terms: list[str]) -> list[Segment]:
    """A window of `text` around the first match, split into matched and unmatched pieces."""
    folded = text.casefold()
    positions = [folded.find(term.casefold()) for term in terms]
    found = [position for position in positions if position >= 0]
    if not found:
        return [Segment(text[: CONTEXT_BEFORE + CONTEXT_AFTER], False)]
    first = min(found)
    start = max(first - CONTEXT_BEFORE, 0)
    end = min(first + CONTEXT_AFTER, len(text))
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
    return PolicyGoal.objects.filter(plan=plan).filter(_all_terms(["text"], terms))


def _lines(plan, terms, category):
    lines = BudgetLine.objects.filter(plan=plan).filter(_all_terms(["name"], terms))
    if category:
        lines = lines.filter(_category_filter("code", category))
    return lines.select_related("parent__parent")


def _measures(plan, terms, category):
    measures = Measure.objects.filter(plan=plan).filter(
        _all_terms(["name", "objectives", "approach"], terms)
    )
    if category:
        measures = measures.filter(code__startswith=f"{category}-")
    return measures.select_related("budget_line__parent__parent")


def _goal_hit(goal: PolicyGoal, terms) -> Hit:
    return Hit(
        kind="goal",
        code=str(goal.number),
        label=f"提要{goal.ordinal.rstrip('、')}",
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


def _line_hit(line: BudgetLine, terms) -> Hit:
    chain = _chain(line)
    return Hit(
        kind="line",
        code=line.code,
        label=line.label,
        url=line.get_absolute_url(),
        path=[node.label for node in chain],
        path_urls=[node.get_absolute_url() for node in chain],
        category_code=chain[0].code,
        category_label=chain[0].label,
        amount=line.amount,
        amount_of=line.label,
        field="名稱",
        context=context_segments(line.label, terms),
        order=(line.sequence, 0, 0),
    )


def _measure_hit(measure: Measure, terms) -> Hit:
    chain = _chain(measure.budget_line)
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
        path=[node.label for node in chain],
        path_urls=[node.get_absolute_url() for node in chain],
        category_code=chain[0].code,
        category_label=chain[0].label,
        amount=line.amount,
        amount_of=line.label,
        field=field_label,
        context=context_segments(text.replace("\n", " "), terms),
        order=(line.sequence, 1, measure.sequence),
    )
