"""Every budget line and measure page offers a ready citation for a council memo: what it is,
its amount (and whose), where the source prints it, the data date and the page's address."""

import pytest
from django.conf import settings
from django.utils import timezone

from plan.document.provenance import line_source
from plan.models import BudgetLine, Measure
from tests.support.html import parse

pytestmark = pytest.mark.django_db


def citation(client, url: str) -> str:
    page = parse(client.get(url).content.decode())
    details = page.find("details", class_="citation")
    assert "引用這一項" in details.find("summary").text()
    area = details.find("textarea")
    assert "readonly" in area.attrs
    label = details.find("label")
    assert label.attrs["for"] == area.attrs["id"]
    return area.text().strip()


def data_date(plan) -> str:
    moment = timezone.localtime(plan.data_updated_at)
    return f"資料日期：{moment.year} 年 {moment.month} 月 {moment.day} 日。"


@pytest.mark.parametrize("code", ["2", "2-2", "2-2-3", "4-4", "6-1"])
def test_a_budget_line_citation_names_it_its_amount_its_source_and_its_address(client, plan, code):
    line = BudgetLine.objects.get(plan=plan, code=code)
    text = citation(client, line.get_absolute_url())
    assert text.startswith(f"{plan.agency}，《{plan.title}》，預算項目「{line.label}」")
    assert f"代碼 {code}" in text
    assert f"{plan.fiscal_year} 年度預算 {line.amount:,} 千元" in text
    assert ("推算" in text) == line.is_derived
    for excerpt in line_source(plan, line):
        assert f"{excerpt.label}{excerpt.range_label}" in text
    assert f"{settings.SITE_URL}/114/about/source.txt" in text
    assert data_date(plan) in text
    assert text.endswith(f"網址：{settings.SITE_URL}{line.get_absolute_url()}")


def test_the_derived_amount_is_cited_as_derived(client, plan):
    text = citation(client, "/114/budget/2-2-3/")
    assert "688 千元（68.8 萬元），原文未印此金額，由本站以上層金額減去其餘各項推算" in text


@pytest.mark.parametrize("code", ["1-1-m1", "2-2-3-m1", "4-4-m1"])
def test_a_measure_citation_gives_the_amount_as_its_budget_lines(client, plan, code):
    measure = Measure.objects.select_related("budget_line").get(plan=plan, code=code)
    line = measure.budget_line
    text = citation(client, measure.get_absolute_url())
    assert f"計畫項目「{measure.label}」（代碼 {code}），屬於預算項目「{line.label}」" in text
    assert f"該預算項目 {plan.fiscal_year} 年度預算 {line.amount:,} 千元" in text
    assert "原文未再把金額分到各計畫項目" in text
    first, last = measure.source_start_line, measure.source_end_line
    lines = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    assert f"出處：原文{lines}" in text
    assert text.endswith(f"網址：{settings.SITE_URL}{measure.get_absolute_url()}")


def test_the_citation_follows_an_edit(client, plan):
    line = BudgetLine.objects.get(plan=plan, code="6-1")
    line.name = "第一預備金（修正）"
    line.save()
    assert f"預算項目「{line.label}」" in citation(client, "/114/budget/6-1/")
    assert line.label.endswith("第一預備金（修正）")
