"""A citizen's path through the site in headless Chromium, with axe-core on every page type.

Run alone with `pytest -m browser`. Screenshots at 390 px and 1280 px go to artifacts/.
Needs Debian's chromium and fonts-noto-cjk (see .ci/run); skipped where chromium is absent.
"""

import re

import pytest

from plan.reading.formatting import amount_text
from tests.support.browser import screenshot

PAGE_TYPES = {
    "home": "/",
    "tree": "/114/budget/",
    "category": "/114/budget/2/",
    "item": "/114/budget/2-2/",
    "subitem": "/114/budget/2-2-3/",
    "measure": "/114/measures/2-2-10-m2/",
    "goals": "/114/goals/",
    "goal": "/114/goals/6/",
    "about": "/114/about/",
    "search": "/114/search/?q=%E8%A9%90%E6%AC%BA",
    "search-empty": "/114/search/",
    "open-data": "/114/open-data/",
    "not-found": "/114/budget/no-such-line/",
    "glossary": "/114/glossary/",
    "accessibility": "/114/accessibility/",
    "site-map": "/114/site-map/",
    "privacy": "/114/privacy/",
    "open-data-licence": "/114/open-data-licence/",
    "contact": "/114/contact/",
    "embed": "/114/embed/budget/2-2/",
    "changes": "/114/changes/",
    "en-home": "/en/114/",
    "en-subitem": "/en/114/budget/2-2-3/",
    "en-goal": "/en/114/goals/6/",
    "en-search": "/en/114/search/?q=%E8%A9%90%E6%AC%BA",
    "en-budget-table": "/en/114/budget/lines/",
    "en-open-data": "/en/114/open-data/",
    "en-contact": "/en/114/contact/",
    "en-privacy": "/en/114/privacy/",
    "en-not-found": "/en/114/budget/no-such-line/",
}


def number_in(text: str) -> str:
    match = re.search(r"[\d,]+", text)
    assert match, text
    return match.group(0)


def test_a_citizen_walks_from_home_to_a_measure(page, served, plan):
    from plan.models import BudgetLine, Measure

    category = BudgetLine.objects.get(code="2")
    item = BudgetLine.objects.get(code="2-2")
    subitem = BudgetLine.objects.get(code="2-2-3")
    measure = Measure.objects.get(code="2-2-3-m7")

    page.goto(served + "/")
    assert page.locator("h1").inner_text() == plan.title
    assert amount_text(plan.total_amount) in page.locator(".figure").inner_text()
    screenshot(page, "home")

    page.get_by_role("table").get_by_role("link", name=category.label).click()
    page.wait_for_url(f"**{category.get_absolute_url()}")
    assert page.locator("h1").inner_text() == category.label
    assert number_in(page.locator(".figure .exact").first.inner_text()) == amount_text(
        category.amount
    )
    screenshot(page, "category")

    page.locator("#children").scroll_into_view_if_needed()
    page.get_by_role("table").get_by_role("link", name=item.label).click()
    page.wait_for_url(f"**{item.get_absolute_url()}")
    rows = page.locator("table tbody tr")
    assert rows.count() == item.children.count()
    row = page.locator("table tbody tr", has_text=subitem.label)
    assert "688" in row.inner_text() and "推算" in row.inner_text()
    screenshot(page, "item")

    row.get_by_role("link", name=subitem.label).click()
    page.wait_for_url(f"**{subitem.get_absolute_url()}")
    assert page.locator(".tag", has_text="推算").is_visible()
    assert page.locator(".measure").count() == subitem.measures.count()
    screenshot(page, "subitem")

    anchor = page.locator(f"#m-{measure.code}")
    anchor.get_by_role("link", name="這個計畫項目的頁面").click()
    page.wait_for_url(f"**{measure.get_absolute_url()}")
    assert page.locator("h1").inner_text() == measure.label
    page.get_by_role("link", name=subitem.label).last.click()
    page.wait_for_url(f"**{subitem.get_absolute_url()}#m-{measure.code}")
    # The permalink opens scrolled to the measure.
    assert (
        page.evaluate(f"document.getElementById('m-{measure.code}').getBoundingClientRect().top")
        < 200
    )


def test_sorting_the_children_table_by_amount(page, served):
    page.goto(served + "/114/budget/2-2/")
    page.get_by_role("link", name="金額", exact=True).click()
    page.wait_for_url("**sort=amount*")
    first = page.locator("table tbody tr").first.inner_text()
    assert "(三)外事業務" in first
    page.get_by_role("link", name=re.compile("^金額")).click()
    page.wait_for_url("**sort=-amount*")
    assert "(一)後勤業務" in page.locator("table tbody tr").first.inner_text()
    assert page.locator("th[aria-sort=descending]").count() == 1


def test_the_source_disclosure_shows_the_original_lines(page, served):
    page.goto(served + "/114/measures/2-2-10-m2/")
    details = page.locator("details.source")
    assert not details.locator(".source-lines").is_visible()
    details.locator("summary").click()
    assert details.locator(".source-lines").is_visible()
    assert "1.加強防情值勤。" in details.inner_text()


def test_the_tree_expands_without_javascript(browser, served):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(served + "/114/budget/")
    subitem = page.get_by_role("link", name="(三)外事業務")
    assert not subitem.is_visible()
    page.locator("summary", has_text="二、勤業務管理的下一層").click()
    assert subitem.is_visible()
    context.close()


def test_tables_scroll_inside_their_box_not_the_page(page, served):
    for path in ("/", "/114/budget/2-2/", "/114/about/"):
        page.goto(served + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_passes_axe(page, served, name):
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(served + PAGE_TYPES[name])
    assert response.status == (404 if name.endswith("not-found") else 200)
    for details in page.locator("details").all()[:3]:
        details.evaluate("element => element.open = true")
    results = Axe().run(page)
    screenshot(page, f"axe-{name}")
    assert results.violations_count == 0, results.generate_report()


def test_council_staff_search_filter_sort_and_export_xlsx(page, served, tmp_path):
    from openpyxl import load_workbook

    page.goto(served + "/")
    if page.width_name == "phone":  # one tap on 搜尋 in the header, then the search page's box
        page.get_by_role("banner").get_by_role("link", name="搜尋").click()
        page.wait_for_url("**/search/")
        box = page.get_by_role("search", name="搜尋與篩選")
    else:
        box = page.get_by_role("search", name="全站搜尋")
    box.get_by_role("searchbox").fill("詐欺")
    box.get_by_role("button", name="搜尋").click()
    page.wait_for_url("**/search/?q=*")
    assert "找到 7 筆" in page.locator("h2#results").inner_text()
    assert page.locator("table.search-results mark").first.inner_text() == "詐欺"

    page.get_by_label("預算類別").select_option(label="肆、大隊業務")
    page.get_by_role("search", name="搜尋與篩選").get_by_role("button", name="搜尋").click()
    page.wait_for_url("**category=4*")
    rows = page.locator("table.search-results tbody tr")
    assert rows.count() == 2
    if page.width_name == "phone":  # the cards have no header row: the form sorts
        page.get_by_label("排序").select_option(label="預算金額由高到低")
        page.get_by_role("search", name="搜尋與篩選").get_by_role("button", name="搜尋").click()
    else:
        page.get_by_role("link", name="金額（千元）").click()
    page.wait_for_url("**sort=-amount*")
    names = [row.locator("th a").inner_text() for row in rows.all()]
    assert names == ["(七)防制幫派組織犯罪工作", "(十二)查緝詐欺案件"]
    screenshot(page, "search-filtered")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel（XLSX）").click()
    path = tmp_path / "results.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path).active
    header, *values = list(sheet.iter_rows(values_only=True))
    records = [dict(zip(header, row, strict=True)) for row in values]
    assert [record["name"] for record in records] == names
    # Two measures of one line: the line's amount, named as the line's, and none of their own.
    assert all(record["budget_line_amount"] == 101_090 for record in records)
    assert all(record["amount"] is None for record in records)
