"""Integrity checks on a loaded plan: counts, sums, derived amounts, orphans, empty records.

`checkplan` prints these and the admin's integrity panel shows the broken sums, so the
rules live here once.
"""

from dataclasses import dataclass

from plan.content.outline import walk
from plan.document.rules import sum_differs
from plan.models import BudgetLine, Measure, Plan, PolicyGoal, TreeNode
from plan.reading.formatting import amount_text

EXPECTED_GOALS = 19

PARENT_LEVEL = {
    BudgetLine.Level.CATEGORY: None,
    BudgetLine.Level.ITEM: BudgetLine.Level.CATEGORY,
    BudgetLine.Level.SUBITEM: BudgetLine.Level.ITEM,
}


class Kind:
    """What a finding is about; `broken_sums` picks the SUM findings that failed."""

    GOALS = "goals"
    TOTAL = "total"
    LEVEL = "level"
    RECORD = "record"
    SUM = "sum"
    DERIVED = "derived"
    SUMMARY = "summary"


@dataclass(frozen=True)
class Finding:
    ok: bool
    message: str
    kind: str = Kind.RECORD
    code: str = ""  # the budget line to fix, where the finding is about one


def check_plan(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    findings += _check_goals(plan)
    tree = BudgetLine.objects.in_plan(plan).as_tree()
    findings += _check_total(plan, tree)
    findings += _check_tree(tree)
    findings += _check_measures(plan)
    return findings


def _check_goals(plan: Plan) -> list[Finding]:
    goals = list(PolicyGoal.objects.in_plan(plan))
    numbers = [goal.number for goal in goals]
    findings = [
        Finding(
            numbers == list(range(1, EXPECTED_GOALS + 1)),
            f"施政計畫提要 {len(goals)} 項（應為 1 至 {EXPECTED_GOALS} 項，編號連續）",
            Kind.GOALS,
        )
    ]
    empty = [goal.number for goal in goals if not goal.text.strip()]
    findings.append(Finding(not empty, f"空白的提要：{empty or '無'}", Kind.GOALS))
    return findings


def _check_total(plan: Plan, tree: list[TreeNode]) -> list[Finding]:
    amounts = [node.line.amount for node in tree]
    total = sum(amount or 0 for amount in amounts)
    return [
        Finding(bool(tree), f"預算類別 {len(tree)} 類", Kind.TOTAL),
        Finding(
            None not in amounts and total == plan.total_amount,
            f"各類合計 {amount_text(total)} 千元，計畫總額 {amount_text(plan.total_amount)} 千元",
            Kind.TOTAL,
        ),
    ]


def _check_tree(tree: list[TreeNode]) -> list[Finding]:
    findings = []
    sums_checked = derived = 0
    for node, parent in walk(tree):
        line = node.line
        expected_parent = PARENT_LEVEL.get(line.level)
        actual_parent = parent.line.level if parent else None
        if actual_parent != expected_parent:
            findings.append(
                Finding(
                    False,
                    f"{line.label}（{line.code}）層級不符：上層為 {actual_parent}",
                    Kind.LEVEL,
                )
            )
        if not line.name.strip():
            findings.append(Finding(False, f"預算項目 {line.code} 沒有名稱"))
        if line.amount is None and line.amount_source:
            findings.append(Finding(False, f"{line.label} 無金額卻標示來源"))
        children = [child.line for child in node.children]
        if children and all(child.amount is not None for child in children):
            sums_checked += 1
            total = sum_differs(line.amount, [child.amount for child in children])
            if total is not None:
                # A mismatch printed in the source itself is published as it is, with a note.
                marked = line.sum_differs_in_source
                findings.append(
                    Finding(
                        marked,
                        f"{line.label}（{line.code}）{amount_text(line.amount)} 千元 ≠ "
                        f"下層合計 {amount_text(total)} 千元"
                        + ("（原文如此，已加編者註）" if marked else ""),
                        Kind.SUM,
                        line.code,
                    )
                )
        if line.is_derived:
            derived += 1
            siblings = [sibling.line for sibling in (parent.children if parent else [])]
            others = sum(s.amount or 0 for s in siblings if s.pk != line.pk)
            implied = parent.line.amount - others if parent and parent.line.amount else None
            ok = implied == line.amount and not any(
                s.amount is None for s in siblings if s.pk != line.pk
            )
            implied_text = amount_text(implied) if implied is not None else "無法推算"
            findings.append(
                Finding(
                    ok,
                    f"推算金額：{line.label}（{line.code}）{amount_text(line.amount)} 千元"
                    f"＝上層減其餘各項（{implied_text}）",
                    Kind.DERIVED,
                    line.code,
                )
            )
    findings.append(
        Finding(True, f"檢查加總 {sums_checked} 處、推算金額 {derived} 筆", Kind.SUMMARY)
    )
    return findings


def _check_measures(plan: Plan) -> list[Finding]:
    measures = Measure.objects.in_plan(plan).select_related("budget_line")
    findings = []
    count = 0
    for measure in measures:
        count += 1
        if measure.budget_line.plan_id != plan.pk:
            findings.append(Finding(False, f"計畫項目 {measure.code} 所屬預算項目不在本計畫"))
        if not measure.name.strip():
            findings.append(Finding(False, f"計畫項目 {measure.code} 沒有名稱"))
        if not (measure.objectives.strip() or measure.approach.strip() or measure.editor_note):
            findings.append(Finding(False, f"計畫項目 {measure.label}（{measure.code}）沒有內容"))
    findings.append(Finding(count > 0, f"計畫項目 {count} 項", Kind.SUMMARY))
    return findings


def broken_sums(plan: Plan | None = None) -> list[Finding]:
    """Every parent whose amount differs from the sum of its children (all plans by default)."""
    plans = [plan] if plan else list(Plan.objects.published())
    problems = []
    for each in plans:
        problems += [
            finding
            for finding in _check_tree(BudgetLine.objects.in_plan(each).as_tree())
            if not finding.ok and finding.kind == Kind.SUM
        ]
    return problems
