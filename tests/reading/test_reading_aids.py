"""What helps a citizen read the plan: the glossary and its links, per-resident figures, short
goal titles beside the verbatim text, contents lists, plain language, the accessibility
statement."""

import re

import pytest

from plan.models import BudgetLine, PolicyGoal
from plan.reading.glossary import TERMS
from plan.reading.population import population
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/114/",
    "/114/budget/",
    "/114/budget/2/",
    "/114/budget/2-2/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/",
    "/114/goals/6/",
    "/114/search/?q=%E8%A9%90%E6%AC%BA",
    "/114/open-data/",
    "/114/about/",
    "/114/glossary/",
    "/114/accessibility/",
    "/114/contact/",
    "/114/changes/",
    "/114/privacy/",
    "/114/open-data-licence/",
]
# Words for developers; public pages keep them inside their 「給開發者」 section.
DEVELOPER_WORDS = ["SHA-256", ".toml", "manage.py", "RFC 4180", "CORS", "README", "fixtures/"]


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response.content.decode())


def main_without_developer_section(document):
    main = document.find("main")
    for section in main.find_all("section"):
        if section.find_all("h2", id="developers"):
            section.children = []
    return main


# ---------------------------------------------------------------- glossary


def test_the_glossary_explains_every_term_at_its_own_anchor(client, plan):
    glossary = page(client, "/114/glossary/")
    for term in TERMS:
        entry = glossary.find(id=term.anchor)
        assert squash(entry.find("dt").text()) == term.name
        assert squash(entry.find("dd").text()) == term.meaning
    names = {term.name for term in TERMS}
    assert {"類", "項", "目", "千元", "推算", "施政提要", "計畫目標", "實施要領"} <= names
    assert any("預備金" in name for name in names)


@pytest.mark.parametrize("url", PUBLIC_PAGES[:10])
def test_a_term_links_to_the_glossary_the_first_time_only(client, plan, url):
    links = [a.attrs["href"] for a in page(client, url).find_all("a", class_="term")]
    assert links, url
    assert len(links) == len(set(links)), f"{url} links a term twice"
    anchors = {term.anchor for term in TERMS}
    for href in links:
        path, _, anchor = href.partition("#")
        assert path == "/114/glossary/" and anchor in anchors, href


def test_derived_on_a_subitem_links_once_then_reads_plain(client, plan):
    main = page(client, "/114/budget/2-2-3/").find("main")
    assert main.text().count("推算") >= 2
    assert [a.attrs["href"] for a in main.find_all("a", class_="term") if "推算" in a.text()] == [
        "/114/glossary/#derived"
    ]


# ---------------------------------------------------------------- per resident


def test_the_home_page_gives_the_budget_per_resident_with_its_source(client, plan):
    residents = population(plan)
    assert residents.residents == 2_731_412 and str(residents.as_of) == "2024-12-31"
    main = page(client, "/114/").find("main")
    text = squash(main.text())
    assert f"{round(11_722_205_000 / 2_731_412):,} 元" == "4,292 元"
    assert "平均每位市民約 4,292 元" in text and "負擔" not in text  # an average, not a charge
    assert "113 年 12 月底戶籍登記人口 2,731,412 人" in text
    assert residents.url in main.links()


@pytest.mark.parametrize("code", ["1", "3", "4"])
def test_each_category_gives_its_amount_per_resident(client, plan, code):
    line = BudgetLine.objects.get(plan=plan, code=code)
    figure = page(client, f"/114/budget/{code}/").find("dl", class_="figure")
    pairs = {
        squash(div.find("dt").text()): squash(div.find("dd").text())
        for div in figure.find_all("div")
    }
    expected = round(line.amount * 1000 / 2_731_412)
    assert pairs["平均每位市民"] == f"約 {expected:,} 元"


# ---------------------------------------------------------------- goals


def test_goal_titles_are_short_labelled_and_beside_the_verbatim_text(client, plan):
    goals = list(PolicyGoal.objects.filter(plan=plan))
    assert all(0 < len(goal.short_title) <= 12 for goal in goals)
    assert len({goal.short_title for goal in goals}) == 19
    listing = page(client, "/114/goals/")
    assert "本站整理" in listing.find("main").text()
    for goal in goals:
        entry = listing.find(id=f"goal-{goal.number}")
        assert squash(entry.find("h2").text()) == f"{goal.label} {goal.short_title}"
        assert squash(entry.find("details").find("p").text()) == squash(goal.text)


# ---------------------------------------------------------------- ways around long pages


def test_a_subitem_with_many_measures_has_a_contents_list(client, plan):
    document = page(client, "/114/budget/2-2-3/")
    contents = document.find("nav", class_="contents")
    measure_links = [href for href in contents.links() if href.startswith("#m-")]
    assert measure_links == [f"#m-2-2-3-m{n}" for n in range(1, 12)]
    ids = {el.attrs["id"] for el in document.iter() if "id" in el.attrs}
    assert all(href[1:] in ids for href in contents.links())


def test_a_subitem_with_one_measure_has_no_contents_list(client, plan):
    line = next(
        line
        for line in BudgetLine.objects.filter(plan=plan, level="subitem")
        if line.measures.count() == 1
    )
    assert not page(client, line.get_absolute_url()).find_all("nav", class_="contents")


def test_about_puts_the_licence_and_date_first_and_folds_the_corrections(client, plan):
    main = page(client, "/114/about/").find("main")
    headings = [h.attrs.get("id") for h in main.find_all("h2")]
    assert headings[:2] == ["license", "updated"]
    assert headings.index("corrections") > headings.index("source")
    groups = main.find_all("details", class_="correction-group")
    assert len(groups) >= 5 and not any("open" in group.attrs for group in groups)
    contents = main.find("nav", class_="contents").links()
    assert [f"#{h}" for h in headings if h] == [href for href in contents if "-" not in href]


# ---------------------------------------------------------------- plain language


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_keep_developer_words_for_developers(client, plan, url):
    text = main_without_developer_section(page(client, url)).text()
    found = [word for word in DEVELOPER_WORDS if word in text]
    assert found == [], url


def test_developer_details_are_on_open_data_and_about(client, plan):
    open_data = page(client, "/114/open-data/").find("main").text()
    about = page(client, "/114/about/").find("main").text()
    assert "RFC 4180" in open_data and "Access-Control-Allow-Origin" in open_data
    assert "SHA-256" in about and "corrections.toml" in about


# ---------------------------------------------------------------- accessibility statement


def test_every_page_footer_links_the_glossary_and_the_accessibility_statement(client, plan):
    for url in PUBLIC_PAGES:
        footer = page(client, url).find("footer").links()
        assert "/114/glossary/" in footer and "/114/accessibility/" in footer, url


def test_the_accessibility_statement_says_what_is_met_and_how_to_report(client, plan):
    text = squash(page(client, "/114/accessibility/").find("main").text())
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "axe" in text
    assert re.search(r"已知的限制", text)
    assert "回報問題" in text
