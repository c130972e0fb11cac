"""A ready citation for a budget line or a measure, for a council memo: what it is, its amount
(saying whose amount it is and whether it is derived), where in the source it was printed, the
data date and the page's address."""

from django.utils import timezone

from plan.addresses.links import absolute_url
from plan.addresses.year_prefix import year_reverse
from plan.reading.formatting import amount_reading, amount_text


def _data_date(plan) -> str:
    if plan.data_updated_at is None:
        return ""
    moment = timezone.localtime(plan.data_updated_at)
    return f"資料日期：{moment.year} 年 {moment.month} 月 {moment.day} 日。"


def _amount(line) -> str:
    if line.amount is None:
        return "原文未列金額"
    text = f"{amount_text(line.amount)} 千元（{amount_reading(line.amount)}）"
    if line.is_derived:
        text += "，原文未印此金額，由本站以上層金額減去其餘各項推算"
    return text


def _source(plan, where: str) -> str:
    """Where in the source text, as the site publishes it."""
    url = absolute_url(year_reverse(plan.fiscal_year, "plan:source-text"))
    return f"出處：原文{where}（{url}）。"


def _path(lineage) -> str:
    return " > ".join(each.label for each in lineage)


def budget_line_citation(plan, line, excerpts) -> str:
    """`excerpts`: the line's source excerpts (plan/provenance.line_source)."""
    where = "、".join(f"{excerpt.label}{excerpt.range_label}" for excerpt in excerpts)
    return (
        f"{plan.agency}，《{plan.title}》，預算項目「{line.label}」"
        f"（{_path(line.lineage)}；代碼 {line.code}），"
        f"{plan.fiscal_year} 年度預算 {_amount(line)}。"
        f"{_source(plan, where)}"
        f"{_data_date(plan)}網址：{absolute_url(line.get_absolute_url())}"
    )


def measure_citation(plan, measure, line) -> str:
    first, last = measure.source_start_line, measure.source_end_line
    lines = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    return (
        f"{plan.agency}，《{plan.title}》，計畫項目「{measure.label}」（代碼 {measure.code}），"
        f"屬於預算項目「{line.label}」（{_path(line.lineage)}）。"
        f"該預算項目 {plan.fiscal_year} 年度預算 {_amount(line)}；"
        "原文未再把金額分到各計畫項目。"
        f"{_source(plan, lines)}"
        f"{_data_date(plan)}網址：{absolute_url(measure.get_absolute_url())}"
    )
