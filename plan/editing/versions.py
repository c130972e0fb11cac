"""Which version of a plan a record belongs to, as the admin names it, and links from the
integrity findings of a version to the records to fix."""

from django.urls import reverse

from plan.models import BudgetLine, Plan

from .integrity import Finding


def version_label(plan: Plan) -> str:
    """「114 年度（已發布）」 or 「114 年度修正草稿 #3」 (the plan's draft row is fetched along
    with `select_related("draft")`)."""
    if plan.published:
        return f"{plan.fiscal_year} 年度（已發布）"
    draft = getattr(plan, "draft", None)
    kind = "修正草稿" if draft is None or draft.base_id else "新計畫草稿"
    return f"{plan.fiscal_year} 年度{kind} #{draft.pk if draft else '?'}"


def linked_problems(plan: Plan, findings: list[Finding]) -> list[tuple[str, str]]:
    """(admin url, message) of each finding: the budget line it names in this version, or the
    plan record for the total."""
    codes = {finding.code for finding in findings if finding.code}
    lines = dict(BudgetLine.objects.in_plan(plan).filter(code__in=codes).values_list("code", "pk"))
    plan_url = reverse("admin:plan_plan_change", args=[plan.pk])
    linked = []
    for finding in findings:
        pk = lines.get(finding.code)
        url = reverse("admin:plan_budgetline_change", args=[pk]) if pk else plan_url
        linked.append((url, finding.message))
    return linked
