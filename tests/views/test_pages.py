"""Every public page answers, and shows what a reader would check: the numbers, the links, the text.

Pages are read through a small HTML tree (tests/support/html.py) rather than matched as strings,
so the assertions follow what is on the page and survive harmless markup changes.
"""

import re
import tomllib
import warnings

import pytest
from django.conf import settings

from plan.addresses.year_prefix import year_reverse
from plan.document.folders import plan_folder
from plan.models import BudgetLine, Measure, PolicyGoal
from plan.reading.formatting import amount_text
from tests.support.html import Element, parse, squash

FOLDER = plan_folder("kcpd-114")

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- reading pages


def get_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def get_page(client, url: str) -> Element:
    return parse(get_html(client, url))


def main(page: Element) -> Element:
    return page.find("main")


def table_rows(table: Element) -> list[list[str]]:
    """The body rows of a table, each as the list of its cells' texts (without the 億/萬 readings
    that follow the exact 千元 amounts)."""
    body = table.find("tbody")
    return [[cell_text(cell) for cell in row.cells()] for row in body.find_all("tr")]


def cell_text(cell: Element) -> str:
    readings = "".join(small.text() for small in cell.find_all("small", class_="reading"))
    text = squash(cell.text())
    return squash(text[: len(text) - len(squash(readings))]) if readings else text


def table_with_caption(page: Element, caption: str) -> Element:
    tables = [t for t in page.find_all("table") if caption in t.find("caption").text()]
    assert len(tables) == 1, caption
    return tables[0]


def children_names(page: Element) -> list[str]:
    return [row[0] for row in table_rows(table_with_caption(page, "分為"))]


# ---------------------------------------------------------------- smoke test, every URL name

HTML_PAGES = [
    ("plan:home", {}),
    ("plan:budget-tree", {}),
    ("plan:budget-line-detail", {"code": "2"}),  # 類
    ("plan:budget-line-detail", {"code": "2-2"}),  # 項
    ("plan:budget-line-detail", {"code": "2-2-3"}),  # 目
    ("plan:budget-line-detail", {"code": "6-1"}),  # leaf without measures
    ("plan:measure-detail", {"code": "2-2-3-m1"}),
    ("plan:goal-list", {}),
    ("plan:goal-detail", {"number": 4}),
    ("plan:about", {}),
    ("plan:site-map", {}),
    ("plan:privacy", {}),
    ("plan:open-data-licence", {}),
    ("plan:contact", {}),
]
OTHER_PAGES = [
    ("plan:source-text", {}),
    ("robots", {}),
    ("sitemap", {}),
]


def _id(case):
    name, kwargs = case
    return name + "".join(f"[{value}]" for value in kwargs.values())


@pytest.mark.parametrize("case", HTML_PAGES + OTHER_PAGES, ids=_id)
def test_every_public_url_name_answers_200(client, plan, case):
    name, kwargs = case
    assert client.get(year_reverse(114, name, **kwargs)).status_code == 200


def meta(page: Element, key: str) -> str:
    found = [
        el.attrs.get("content") or ""
        for el in page.find_all("meta")
        if key in (el.attrs.get("name"), el.attrs.get("property"))
    ]
    assert len(found) == 1, key
    return found[0].strip()


@pytest.mark.parametrize("case", HTML_PAGES, ids=_id)
def test_every_html_page_has_the_shared_head_and_page_furniture(client, plan, case):
    name, kwargs = case
    url = year_reverse(114, name, **kwargs)
    html = get_html(client, url)
    page = parse(html)
    assert '<html lang="zh-Hant-TW">' in html
    assert len(page.find_all("h1")) == 1
    assert squash(page.find("title").text())
    for key in ("description", "og:title", "og:description", "og:url"):
        assert meta(page, key), key
    assert meta(page, "og:url") == f"{settings.SITE_URL}{url}"
    assert "#main" in page.links()
    assert page.find_all(id="main")
    assert "資料最後更新" in page.find("footer").text()


# ---------------------------------------------------------------- every record has a page


def test_every_budget_line_has_a_page_with_its_label_and_amount(client, plan):
    lines = list(BudgetLine.objects.filter(plan=plan))
    assert len(lines) == 42
    for line in lines:
        page = get_page(client, line.get_absolute_url())
        assert squash(page.find("h1").text()) == line.label, line.code
        assert amount_text(line.amount) in main(page).text(), line.code


def test_every_measure_has_a_page_with_its_label(client, plan):
    measures = list(Measure.objects.filter(plan=plan))
    assert len(measures) == 143
    for measure in measures:
        page = get_page(client, measure.get_absolute_url())
        assert squash(page.find("h1").text()) == measure.label, measure.code


def test_every_goal_has_a_page_with_its_number_and_text(client, plan):
    goals = list(PolicyGoal.objects.filter(plan=plan))
    assert len(goals) == 19
    for goal in goals:
        page = get_page(client, goal.get_absolute_url())
        heading = squash(page.find("h1").text())
        assert heading == f"提要{goal.ordinal.rstrip('、')} {goal.short_title}", goal.number
        assert 0 < len(goal.short_title) <= 12
        assert goal.text in main(page).text(), goal.number


def test_every_record_page_has_one_h1_a_title_and_a_description(client, plan):
    urls = [line.get_absolute_url() for line in BudgetLine.objects.filter(plan=plan)]
    urls += [measure.get_absolute_url() for measure in Measure.objects.filter(plan=plan)]
    urls += [goal.get_absolute_url() for goal in PolicyGoal.objects.filter(plan=plan)]
    for url in urls:
        page = get_page(client, url)
        assert len(page.find_all("h1")) == 1, url
        assert squash(page.find("title").text()), url
        for key in ("description", "og:title", "og:description"):
            assert meta(page, key), (url, key)


# ---------------------------------------------------------------- home

CATEGORY_ROWS = [
    ["壹、一般行政", "850,994", "7.3%"],
    ["貳、警政警衛實施", "430,018", "3.7%"],
    ["參、分局業務", "7,641,832", "65.2%"],
    ["肆、大隊業務", "2,373,026", "20.2%"],
    ["伍、警隊業務", "425,535", "3.6%"],
    ["陸、第一預備金", "800", "<0.1%"],
]


def test_home_shows_the_total_in_thousands_and_in_yi(client, plan):
    text = main(get_page(client, "/")).text()
    assert "11,722,205" in text
    assert "約 117.2 億元" in text


def test_home_lists_the_six_categories_with_amounts_and_shares(client, plan):
    page = get_page(client, "/")
    assert table_rows(table_with_caption(page, "各類預算")) == CATEGORY_ROWS


def test_home_categories_link_to_their_pages(client, plan):
    table = table_with_caption(get_page(client, "/"), "各類預算")
    assert table.find("tbody").links() == [f"/114/budget/{n}/" for n in range(1, 7)]


def test_home_escapes_the_tiny_share(client, plan):
    assert "&lt;0.1%" in get_html(client, "/")


def test_home_shows_each_category_once_with_a_bar_scaled_to_its_share(client, plan):
    page = get_page(client, "/")
    assert main(page).find_all("svg", role="img") == []  # no second chart of the same figures
    rows = table_with_caption(page, "各類預算").find("tbody").find_all("tr")
    widths = [float(row.find_all("rect")[1].attrs["width"]) for row in rows]
    # The track is the whole budget: each bar is as long as the category's share of it.
    assert widths[2] == pytest.approx(100 * 7_641_832 / 11_722_205, abs=0.01)
    assert widths[0] == pytest.approx(100 * 850_994 / 11_722_205, abs=0.01)


def test_home_reads_each_category_in_yi_and_per_resident(client, plan):
    page = get_page(client, "/")
    rows = table_with_caption(page, "各類預算").find("tbody").find_all("tr")
    assert squash(rows[2].find("small", class_="reading").text()) == "約 76.4 億元"
    text = squash(main(page).text())
    assert "平均每位市民約 4,292 元" in text and "負擔" not in text  # not read as a charge


def test_home_links_to_all_nineteen_goals(client, plan):
    links = main(get_page(client, "/")).links()
    goal_links = [href for href in links if re.fullmatch(r"/114/goals/\d+/", href)]
    assert sorted(set(goal_links)) == sorted(f"/114/goals/{n}/" for n in range(1, 20))
    assert len(goal_links) == 19


# ---------------------------------------------------------------- budget line 2-2 (a 項)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("2", "89 項計畫項目（含下層）"),
        ("2-2", "47 項計畫項目（含下層）"),
        ("2-2-3", "11 項計畫項目。"),
    ],
)
def test_a_budget_lines_description_counts_the_measures_under_it(client, plan, code, said):
    # A 類 lists no measure of its own; its shared link must not say it has none.
    page = get_page(client, f"/114/budget/{code}/")
    description = page.find("meta", name="description").attrs["content"]
    assert said in description and " 0 項計畫項目" not in description


def test_item_page_shows_its_name_and_amount(client, plan):
    page = get_page(client, "/114/budget/2-2/")
    assert squash(page.find("h1").text()) == "二、勤業務管理"
    assert "387,350" in main(page).text()


def test_item_page_breadcrumbs_lead_home_and_to_the_category(client, plan):
    crumbs = get_page(client, "/114/budget/2-2/").find("nav", class_="breadcrumbs")
    links = [(a.attrs["href"], squash(a.text())) for a in crumbs.find_all("a")]
    assert links == [("/114/", "首頁"), ("/114/budget/2/", "貳、警政警衛實施")]


def test_item_page_lists_its_eleven_children(client, plan):
    names = children_names(get_page(client, "/114/budget/2-2/"))
    assert len(names) == 11
    assert names[0] == "(一)後勤業務"
    assert names[-1] == "(十一)刑事鑑識業務"


def test_item_page_shows_its_share_of_the_parent(client, plan):
    figures = get_page(client, "/114/budget/2-2/").find("dl")
    pairs = dict(
        zip(
            [squash(dt.text()) for dt in figures.find_all("dt")],
            [squash(dd.text()) for dd in figures.find_all("dd")],
            strict=True,
        )
    )
    assert pairs["占上層"] == "90.1%"  # the lead names the parent: 屬於「貳、警政警衛實施」


def test_item_page_marks_the_derived_child_amount(client, plan):
    rows = table_rows(table_with_caption(get_page(client, "/114/budget/2-2/"), "分為"))
    derived = next(row for row in rows if row[0] == "(三)外事業務")
    assert "688" in derived[1]
    assert "推算" in derived[1]


def test_sorting_children_by_amount_descending_puts_the_largest_first(client, plan):
    names = children_names(get_page(client, "/114/budget/2-2/?sort=-amount"))
    assert names[:3] == ["(一)後勤業務", "(五)犯罪預防業務", "(八)勤指業務"]
    assert len(names) == 11


def test_sorting_children_by_amount_ascending_puts_the_derived_smallest_first(client, plan):
    names = children_names(get_page(client, "/114/budget/2-2/?sort=amount"))
    assert names[0] == "(三)外事業務"
    assert len(names) == 11


@pytest.mark.parametrize(
    "value",
    ["bogus", "x" * 2000, "+0.0", "line.name", "amount,bogus.x"],
    ids=["bogus", "2000-chars", "number", "dotted", "listed"],
)
def test_unknown_sort_values_keep_the_document_order(client, plan, value):
    known = "?sort=amount" if value.startswith("amount") else ""
    expected = children_names(get_page(client, f"/114/budget/2-2/{known}"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. tables2 reading the value as an accessor
        response = client.get("/114/budget/2-2/", {"sort": value})
    assert response.status_code == 200
    names = children_names(parse(response.content.decode()))
    assert len(names) == 11 and names == expected


# ---------------------------------------------------------------- budget line 2-2-3 (a 目)


def test_derived_subitem_says_derived_and_shows_the_editor_note(client, plan):
    text = squash(main(get_page(client, "/114/budget/2-2-3/")).text())
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    assert line.editor_note
    assert "推算" in text
    conclusion, reasoning = line.editor_note.split("。", 1)
    assert f"編者註：{squash(conclusion)}。" in text
    assert f"判斷依據{squash(reasoning)}" in text  # folded under its conclusion


def test_subitem_page_anchors_each_of_its_eleven_measures(client, plan):
    page = get_page(client, "/114/budget/2-2-3/")
    ids = [el.attrs["id"] for el in page.iter() if "id" in el.attrs]
    anchors = [id_ for id_ in ids if re.fullmatch(r"m-2-2-3-m\d+", id_)]
    assert anchors == [f"m-2-2-3-m{n}" for n in range(1, 12)]


def source_lines_shown(details: Element) -> dict[str, str]:
    """Line number -> text for each original line listed in a 原文 disclosure."""
    shown = {}
    for item in details.find_all("li"):
        number = item.find_all(class_="ln")
        if number:
            shown[squash(number[0].text())] = item.find("code").text()
    return shown


def test_subitem_source_disclosure_shows_the_original_line(client, plan):
    disclosures = get_page(client, "/114/budget/2-2-3/").find_all("details", class_="source")
    shown = [source_lines_shown(details) for details in disclosures]
    own = [lines for lines in shown if "126" in lines]
    assert len(own) == 1
    assert own[0]["126"].strip() == "(三)外事業務"


def test_budget_line_source_disclosure_keeps_the_row_its_amount_is_printed_on(client, plan):
    disclosures = get_page(client, "/114/budget/2-2-9/").find_all("details", class_="source")
    # The line's own disclosure; its measure 1.執行勤區查察工作 (157–159) does not show 156.
    own = [lines for lines in map(source_lines_shown, disclosures) if "156" in lines]
    assert len(own) == 1
    assert list(own[0]) == ["156", "157"]
    assert "6,663" in own[0]["156"]
    assert "(九)防治業務" in own[0]["157"]


def test_editor_notes_name_the_published_extraction_and_where_it_ends(client, plan):
    foreign = squash(main(get_page(client, "/114/budget/2-2-3/")).text())
    assert "本站公開的原文轉檔文字（資料說明頁可下載）第 156、164 行" in foreign
    assert "七個印在該目本身的標題列" in foreign
    metro = squash(main(get_page(client, "/114/budget/5-5/")).text())
    assert "本站公開的原文轉檔文字（資料說明頁可下載）第 252–260 行欄位錯位" in metro
    assert "轉檔文字到第 260 行即結束" in metro
    assert "/114/about/source.txt" in main(get_page(client, "/114/about/")).links()


# ---------------------------------------------------------------- measures


def test_unnamed_measure_says_so_and_shows_the_editor_note(client, plan):
    page = get_page(client, "/114/measures/2-2-10-m2/")
    assert squash(page.find("h1").text()) == "（原文未列名稱）"
    assert "編者註：原文此處計畫目標自「1.」重新編號" in squash(main(page).text())


@pytest.mark.parametrize(
    "code, first, last, not_its_own",
    [
        ("2-2-9-m1", "157", "159", "156"),  # 156: 6,663 of (九)防治業務
        ("2-2-10-m2", "164", "164", "162"),  # 162: (十) and its first measure
        ("2-2-11-m1", "165", "165", "164"),  # 164: 6,676 of (十一)刑事鑑識業務
        ("3-1-m1", "166", "168", "165"),  # 165: 7,641,832 of 參、分局業務
        ("4-3-m1", "194", "194", "196"),  # 196: the text of (一)改善治安強化作為
        ("4-4-m1", "198", "204", "197"),  # 197: 65,518 of 四、交通警察勤務
    ],
)
def test_measure_source_disclosure_shows_its_own_lines_not_the_amount_row(
    client, plan, code, first, last, not_its_own
):
    disclosures = main(get_page(client, f"/114/measures/{code}/")).find_all(
        "details", class_="source"
    )
    assert len(disclosures) == 1
    shown = source_lines_shown(disclosures[0])
    assert (next(iter(shown)), list(shown)[-1]) == (first, last)
    assert not_its_own not in shown
    span = first if first == last else f"{first}–{last}"
    assert squash(disclosures[0].find("summary").text()) == f"原文（第 {span} 行）"


def test_measure_keeps_the_doubled_character_at_the_page_break(client, plan):
    text = squash(main(get_page(client, "/114/measures/2-1-7-m4/")).text())
    assert "強化各項安全措施施，確保機關安全。" in text


def test_numbered_objectives_render_as_list_items_with_the_printed_numbers(client, plan):
    page = main(get_page(client, "/114/measures/2-2-10-m2/"))
    heading = next(h2 for h2 in page.find_all("h2") if squash(h2.text()) == "計畫目標")
    siblings = [el for el in heading.parent.children if isinstance(el, Element)]
    objectives = siblings[siblings.index(heading) + 1].find("ol")
    items = [squash(li.text()) for li in objectives.children if getattr(li, "tag", "") == "li"]
    assert items == ["1.加強防情值勤。", "2.強化防情作業演練。", "3.加強遙控警報系統維護。"]


def test_every_measure_links_back_to_its_anchor_on_the_budget_line(client, plan):
    for measure in Measure.objects.filter(plan=plan).select_related("budget_line"):
        links = main(get_page(client, measure.get_absolute_url())).links()
        back = f"{measure.budget_line.get_absolute_url()}#m-{measure.code}"
        assert back in links, measure.code


def rel_link(page: Element, rel: str) -> str | None:
    found = [a.attrs["href"] for a in main(page).find_all("a", rel=rel)]
    assert len(found) <= 1
    return found[0] if found else None


def test_measure_pages_link_to_previous_and_next_siblings_where_they_exist(client, plan):
    for line in BudgetLine.objects.filter(plan=plan):
        siblings = [m.get_absolute_url() for m in line.measures.order_by("sequence")]
        for index, url in enumerate(siblings):
            page = get_page(client, url)
            expected_previous = siblings[index - 1] if index > 0 else None
            expected_next = siblings[index + 1] if index + 1 < len(siblings) else None
            assert rel_link(page, "prev") == expected_previous, url
            assert rel_link(page, "next") == expected_next, url


def test_first_measure_of_a_line_has_no_previous_link(client, plan):
    page = get_page(client, "/114/measures/2-2-3-m1/")
    assert "上一個計畫項目" not in main(page).text()
    assert rel_link(page, "prev") is None
    assert rel_link(page, "next") == "/114/measures/2-2-3-m2/"


# ---------------------------------------------------------------- goals


def smallest_common_ancestor(page: Element, first_href: str, second_href: str) -> Element:
    first = main(page).find("a", href=first_href)
    second = main(page).find("a", href=second_href)
    second_ancestors = list(second.ancestors())
    return next(el for el in first.ancestors() if any(el is other for other in second_ancestors))


def test_goal_lists_its_measure_under_the_budget_line_with_the_line_amount(client, plan):
    page = get_page(client, "/114/goals/4/")
    group = smallest_common_ancestor(page, "/114/budget/2-2-1/", "/114/measures/2-2-1-m2/")
    assert group.tag != "main"
    text = squash(group.text())
    assert "(一)後勤業務" in text
    assert "2.充實警用車輛裝備" in text
    assert "158,927" in text


def test_goal_says_the_mapping_is_compiled_by_this_site(client, plan):
    assert "本站整理" in main(get_page(client, "/114/goals/4/")).text()


@pytest.mark.parametrize(
    ("number", "previous", "following"),
    [
        (1, None, "/114/goals/2/"),
        (4, "/114/goals/3/", "/114/goals/5/"),
        (19, "/114/goals/18/", None),
    ],
)
def test_goal_pages_link_to_the_previous_and_next_goal(client, plan, number, previous, following):
    page = get_page(client, f"/114/goals/{number}/")
    assert rel_link(page, "prev") == previous
    assert rel_link(page, "next") == following


def test_goals_are_called_施政提要_in_the_menu_breadcrumb_and_titles(client, plan):
    # One term everywhere (施政計畫提要 does not fit the phone's menu); the goal list says what
    # the document calls them.
    for url in ("/114/goals/", "/114/goals/4/", "/114/"):
        page = get_page(client, url)
        menu = [squash(a.text()) for a in page.find("nav", class_="site-nav").find_all("a")]
        assert "施政提要" in menu, url
        assert "施政計畫提要" not in squash(page.text()).replace("「施政計畫提要」", ""), url
    listing = get_page(client, "/114/goals/")
    assert squash(listing.find("title").text()).startswith("施政提要")
    assert squash(main(listing).find("h1").text()) == "施政提要"
    crumbs = listing.find("nav", class_="breadcrumbs").find_all("li")
    assert [squash(li.text()) for li in crumbs] == ["首頁", "施政提要"]
    assert "原文的標題是「施政計畫提要」" in squash(main(listing).find("p", class_="lead").text())
    goal = get_page(client, "/114/goals/4/")
    crumbs = goal.find("nav", class_="breadcrumbs").find_all("a")
    assert [squash(a.text()) for a in crumbs] == ["首頁", "施政提要"]


def test_goal_list_links_every_goal(client, plan):
    links = main(get_page(client, "/114/goals/")).links()
    goal_links = {href for href in links if re.fullmatch(r"/114/goals/\d+/", href)}
    assert goal_links == {f"/114/goals/{n}/" for n in range(1, 20)}


# ---------------------------------------------------------------- tree


def tree_nodes(page: Element) -> dict[str, Element]:
    """Each <li> of the tree keyed by the link to its own line (its first link)."""
    tree = main(page).find("ul", class_="tree")
    return {li.find("a").attrs["href"]: li for li in tree.find_all("li")}


def own_details(li: Element) -> list[Element]:
    """<details> inside this node but not inside a node below it."""
    return [
        d for d in li.find_all("details") if next(a for a in d.ancestors() if a.tag == "li") is li
    ]


def test_tree_has_a_disclosure_for_each_line_with_children(client, plan):
    nodes = tree_nodes(get_page(client, "/114/budget/"))
    for line in BudgetLine.objects.filter(plan=plan):
        has_children = line.children.exists()
        assert len(own_details(nodes[line.get_absolute_url()])) == int(has_children), line.code


def test_tree_links_every_line_with_its_amount(client, plan):
    nodes = tree_nodes(get_page(client, "/114/budget/"))
    lines = list(BudgetLine.objects.filter(plan=plan))
    assert len(lines) == 42
    assert sorted(nodes) == sorted(line.get_absolute_url() for line in lines)
    for line in lines:
        link = nodes[line.get_absolute_url()].find("a")
        assert squash(link.text()) == line.label, line.code
        own_text = link.parent.text()
        assert f"{amount_text(line.amount)} 千元" in own_text, line.code


def test_tree_marks_the_derived_amount(client, plan):
    link = tree_nodes(get_page(client, "/114/budget/"))["/114/budget/2-2-3/"].find("a")
    assert "688 千元（推算）" in link.parent.text()


# ---------------------------------------------------------------- about


def correction_entry_count() -> int:
    data = tomllib.loads(FOLDER.corrections.read_text(encoding="utf-8"))
    return sum(len(entries) for entries in data.values() if isinstance(entries, list))


def correction_entries_shown(page: Element) -> list[Element]:
    """The entries of the corrections lists: class-less body rows of a table, or list items."""
    entries = []
    for container in main(page).find_all(class_="corrections"):
        for table in [container] if container.tag == "table" else container.find_all("table"):
            body = table.find("tbody")
            entries += [row for row in body.find_all("tr") if "class" not in row.attrs]
        if container.tag in ("ol", "ul"):
            entries += [li for li in container.children if getattr(li, "tag", "") == "li"]
    return entries


def test_about_lists_every_correction_from_the_corrections_file(client, plan):
    entries = correction_entries_shown(get_page(client, "/114/about/"))
    assert correction_entry_count() == 86
    assert len(entries) == correction_entry_count()


def test_about_lists_the_odd_text_kept_as_printed(client, plan):
    page = main(get_page(client, "/114/about/"))
    group = page.find("details", id="corrections-sic")
    assert "照錄原文" in squash(group.find("summary").text())
    listed = group.find("ol")
    entries = {
        squash(item.find("p", class_="where").text()): squash(item.text())
        for item in listed.children
        if getattr(item, "tag", "") == "li"
    }
    assert "「施，確保機關安全。」" in entries["第 104 行「施，確保機關安全。」"]
    assert "重複的「施」依原文照錄" in entries["第 104 行「施，確保機關安全。」"]
    assert "推測應為「歸墊」" in entries["第 111 行「歸整平均地權基金」"]
    assert "推測應為「檢定通過率」" in entries["第 135 行「檢定檢通過率」"]
    assert "推測應為「治安顧慮」" in entries["第 137 行「加強治安虞慮外來人士訪查」"]
    drops = squash(page.find("details", id="corrections-drop_text").find("summary").text())
    assert drops.endswith("1 處")


def test_about_explains_the_derived_amount_license_and_unit(client, plan):
    text = squash(main(get_page(client, "/114/about/")).text())
    assert "(三)外事業務：688 千元" in text
    assert "政府資料開放授權條款" in text
    assert "千元" in text


# ---------------------------------------------------------------- robots, sitemap, source


def test_robots_points_to_the_sitemap_and_says_nothing_of_the_admin(client, plan):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text.splitlines()
    # Naming the admin's path, even to keep crawlers out, tells everyone where it is.
    assert "admin" not in text.lower()


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locs = re.findall(r"<loc>([^<]*)</loc>", response.content.decode())
    assert all(loc.startswith(f"{settings.SITE_URL}/") for loc in locs)
    return [loc.removeprefix(settings.SITE_URL) for loc in locs]


def test_sitemap_lists_every_page(client, plan):
    everything = sitemap_paths(client)
    paths = [path for path in everything if not path.startswith("/en/")]
    # Each page in English after the Chinese (tests/web/test_languages.py).
    assert [path for path in everything if path.startswith("/en/")] == ["/en" + p for p in paths]
    expected = [
        "/114/",
        "/114/budget/",
        "/114/budget/lines/",
        "/114/goals/",
        "/114/search/",
        "/114/open-data/",
        "/114/open-data/api/",
        "/114/about/",
        "/114/glossary/",
        "/114/accessibility/",
        "/114/site-map/",
        "/114/privacy/",
        "/114/open-data-licence/",
        "/114/contact/",
    ]
    expected += [line.get_absolute_url() for line in BudgetLine.objects.filter(plan=plan)]
    expected += [measure.get_absolute_url() for measure in Measure.objects.filter(plan=plan)]
    expected += [goal.get_absolute_url() for goal in PolicyGoal.objects.filter(plan=plan)]
    assert len(paths) == 14 + 42 + 143 + 19
    assert sorted(paths) == sorted(expected)


def test_sitemap_urls_answer(client, plan):
    paths = sitemap_paths(client)
    for path in paths[::10] + paths[-3:]:
        assert client.get(path).status_code == 200, path


def test_source_text_is_the_committed_text_byte_for_byte(client, plan):
    response = client.get("/114/about/source.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    source = FOLDER.source
    assert response.content == source.read_bytes()
