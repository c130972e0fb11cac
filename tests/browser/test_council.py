"""The council staff's pages in headless Chromium: the budget table, search by budget line and
its fallback, the API page, citations; axe-core on each, no sideways scrolling on a phone, and
every amount on screen. Screenshots at 360, 390 and 1280 px go to artifacts/.

Fixtures and the skip where Debian's chromium is absent: tests/browser/conftest.py.
"""

import pytest
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS

WIDTHS = {"small-phone": 360, "phone": 390, "desktop": 1280}

PAGES = {
    "budget-table": "/114/budget/lines/",
    "budget-table-filtered": "/114/budget/lines/?category=2&level=subitem&sort=-amount",
    "tree-open": "/114/budget/?open=all",
    "search-grouped": "/114/search/?q=%E8%AF%88%E9%AA%97&group=line",  # 诈骗
    "search-flat": "/114/search/?q=%E8%A9%90%E6%AC%BA",  # 詐欺
    "search-fallback": "/114/search/?q=%E8%A9%90%E9%A8%99%E9%9B%86%E5%9C%98%E9%98%B2%E5%88%B6",
    "search-nothing": "/114/search/?q=xyzzy",
    "api": "/114/open-data/api/",
    "line-citation": "/114/budget/2-2-3/",
    "measure-citation": "/114/measures/2-2-3-m1/",
}


@pytest.fixture(params=list(WIDTHS))
def page(request, browser):
    context = browser.new_context(
        viewport={"width": WIDTHS[request.param], "height": 900}, locale="zh-TW"
    )
    page = context.new_page()
    page.width = WIDTHS[request.param]
    yield page
    context.close()


def open_citation(page) -> None:
    for details in page.locator("details.citation").all():
        details.evaluate("element => element.open = true")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_new_page_passes_axe_and_never_scrolls_sideways(page, served, name):
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(served + PAGES[name])
    assert response.status == 200
    open_citation(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"council-{name}-{page.width}.png", full_page=True)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {page.width}px"
    if page.width != 360:  # axe's verdict does not depend on the width; two are enough
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


def visible_within_the_screen(page, selector: str) -> list[str]:
    """The texts of the elements matching `selector` that lie outside the screen's width."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width === 0 || r.right > window.innerWidth + 1 || r.left < 0; })
            .map(e => e.textContent.trim())""",
        selector,
    )


@pytest.mark.parametrize(
    ("name", "selector"),
    [
        ("budget-table", ".budget-table td.amount"),
        ("search-flat", ".search-results .line-amount"),
        ("search-grouped", ".search-results .group-amount"),
    ],
)
def test_on_a_phone_every_amount_is_on_the_screen(browser, served, name, selector):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    phone = context.new_page()
    phone.goto(served + PAGES[name])
    assert phone.locator(selector).count() > 0
    assert visible_within_the_screen(phone, selector) == []
    context.close()


def test_sorting_and_filtering_the_table_by_clicking(page, served):
    page.goto(served + "/114/budget/lines/")
    page.get_by_label("層級").select_option(label="項")
    page.get_by_role("button", name="篩選").click()
    page.wait_for_url("**level=item*")
    page.get_by_role("link", name="金額（千元）").click()
    page.wait_for_url("**sort=amount*")
    page.get_by_role("link", name="金額（千元）").click()
    page.wait_for_url("**sort=-amount*")
    first = page.locator("table.budget-table tbody tr").first
    assert "一、一般行政" in first.inner_text() and "7,256,150" in first.inner_text()
    assert "合計 11,722,205 千元" in page.locator(".table-summary").inner_text()


def test_the_tree_opens_every_level_without_javascript(browser, served):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(served + "/114/budget/")
    subitem = page.get_by_role("link", name="(三)外事業務")
    assert not subitem.is_visible()
    # Each link loads a new page: wait for it, then let the check retry until it is parsed.
    page.get_by_role("link", name="全部展開").click()
    page.wait_for_url("**open=all")
    expect(subitem).to_be_visible()
    page.get_by_role("link", name="全部收合").click()
    page.wait_for_url("**open=none")
    expect(page.get_by_role("link", name="二、勤業務管理")).to_be_hidden()
    context.close()


def test_the_citation_can_be_selected_whole_for_copying(page, served):
    page.goto(served + "/114/budget/2-2-3/")
    page.locator("details.citation summary").click()
    area = page.locator("textarea.citation-text")
    area.focus()
    page.keyboard.press("Control+A")
    selected = page.evaluate(
        "() => { const a = document.activeElement;"
        " return a.value.substring(a.selectionStart, a.selectionEnd); }"
    )
    assert selected.startswith("高雄市政府警察局，《")
    assert selected.endswith("/114/budget/2-2-3/")
    assert "688 千元" in selected
