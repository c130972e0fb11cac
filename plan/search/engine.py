"""Search over goals, budget-line names and measures (name, 計畫目標, 實施要領).

Chinese has no spaces between words, so matching is by substring: every term of the query
(terms are separated by white space, full-width too) must occur in one of the record's
searched fields. A term is read as plan/search/terms.py says: folded (NFKC and case), also
converted from Simplified Chinese, widened by the synonym table; it occurs when any of these
alternatives does. The database only narrows the candidates (search_terms.anchor); the
decision is made here in Python, the same way on every database. When nothing matches,
plan/search/fallback.py finds the longest parts of the query that do.

A measure has no amount of its own: the plan gives amounts to budget lines only. A hit says
which budget line it belongs to (`line`), and only a budget line's hit has an `amount`.
"""

import re
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from plan.models import BudgetLine, Measure, Plan, PolicyGoal

from .excerpts import Segment, best_field, context_segments
from .fallback import Fallback, fallback_parts
from .terms import Term, anchor, expand, fold, synonym_groups
from .wording import (
    APPROACH,
    FIELD_NAMES,
    GOAL_TEXT,
    KIND_NAMES,
    LINE_NAME,
    MEASURE_NAME,
    OBJECTIVES,
)

MIN_TERM_LENGTH = 2
MAX_QUERY_LENGTH = 100
MAX_TERMS = 8

# What a result is, as the downloads and the API say it (they stay Chinese); the page says it
# in its language (wording.py).
KIND_LABELS = {"goal": "施政提要", "line": "預算項目", "measure": "計畫項目"}
KIND_ORDER = {"goal": 0, "line": 1, "measure": 2}
EXAMPLE_QUERIES = ("監視器", "酒駕", "詐騙", "交通事故", "少年", "110")


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[str]  # as typed
    ignored: list[str]
    too_long: bool = False
    dropped: list[str] = field(default_factory=list)
    expanded: list[Term] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str, groups=None) -> ParsedQuery:
    """Split on white space (full-width too); drop repeats and terms shorter than two
    characters; read each term (search_terms.expand)."""
    groups = synonym_groups() if groups is None else groups
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
    return ParsedQuery(terms, ignored, too_long, dropped, [expand(t, groups) for t in terms])


@dataclass(frozen=True)
class LineRef:
    """The budget line a hit belongs to (for a budget line's hit, the line itself)."""

    code: str
    label: str
    url: str
    amount: int | None
    derived: bool
    path: tuple[str, ...]  # labels from the 類 down to the line


@dataclass
class Hit:
    kind: str
    code: str
    label: str
    url: str
    line: LineRef | None  # None for a goal
    amount: int | None  # the record's own amount: a budget line's only
    field: str
    context: list[Segment]
    order: tuple[int, int, int]  # document order: goals first, then each line and its measures
    short_title: str = ""  # a goal's: the site's own wording, shown (and flagged) beside its label
    number: int | None = None  # a goal's (its English title is found by it)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def kind_name(self) -> str:
        """What the result is, in the page's language."""
        return KIND_NAMES[self.kind]

    @property
    def field_name(self) -> str:
        """Which of the record's texts the excerpt is from, in the page's language."""
        return FIELD_NAMES[self.field]

    @property
    def context_text(self) -> str:
        return "".join(segment.text for segment in self.context)

    @property
    def budget_amount(self) -> int | None:
        """What sorting by amount uses: the amount of the budget line the record is or
        belongs to."""
        return self.line.amount if self.line else None

    @property
    def parents(self) -> tuple[str, ...]:
        """The budget path above the record: a line's parents, or a measure's line and its."""
        if self.line is None:
            return ()
        return self.line.path[:-1] if self.kind == "line" else self.line.path

    @property
    def category_label(self) -> str:
        return self.line.path[0] if self.line else ""


@dataclass
class HitGroup:
    line: LineRef | None  # None: the goals
    hits: list[Hit]


@dataclass
class SearchResult:
    query: ParsedQuery
    hits: list[Hit]
    counts: dict[str, int]
    fallback: Fallback | None = None

    @property
    def total(self) -> int:
        return len(self.hits)


def search_plan(
    *,
    plan: Plan,
    query: ParsedQuery,
    kind: str = "",
    category: str = "",
    sort: str = "",
    fallback: bool = True,
) -> SearchResult:
    """Goals, budget lines and measures matching every term, filtered and sorted as asked;
    when none does (and `fallback`), those matching the longest parts of the query
    (plan/search/fallback.py)."""
    if not query.usable:
        return SearchResult(query, [], _counts([]))
    terms = query.expanded
    candidates = _candidates(plan, kind, category, _narrowing(terms))
    hits = [_hit(record, terms) for record in candidates if _matches(record, terms)]
    found_instead = None
    if not hits and fallback:
        everything = _candidates(plan, kind, category, lambda fields: Q())
        texts = [fold(text) for record in everything for text in _texts(record)]
        found_instead = fallback_parts(terms, texts)
        if found_instead is not None:
            groups = synonym_groups()
            parts = [expand(part, groups) for part in found_instead.parts]
            hits = [_hit(record, parts) for record in everything if _matches(record, parts)]
            if not hits:
                found_instead = replace(found_instead, every_part=False)
                hits = [
                    _hit(record, parts)
                    for record in everything
                    if any(_matches(record, [part]) for part in parts)
                ]
    return SearchResult(query, sort_hits(hits, sort), _counts(hits), found_instead)


def _counts(hits: list[Hit]) -> dict[str, int]:
    return {name: sum(hit.kind == name for hit in hits) for name in KIND_LABELS}


def sort_hits(hits: list[Hit], sort: str) -> list[Hit]:
    """Document order by default; by budget amount (records without one last, stable); or by
    kind."""
    document_order = sorted(hits, key=lambda hit: hit.order)
    if sort in ("amount", "-amount"):
        with_amount = [hit for hit in document_order if hit.budget_amount is not None]
        without = [hit for hit in document_order if hit.budget_amount is None]
        with_amount.sort(key=lambda hit: hit.budget_amount, reverse=sort == "-amount")
        return with_amount + without
    if sort == "kind":
        return sorted(document_order, key=lambda hit: KIND_ORDER[hit.kind])
    return document_order


def group_hits(hits: list[Hit]) -> list[HitGroup]:
    """The hits under the budget line each is or belongs to (goals first, on their own), in
    the order the lines first appear: each line's amount is shown once, on its group."""
    groups: dict[str, HitGroup] = {}
    for hit in hits:
        key = hit.line.code if hit.line else ""
        groups.setdefault(key, HitGroup(hit.line, [])).hits.append(hit)
    ordered = sorted(groups.values(), key=lambda group: group.line is not None)
    for group in ordered:
        group.hits.sort(key=lambda hit: (hit.kind != "line", hit.order))
    return ordered


def flatten_groups(groups: list[HitGroup]) -> list[Hit]:
    return [hit for group in groups for hit in group.hits]


# ---------------------------------------------------------------- candidates and matching


@dataclass(frozen=True)
class _Record:
    kind: str
    obj: object


def _texts(record: _Record) -> list[str]:
    obj = record.obj
    if record.kind == "goal":
        return [obj.text]
    if record.kind == "line":
        return [obj.name]
    return [obj.name, obj.objectives, obj.approach]


def _matches(record: _Record, terms: list[Term]) -> bool:
    """Every term has an alternative in one of the record's texts (all folded)."""
    folded = [fold(text) for text in _texts(record)]
    return all(any(alt in text for alt in term.folded for text in folded) for term in terms)


def _narrowing(terms: list[Term]):
    """A database filter, for given fields, that keeps at least every record `_matches`
    accepts: for each term, one of its alternatives' anchors in one of the fields. A term with
    an alternative that has no anchor (e.g. 110, AI) does not narrow anything."""

    def condition(fields: list[str]) -> Q:
        conditions = []
        for term in terms:
            anchors = [anchor(folded) for folded in term.folded]
            if all(anchors):
                conditions.append(
                    reduce(
                        or_,
                        (
                            Q(**{f"{name}__contains": each})
                            for each in dict.fromkeys(anchors)
                            for name in fields
                        ),
                    )
                )
        return reduce(and_, conditions, Q())

    return condition


def _candidates(plan, kind: str, category: str, narrowing) -> list[_Record]:
    records: list[_Record] = []
    if kind in ("", "goal") and not category:
        goals = PolicyGoal.objects.in_plan(plan).filter(narrowing(["text"]))
        records += [_Record("goal", goal) for goal in goals]
    if kind in ("", "line"):
        lines = BudgetLine.objects.in_plan(plan).filter(narrowing(["name"]))
        if category:
            lines = lines.subtree(category)
        records += [_Record("line", line) for line in lines.with_ancestors()]
    if kind in ("", "measure"):
        fields = ["name", "objectives", "approach"]
        measures = Measure.objects.in_plan(plan).filter(narrowing(fields))
        if category:
            measures = measures.subtree(category)
        records += [_Record("measure", measure) for measure in measures.with_ancestors()]
    return records


# ---------------------------------------------------------------- hits


def _line_ref(line: BudgetLine) -> LineRef:
    return LineRef(
        code=line.code,
        label=line.label,
        url=line.get_absolute_url(),
        amount=line.amount,
        derived=line.is_derived,
        path=tuple(node.label for node in line.lineage),
    )


def _hit(record: _Record, terms: list[Term]) -> Hit:
    obj, needles = record.obj, [folded for term in terms for folded in term.folded]
    if record.kind == "goal":
        return Hit(
            kind="goal",
            code=str(obj.number),
            label=obj.label,
            url=obj.get_absolute_url(),
            line=None,
            amount=None,
            field=GOAL_TEXT,
            context=context_segments(obj.text, needles),
            order=(-1, 0, obj.number),
            short_title=obj.short_title,
            number=obj.number,
        )
    if record.kind == "line":
        return Hit(
            kind="line",
            code=obj.code,
            label=obj.label,
            url=obj.get_absolute_url(),
            line=_line_ref(obj),
            amount=obj.amount,
            field=LINE_NAME,
            context=context_segments(obj.label, needles),
            order=(obj.sequence, 0, 0),
        )
    field_label, text = best_field(
        [(MEASURE_NAME, obj.label), (OBJECTIVES, obj.objectives), (APPROACH, obj.approach)],
        terms,
    )
    line = obj.budget_line
    return Hit(
        kind="measure",
        code=obj.code,
        label=obj.label,
        url=obj.get_absolute_url(),
        line=_line_ref(line),
        amount=None,
        field=field_label,
        context=context_segments(text.replace("\n", " "), needles),
        order=(line.sequence, 1, obj.sequence),
    )
