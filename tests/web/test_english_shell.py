"""What every English page shares, and the English home and goal pages: the header (the
agency's English name above a title short enough for a phone, English sections and search),
the footer and its contact block (with the plan folder's English notes), the breadcrumbs, the
year switcher; on the home and goal pages the goals as "Goal 4" with the site's English short
title and the Chinese beside it, the goal's text as published and marked as Chinese. Whether
any Chinese is left outside the plan's text: tests/web/test_languages.py."""

import re
import shutil

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from plan.content import published
from plan.document.contact import contact_at, read_contact
from plan.document.folders import PlanFolderError, plan_folder
from plan.models import PolicyGoal
from plan.reading.population import population
from tests.support import second_year
from tests.support.english import chinese_marked, untranslated
from tests.support.html import page_of, parse, squash

pytestmark = pytest.mark.django_db

FOLDER = plan_folder("kcpd-114")
NOTE = "English names of the categories and goals are this site's translations"


# ---------------------------------------------------------------- header and footer


def test_the_english_header_names_the_agency_and_a_short_title(client, plan):
    header = page_of(client, "/en/114/goals/4/").find("header")
    brand = header.find("a", class_="brand")
    assert brand.find("small").text() == "Kaohsiung City Police Department"
    assert squash(brand.text()) == "Kaohsiung City Police Department FY2025 Plan"
    assert brand.attrs["href"] == "/en/114/"
    sections = [squash(a.text()) for a in header.find("nav").find_all("a")]
    assert sections == ["Budget", "Goals", "Open data", "About"]
    form = header.find("form")
    assert form.attrs["action"] == "/en/114/search/"
    assert form.find("input").attrs["placeholder"] == "Search (in Chinese)"
    assert header.find("a", class_="accesskey").attrs["title"] == "Header area"


def test_the_title_and_the_shared_links_name_the_plan_in_english(client, plan):
    html = client.get("/en/114/goals/").content.decode()
    title = "Kaohsiung City Police Department Administrative Plan for FY2025 (ROC year 114)"
    assert f"<title>Policy goals | {title}</title>" in html
    assert f'<meta property="og:site_name" content="{title}">' in html
    assert "Skip to main content" in html


def test_the_english_footer_says_who_runs_the_site_and_how_to_reach_the_agency(client, plan):
    footer = page_of(client, "/en/114/").find("footer")
    text = squash(footer.text())
    assert "This site is not an official website of the Kaohsiung City Police Department" in text
    assert "Kaohsiung City Police Department (which published this plan)" in text
    assert "Amounts are in NT$ thousand" in text
    links = {a.attrs["href"]: squash(a.text()) for a in footer.find_all("a")}
    assert links["https://kcpd.kcg.gov.tw/"] == "Kaohsiung City Police Department website"
    assert links["tel:1999"] == "1999 city service line"
    assert links["tel:110"] == "Police emergency 110"
    assert links["/en/114/contact/"] == "Contact us"
    assert links["/en/114/changes/"] == "revision log"


@override_settings(SITE_OPERATOR="高雄市民監督協會", SITE_CONTACT_EMAIL="hello@example.org")
def test_an_operator_named_in_chinese_is_marked_as_chinese(client, plan):
    block = page_of(client, "/en/114/").find("footer").find(class_="footer-contact")
    text = squash(block.text())
    assert "This site is run by 高雄市民監督協會. It is not an official website" in text
    assert "高雄市民監督協會" in chinese_marked(block)
    assert "mailto:hello@example.org" in block.links()


def test_the_chinese_header_and_footer_are_as_before(client, plan):
    page = page_of(client, "/114/goals/4/")
    assert squash(page.find("a", class_="brand").text()) == "高雄市政府警察局 114 年度施政計畫"
    sections = [squash(a.text()) for a in page.find("header").find("nav").find_all("a")]
    assert sections == ["預算架構", "施政提要", "開放資料", "資料說明"]
    text = squash(page.find("footer").text())
    assert "資料來源：《高雄市政府警察局 114 年度施政計畫》，由本站逐字轉錄" in text
    assert "本站不是高雄市政府警察局的官方網站" in text


def test_the_breadcrumbs_name_a_category_in_english_and_mark_the_plans_names(client, plan):
    crumbs = page_of(client, "/en/114/budget/2-2-3/").find("nav", class_="breadcrumbs")
    texts = [squash(li.text()) for li in crumbs.find_all("li")]
    assert texts[:2] == ["Home", "Policing and security operations"]
    assert crumbs.attrs["aria-label"] == "Breadcrumb"
    assert "二、勤業務管理" in chinese_marked(crumbs)


def test_the_year_switcher_and_the_comparison_speak_english(client, plan, plan_document):
    second_year.load_second_year(plan_document)
    cache.clear()
    published.forget()
    switcher = page_of(client, "/en/114/").find("nav", class_="year-switcher")
    assert switcher.attrs["aria-label"] == "Other years"
    assert [squash(a.text()) for a in switcher.find_all("a")] == ["FY2026", "FY2025"]
    assert "年度" not in switcher.text()
    # The newer plan's home compares each category with the year before, in English too (the
    # synthetic plan has no folder, so no English names of its own: its title stays Chinese).
    html = client.get("/en/115/").content.decode()
    compared = re.search(r'<dl class="figure">.*?</p>', html, re.S).group(0)
    assert untranslated(compared) == []
    assert "Compared with FY2025" in compared and "The FY2025 total budget was" in compared


# ---------------------------------------------------------------- the plan folder's English


def test_contact_notes_have_their_english_from_the_plan_folder():
    details = contact_at(FOLDER.path / "plan.toml")
    assert details.citizen_line.note == "高雄市政府市民服務專線，24 小時全年無休"
    with translation.override("en"):
        assert "24 hours a day" in details.citizen_line.shown_note
        assert details.citizen_line.shown_note_lang == "en"
    assert details.citizen_line.shown_note == details.citizen_line.note
    assert details.citizen_line.shown_note_lang == "zh-Hant-TW"


def test_a_note_without_english_stays_chinese_on_english_pages(tmp_path):
    table = {"value": "1999", "source": "https://e.org/", "note": "24 小時"}
    detail = read_contact(tmp_path / "plan.toml", {"citizen_line": table}).citizen_line
    with translation.override("en"):
        assert (detail.shown_note, detail.shown_note_lang) == ("24 小時", "zh-Hant-TW")
    with pytest.raises(PlanFolderError, match="unknown keys"):
        read_contact(tmp_path / "plan.toml", {"citizen_line": {**table, "note_fr": "x"}})


def test_the_residents_figure_is_described_in_english(plan):
    figure = population(plan)
    with translation.override("en"):
        assert figure.shown_what.startswith("registered residents")
        assert figure.shown_source.startswith("Kaohsiung City Government")
    assert figure.shown_what == "113 年 12 月底戶籍登記人口"


def test_without_a_short_english_title_the_header_takes_the_full_one(
    client, plan, settings, tmp_path
):
    shutil.copytree(FOLDER.path.parent, tmp_path / "plans")
    settings.PLANS_DIR = tmp_path / "plans"
    names = tmp_path / "plans" / "kcpd-114" / "english.toml"
    text = names.read_text(encoding="utf-8")
    names.write_text(re.sub(r"(?m)^header_title = .*\n", "", text), encoding="utf-8")
    brand = page_of(client, "/en/114/").find("a", class_="brand")
    # The full title, without the agency's name the line above already gives.
    assert squash(brand.text()) == (
        "Kaohsiung City Police Department Administrative Plan for FY2025 (ROC year 114)"
    )


# ---------------------------------------------------------------- home and goals


def test_the_english_home_leads_with_the_total_in_english(client, plan):
    main = page_of(client, "/en/114/").find("main")
    lead = squash(main.find("p", class_="lead").text())
    assert lead.startswith(
        "In 2025 (ROC year 114) the Kaohsiung City Police Department has a total budget of "
        "about NT$11.72 billion (11,722,205 NT$ thousand)"
    )
    assert "per resident" in lead
    text = squash(main.text())
    assert "registered residents (household registration) at the end of December 2024" in text
    assert text.count(NOTE) == 1


def test_goals_are_numbered_in_english_with_the_chinese_short_title_beside(client, plan):
    goal = PolicyGoal.objects.get(plan=plan, number=4)
    for url in ("/en/114/", "/en/114/goals/"):
        main = page_of(client, url).find("main")
        link = main.find("a", href="/en/114/goals/4/")
        assert squash(link.text()) == "Goal 4 Energy saving and carbon reduction (節能減碳)", url
        assert goal.short_title in chinese_marked(link), url


def test_the_goal_list_keeps_each_goals_text_as_published(client, plan):
    main = page_of(client, "/en/114/goals/").find("main")
    texts = chinese_marked(main)
    for goal in PolicyGoal.objects.filter(plan=plan):
        assert squash(goal.text) in texts
    assert "10 measures" in squash(main.text())
    assert squash(main.text()).count(NOTE) == 1


def test_a_goal_page_in_english(client, plan):
    goal = PolicyGoal.objects.get(plan=plan, number=4)
    html = client.get("/en/114/goals/4/").content.decode()
    page = parse(html)
    assert squash(page.find("h1").text()) == "Goal 4 Energy saving and carbon reduction (節能減碳)"
    assert "<title>Goal 4: Energy saving and carbon reduction | " in html
    quote = page.find("blockquote")
    assert quote.attrs["lang"] == "zh-Hant-TW" and squash(quote.text()) == squash(goal.text)
    pager = page.find("nav", class_="pager")
    assert pager.attrs["aria-label"] == "Other goals"
    links = [(a.find("small").text(), squash(a.text())) for a in pager.find_all("a")]
    assert [(small, text.removeprefix(small)) for small, text in links] == [
        ("Previous", "Goal 3: Traffic enforcement and drunk-driving prevention"),
        ("Back to", "All goals"),
        ("Next", "Goal 5: Youth protection and school safety"),
    ]
    text = squash(page.find("main").text())
    assert "The budget of this sub-item covers all the measures under it" in text
