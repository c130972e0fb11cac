"""The pages as a phone and a desk show them: every amount on screen, a compact header, targets
big enough to tap, and a 目 page that prints with its 原文.

Each test runs at 360 and 390 px (phones) and 1280 px (a desk); screenshots go to artifacts/.
"""

import pytest

from tests.support.browser import ARTIFACTS, LAYOUT_WIDTHS, screenshot

# Every page type that shows amounts; details are opened first, so folded amounts count too.
PAGES_WITH_AMOUNTS = {
    "home": "/114/",
    "tree": "/114/budget/",
    "category": "/114/budget/4/",
    "item": "/114/budget/2-2/",
    "subitem": "/114/budget/2-2-3/",
    "measure": "/114/measures/2-2-3-m1/",
    "goal": "/114/goals/6/",
    "search": "/114/search/?q=%E8%A9%90%E6%AC%BA",
    "open-data": "/114/open-data/",
}

# Every number on the page (7,641,832 / 688 千元 / 76.4 億元 / 65.2% / a line number), each
# measured on its own: none may lie outside the screen or outside a box that clips it.
OFF_SCREEN_AMOUNTS = """() => {
  const amount = /\\d{1,3}(,\\d{3})+|\\d+(\\.\\d+)?\\s*(千元|萬元|億元|元|%)|\\d+/g;
  const viewport = document.documentElement.clientWidth;
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (element.closest(".visually-hidden")) continue;
    let left = 0, right = viewport;  // what of the page the reader can see around this text
    for (let box = element; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") {
        const rect = box.getBoundingClientRect();
        left = Math.max(left, rect.left);
        right = Math.min(right, rect.right);
      }
    }
    for (const match of node.textContent.matchAll(amount)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && (rect.left < left - 1 || rect.right > right + 1)) {
          found.push(`${match[0]} at ${Math.round(rect.left)}-${Math.round(rect.right)} px, ` +
                     `visible ${Math.round(left)}-${Math.round(right)}`);
        }
      }
    }
  }
  return found;
}"""

TAP_TARGETS = ".site-nav a, .search-link, .breadcrumbs a, a.sort, .permalink, .measure-link"


@pytest.fixture(params=LAYOUT_WIDTHS)
def sized_page(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 800}, locale="zh-TW")
    page = context.new_page()
    yield page
    context.close()


def open_all_details(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize("name", list(PAGES_WITH_AMOUNTS))
def test_no_amount_is_outside_the_screen(sized_page, served, name):
    page = sized_page
    assert page.goto(served + PAGES_WITH_AMOUNTS[name]).status == 200
    open_all_details(page)
    screenshot(page, f"layout-{name}")
    assert page.evaluate(OFF_SCREEN_AMOUNTS) == []
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"the page scrolls sideways by {sideways} px"


# The pages a government website is expected to have: long text, definition lists, footers.
POLICY_PAGES = {
    "privacy": "/114/privacy/",
    "open-data-licence": "/114/open-data-licence/",
    "accessibility": "/114/accessibility/",
    "site-map": "/114/site-map/",
}


@pytest.mark.parametrize("name", list(POLICY_PAGES))
def test_the_policy_pages_fit_the_screen(sized_page, served, name):
    page = sized_page
    assert page.goto(served + POLICY_PAGES[name]).status == 200
    open_all_details(page)
    screenshot(page, f"policy-{name}")
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"the page scrolls sideways by {sideways} px"


def test_the_finder_notices_an_amount_pushed_off_screen(sized_page, served):
    page = sized_page
    page.goto(served + "/114/budget/2-2/")
    page.evaluate(
        "document.querySelectorAll('.split-table td.num')"
        ".forEach(cell => { cell.style.position = 'relative'; cell.style.left = '2000px'; })"
    )
    assert page.evaluate(OFF_SCREEN_AMOUNTS)


# The English header says more in the same space: the agency's English name, a short title,
# 中文 and Search still take one row above the sections.
@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize(("prefix", "search"), [("", "搜尋"), ("/en", "Search")])
def test_the_phone_header_is_short_and_search_is_one_tap_away(
    browser, served, width, prefix, search
):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-TW")
    page = context.new_page()
    page.goto(served + prefix + "/114/budget/2-2-3/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 120
    assert page.evaluate("document.querySelector('header.site-header').scrollWidth") <= width
    nav_tops = {round(link.bounding_box()["y"]) for link in page.locator(".site-nav a").all()}
    assert len(nav_tops) == 1, "the four sections wrap onto a second row"
    title_lines = page.evaluate(
        "() => { const title = document.querySelector('.brand-title');"
        " return title.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(title).lineHeight); }"
    )
    assert round(title_lines) == 1, "the plan's title breaks onto a second line"
    page.get_by_role("banner").get_by_role("link", name=search).click()
    page.wait_for_url(f"**{prefix}/114/search/")
    assert page.get_by_role("searchbox").first.is_visible()
    context.close()


@pytest.mark.parametrize(
    "path", ["/114/budget/2-2/", "/114/budget/2-2-3/", "/114/measures/2-2-3-m1/"]
)
def test_nav_breadcrumb_sort_and_permalink_targets_are_44_px(sized_page, served, path):
    page = sized_page
    page.goto(served + path)
    targets = [link for link in page.locator(TAP_TARGETS).all() if link.is_visible()]
    assert len(targets) >= 6
    small = []
    for link in targets:
        box = link.bounding_box()
        if box["width"] < 44 or box["height"] < 44:
            small.append((link.inner_text(), round(box["width"]), round(box["height"])))
    assert small == []


def test_a_subitem_prints_with_its_original_text_and_address(browser, served):
    context = browser.new_context(viewport={"width": 794, "height": 1123}, locale="zh-TW")
    page = context.new_page()
    page.goto(served + "/114/budget/2-2-3/")
    page.emulate_media(media="print")
    original = page.locator("details.source .source-lines").first
    assert original.is_visible()
    assert "外國駐華機構" in original.inner_text()
    footer = page.locator("footer").inner_text()
    assert "/114/budget/2-2-3/" in footer and "資料最後更新" in footer
    for hidden in (".page-tools", ".source-more", ".contents", ".site-nav"):
        assert not page.locator(hidden).first.is_visible(), hidden
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "print-subitem.pdf"), format="A4")
    context.close()


# ---------------------------------------------------------------- search cards, sorting, pagers


def visible_texts(page, selector: str) -> list[str]:
    return [each.inner_text() for each in page.locator(selector).all() if each.is_visible()]


def test_search_cards_show_no_lone_header_and_no_empty_amount_on_a_phone(sized_page, served):
    page = sized_page
    page.goto(served + "/114/search/?q=%E7%9B%A3%E8%A6%96%E5%99%A8")  # 監視器
    screenshot(page, "layout-search-cards")
    phone = page.viewport_size["width"] < 768
    header = page.locator(".search-results thead")
    measure_amounts = visible_texts(page, ".search-results td.num")
    if phone:
        assert not header.is_visible()
        # A card shows its budget line's amount as 「所屬預算」, never an empty amount cell.
        assert measure_amounts == []
        assert visible_texts(page, ".search-results .budget-line-of")
    else:
        assert "金額（千元）" in header.inner_text()
        assert "無個別金額" in measure_amounts
    # Sorting stays at hand in the search form either way.
    assert page.get_by_label("排序").is_visible()


SORT_LOOK = """(link) => {
  const s = getComputedStyle(link);
  return [s.borderTopWidth, s.borderRadius, s.fontSize, s.paddingLeft, s.color,
          s.textDecorationLine, s.display];
}"""


def test_sort_controls_look_and_read_the_same_on_home_and_the_budget_table(sized_page, served):
    page = sized_page
    phone = page.viewport_size["width"] < 768
    looks, hints = [], []
    for path in ("/114/", "/114/budget/lines/"):
        page.goto(served + path)
        links = page.locator("thead a.sort")
        assert links.count() >= 3, path
        looks.append(links.first.evaluate(SORT_LOOK))
        label = links.first.evaluate("(a) => getComputedStyle(a.closest('tr'), '::before').content")
        assert label == ('"排序："' if phone else "none"), path
        hints.append(visible_texts(page, ".sort-hint"))
    assert looks[0] == looks[1]
    # The hint speaks of column names: shown only where the links are column names.
    expected = [] if phone else ["；點選欄名可排序，再點一次反向"]
    assert hints == [expected, expected]


def test_previous_and_next_stack_on_a_phone_and_sit_side_by_side_on_a_desk(sized_page, served):
    page = sized_page
    page.goto(served + "/114/goals/4/")
    boxes = [link.bounding_box() for link in page.locator("nav.pager a").all()]
    assert len(boxes) == 3
    if page.viewport_size["width"] < 768:
        pager = page.locator("nav.pager").bounding_box()
        assert len({round(box["x"]) for box in boxes}) == 1
        assert all(abs(box["width"] - pager["width"]) < 1 for box in boxes)  # full width
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
        assert all(box["height"] >= 44 for box in boxes)
    else:
        assert len({round(box["y"]) for box in boxes}) == 1
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
