"""Year on year: each budget line beside the same line in the agency's previous plan.

Lines are matched by code and name: the same code with the same name is the same line. A line
the plan renamed or moved is matched only where the site's editors say so (BudgetLineMatch,
editable in the admin, loaded from a plan folder's comparison.toml). Nothing is guessed: a line
with no match is new, and says whether the previous plan had another line under its code; a
previous line nothing matches is listed as no longer in the plan.

The comparison of a whole plan is computed once per data version and kept in the cache.
"""

import re
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from plan.content import published, tags
from plan.content.published import safe_cache
from plan.models import BudgetLine, BudgetLineMatch, Plan

# A change is pointed out to readers from this share of the previous amount, and for the
# largest changes of the plan.
FLAG_PERCENT = Decimal(20)
FLAG_LARGEST = 5
CACHE_SECONDS = 3600

SAME, MATCHED, NEW = "same", "matched", "new"
STATUS_LABELS = {
    SAME: gettext_lazy("同一項目"),
    MATCHED: gettext_lazy("本站對應（改名或移動）"),
    NEW: gettext_lazy("本年度新增"),
}


class MatchError(ValueError):
    """A comparison.toml entry that names no line, or a line twice."""


@dataclass(frozen=True)
class Previous:
    """A line of the previous plan, as much of it as a comparison shows."""

    code: str
    label: str
    amount: int | None
    url: str


@dataclass(frozen=True)
class LineComparison:
    status: str  # SAME, MATCHED or NEW
    previous: Previous | None
    change: int | None = None
    change_percent: Decimal | None = None  # one decimal; None when there was nothing to divide
    note: str = ""  # for MATCHED, the editors' reason; for NEW, what the code was before
    flagged: bool = False
    # For NEW: the label of the previous plan's line under the same code, if any (the page
    # says it in its own language; `note` says it in Chinese, for the open data).
    renamed_from: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class PlanComparison:
    previous_year: int
    previous_title: str
    previous_total: int
    total_change: int
    total_change_percent: Decimal | None
    lines: dict[str, LineComparison]
    # Previous lines nothing matches, by the code of the current line they would be under
    # ("" for a 類 of its own).
    removed: dict[str, list[Previous]] = field(default_factory=dict)

    def as_line(self) -> LineComparison:
        """The whole plan's change, shaped like a line's (for a table's total row)."""
        return LineComparison(
            status=SAME,
            previous=Previous("", self.previous_title, self.previous_total, ""),
            change=self.total_change,
            change_percent=self.total_change_percent,
        )


def previous_plan(plan: Plan) -> Plan | None:
    """The same agency's plan of the nearest earlier year, if it is published."""
    earlier = [
        each
        for each in published.current().plans
        if each.agency == plan.agency and each.fiscal_year < plan.fiscal_year
    ]
    return max(earlier, key=lambda each: each.fiscal_year, default=None)


def plan_comparison(plan: Plan) -> PlanComparison | None:
    """The plan's lines beside its previous plan's; None when there is no previous plan."""
    previous = previous_plan(plan)
    if previous is None:
        return None
    version = published.cache_version()
    key = f"plan:comparison:{plan.pk}:{previous.pk}:{version.key}" if version else None
    found = safe_cache(cache.get, key) if key else None
    if found is None:
        found = _compare(plan, previous)
        if key:
            safe_cache(cache.set, key, found, CACHE_SECONDS)
    return found


def percent(change: int, before: int | None) -> Decimal | None:
    if not before:
        return None
    return (Decimal(change) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _previous(line: BudgetLine) -> Previous:
    return Previous(line.code, line.label, line.amount, line.get_absolute_url())


def _compare(plan: Plan, previous_plan_: Plan) -> PlanComparison:
    lines = list(BudgetLine.objects.in_plan(plan))
    before = {line.code: line for line in BudgetLine.objects.in_plan(previous_plan_)}
    by_pk = {line.pk: line for line in before.values()}
    explicit = {
        match.line_id: match
        for match in BudgetLineMatch.objects.filter(line__plan=plan, previous__plan=previous_plan_)
    }
    claimed = {by_pk[match.previous_id].code for match in explicit.values()}
    found: dict[str, tuple[str, BudgetLine | None, str]] = {}
    renamed: dict[str, str] = {}
    for line in lines:
        match = explicit.get(line.pk)
        same_code = before.get(line.code)
        if match is not None:
            found[line.code] = (MATCHED, by_pk[match.previous_id], match.note)
        elif (
            same_code is not None
            and same_code.code not in claimed
            and _compact(same_code.name) == _compact(line.name)
        ):
            found[line.code] = (SAME, same_code, "")
        else:
            note = ""
            if same_code is not None:
                note = f"上年度同一代碼是「{same_code.label}」，名稱不同，未視為同一項目。"
                renamed[line.code] = same_code.label
            found[line.code] = (NEW, None, note)
    amounts = {line.code: line.amount for line in lines}
    changes = {
        code: (amounts[code] or 0) - (line_before.amount or 0)
        for code, (_status, line_before, _note) in found.items()
        if line_before is not None
    }
    largest = {
        code
        for code, change in sorted(changes.items(), key=lambda item: -abs(item[1]))[:FLAG_LARGEST]
        if change
    }
    result = {}
    for code, (status, line_before, note) in found.items():
        if line_before is None:
            result[code] = LineComparison(
                status, None, note=note, renamed_from=renamed.get(code, "")
            )
            continue
        change = changes[code]
        share = percent(change, line_before.amount)
        flagged = code in largest or (share is not None and abs(share) >= FLAG_PERCENT)
        result[code] = LineComparison(status, _previous(line_before), change, share, note, flagged)
    used = {found_line.code for _status, found_line, _note in found.values() if found_line}
    current_of = {
        found_line.pk: code
        for code, (_status, found_line, _note) in found.items()
        if found_line is not None
    }
    removed: dict[str, list[Previous]] = {}
    for line in before.values():
        if line.code not in used:
            under = current_of.get(line.parent_id, "") if line.parent_id else ""
            removed.setdefault(under, []).append(_previous(line))
    total_change = plan.total_amount - previous_plan_.total_amount
    return PlanComparison(
        previous_year=previous_plan_.fiscal_year,
        previous_title=previous_plan_.title,
        previous_total=previous_plan_.total_amount,
        total_change=total_change,
        total_change_percent=percent(total_change, previous_plan_.total_amount),
        lines=result,
        removed=removed,
    )


def load_matches(plan: Plan, path: Path) -> str:
    """Replace the plan's matches with those of a comparison.toml: `[[match]]` entries with
    `code` (this plan's line), `previous` (the previous plan's line) and a public `note`."""
    previous = _earlier_in_database(plan)
    if previous is None:
        raise MatchError(f"{path}: {plan.slug} has no previous plan of {plan.agency} loaded")
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("match", [])
    lines = {line.code: line for line in BudgetLine.objects.in_plan(plan)}
    before = {line.code: line for line in BudgetLine.objects.in_plan(previous)}
    matches = []
    for entry in entries:
        line, earlier = lines.get(entry.get("code")), before.get(entry.get("previous"))
        if line is None or earlier is None or not str(entry.get("note", "")).strip():
            raise MatchError(
                f"{path}: {entry} names no line of {plan.slug} or of "
                f"{previous.slug}, or has no note"
            )
        matches.append(BudgetLineMatch(line=line, previous=earlier, note=entry["note"]))
    if len({m.line_id for m in matches}) != len(matches) or len(
        {m.previous_id for m in matches}
    ) != len(matches):
        raise MatchError(f"{path}: a line is matched twice")
    wanted = {(m.line_id, m.previous_id, m.note) for m in matches}
    existing = set(
        BudgetLineMatch.objects.filter(line__plan=plan).values_list(
            "line_id", "previous_id", "note"
        )
    )
    summary = f"{len(matches)} 筆跨年度對應（{previous.fiscal_year} 年度）"
    if wanted == existing:
        return f"{summary}，沒有變更"
    with transaction.atomic():
        BudgetLineMatch.objects.filter(line__plan=plan).delete()
        BudgetLineMatch.objects.bulk_create(matches)
        Plan.objects.filter(pk=plan.pk).update(data_updated_at=timezone.now())
        published.changed()
        tags.purge(tags.changed_keys(plan, [plan]))
    return summary


def _earlier_in_database(plan: Plan) -> Plan | None:
    return (
        Plan.objects.published()
        .filter(agency=plan.agency, fiscal_year__lt=plan.fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )
