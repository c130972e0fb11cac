"""The information pages in English (/en/114/about/, accessibility/, site-map/, privacy/,
open-data-licence/, contact/): the same facts as the Chinese pages in the site's English, the
plan's and the licence's Chinese marked as Chinese, the licence named as it names itself in
English with its Chinese text said to be the authoritative one."""

import pytest
from django.test import override_settings

from plan.models import BudgetLine, PolicyGoal
from plan.open_data.files import DATA_LICENCE
from tests.support.contact import ALL_DETAILS, COMMITTED, plan_folders_copy
from tests.support.english import chinese_marked, own_words, untranslated
from tests.support.html import described, headings, main_of, parse, squash

pytestmark = pytest.mark.django_db

PAGES = {
    "/en/114/about/": "About the data",
    "/en/114/accessibility/": "Accessibility statement",
    "/en/114/site-map/": "Site map",
    "/en/114/privacy/": "Privacy and information security policy",
    "/en/114/open-data-licence/": "Open data declaration",
    "/en/114/contact/": "Contact us",
}


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", list(PAGES))
def test_each_page_says_its_own_words_in_english(client, plan, url):
    """The main content (the header, footer and breadcrumbs are the shell's): no Chinese
    outside the plan's or the licence's own words, which are marked; the title and the
    descriptions a shared link shows are English too."""
    assert untranslated(own_words(get(client, url).content.decode())) == []
    main = main_of(client, url)
    # The accesskey link and the breadcrumbs come before the title: the shell's.
    assert squash(main.find("h1").text()) == PAGES[url]
    html = get(client, url).content.decode()
    head = html[: html.index("<body")]
    for meta in ('name="description"', 'property="og:title"', 'property="og:description"'):
        content = head.split(meta, 1)[1].split('content="', 1)[1].split('"', 1)[0]
        assert content and untranslated(f"<p>{content.split('|')[0]}</p>") == [], meta


def test_the_licence_has_its_official_english_name():
    assert DATA_LICENCE.english_name == "Open Government Data License, version 1.0"


# ---------------------------------------------------------------- privacy


def test_the_privacy_policy_tells_readers_there_are_no_cookies(client, plan):
    response = get(client, "/en/114/privacy/")
    assert not response.cookies
    main = main_of(client, "/en/114/privacy/")
    assert headings(main) == [
        "Scope",
        "Reading the site: this site collects no personal data about you",
        "Server logs",
        "Editors' cookies and sign-in records",
        "Security measures",
        "Sharing with others",
        "Changes to this policy, and contact",
    ]
    text = squash(main.text())
    for fact in (
        "It uses no cookies, does not track you, runs no traffic analytics",
        "No cookies: the public pages store no cookies",
        "they use no JavaScript",
        "These logs do not contain your IP address",
        "neither the site's software nor its operating documentation sets how long",
        "kept for at most 14 days",  # SESSION_COOKIE_AGE
        "kept for 364 days",  # CSRF_COOKIE_AGE
        "After 5 failures in a row",
        "from that address for 1 hour;",
        "after 30 failures from one address",
        "never the password",
        "never the editor's account or name",
        "only over HTTPS.",  # no HSTS lifetime outside production
        "This policy was written in December 2026.",
    ):
        assert fact in text, fact
    assert "sessionid" in text and "csrftoken" in text and "messages" in text


def test_the_english_privacy_policy_reads_its_numbers_from_the_settings(client, plan, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600
    settings.AXES_FAILURE_LIMIT = 7
    settings.AXES_COOLOFF_TIME = 1.5
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    text = squash(main_of(client, "/en/114/privacy/").text())
    assert "kept for at most 1 day;" in text and "After 7 failures in a row" in text
    assert "from that address for 1.5 hours;" in text
    assert "only over HTTPS for 365 days." in text


# ---------------------------------------------------------------- the licence


def test_the_licence_page_names_the_licence_in_english_and_links_it(client, plan):
    main = main_of(client, "/en/114/open-data-licence/")
    assert headings(main) == [
        "What the licence covers",
        "You may",
        "How to credit the source",
        "Not covered by the licence",
        "Accuracy and liability",
        "The full text of the licence",
    ]
    assert "https://data.gov.tw/license" in main.links()
    text = squash(main.text())
    assert "open under the Open Government Data License, version 1.0:" in text
    assert "commercially too" in text
    assert "the licence's Chinese text is the authoritative one" in text
    assert "of the two, the Chinese text is the authoritative one" in text
    # Quoted from the licence's official English version, with its sections.
    assert '"perpetual, worldwide, non-exclusive, irrevocable, royalty-free" (section 2.1)' in text
    patents = '"The License does not grant any rights in the patents and trademarks"'
    assert f"{patents} (section 2.4)" in text
    assert "OGDL-Taiwan-1.0" in text and "/en/114/open-data/datapackage.json" in main.links()


def test_the_attribution_statement_is_the_licences_english_then_its_chinese(client, plan):
    main = main_of(client, "/en/114/open-data-licence/")
    english, chinese = main.find_all("div", class_="notice")
    lines = [squash(li.text()) for li in english.find_all("li")]
    assert lines[0].startswith("Kaohsiung City Police Department 2026, open data of the ")
    assert lines[1] == (
        "The Open Data is made available to the public under the Open Government Data "
        "License, User can make use of it when complying to the condition and obligation "
        "of its terms."
    )
    assert lines[2] == "Open Government Data License: https://data.gov.tw/license"
    assert chinese.attrs["lang"] == "zh-Hant-TW"
    first = squash(chinese.find_all("li")[0].text())
    assert first.startswith(f"{plan.agency} 2026 《{plan.title}》開放資料（2026 年 ")


# ---------------------------------------------------------------- accessibility


def test_the_accessibility_statement_states_the_level_the_mark_and_the_checks(client, plan):
    main = main_of(client, "/en/114/accessibility/")
    facts = main.find("dl", class_="notice")
    assert [squash(dt.text()) for dt in facts.find_all("dt")] == [
        "Target level",
        "Accessibility mark",
        "How it is checked",
    ]
    text = squash(facts.text())
    assert "WCAG 2.2 level AA" in text and "level AA of Taiwan's Website Accessibility" in text
    assert "Not applied for." in text and "so its pages show no mark" in text
    assert not main.find_all("img")
    checks = squash(main.text())
    for check in (
        "axe-core",
        "at 390 and 1280 pixels wide",
        "Nu Html Checker",
        "at 360, 390 and 1280 pixels wide",
        "without JavaScript",
        "Freego",
        "They check both the Chinese pages and the English ones",
    ):
        assert check in checks, check


# ---------------------------------------------------------------- site map


def test_the_site_map_lists_every_section_in_english_with_the_keys(client, plan):
    main = main_of(client, "/en/114/site-map/")
    links = main.links()
    for path in (
        "/en/114/",
        "/en/114/budget/",
        "/en/114/budget/lines/",
        "/en/114/goals/",
        "/en/114/search/",
        "/en/114/open-data/",
        "/en/114/open-data/api/",
        "/en/114/changes/",
        "/en/114/about/",
        "/en/114/glossary/",
        "/en/114/accessibility/",
        "/en/114/contact/",
        "/en/114/privacy/",
        "/en/114/open-data-licence/",
    ):
        assert path in links, path
    text = squash(main.text())
    for key in "UCZ":
        assert f"Alt + {key}:" in text
    assert "in Chrome and Edge on Windows, Alt and the letter (Alt + U for the top area)" in text
    assert "in Safari, Chrome and Firefox on macOS, Control + Option and the letter" in text
    assert "English names of the categories and goals are this site's translations" in text
    assert "Precinct operations (參、分局業務)" in text
    assert "Goal 13: Forensic science (提要十三：刑事鑑識)" in text
    marked = chinese_marked(main)
    assert "參、分局業務" in marked and "提要十三：刑事鑑識" in marked
    for line in BudgetLine.objects.filter(plan=plan, parent=None):
        assert f"/en{line.get_absolute_url()}" in links
    assert len([link for link in links if "/goals/" in link]) == 1 + PolicyGoal.objects.count()


# ---------------------------------------------------------------- contact


def test_the_contact_page_gives_each_detail_its_source_and_english_notes(client, plan):
    main = main_of(client, "/en/114/contact/")
    assert headings(main) == [
        "Who to contact",
        "Kaohsiung City Police Department",
        "Who runs this site",
    ]
    details = main.find("dl")
    rows = described(details)
    assert list(rows) == ["Website", "Citizen service line", "Reporting a crime"]
    for label, name in (
        ("Website", "website"),
        ("Citizen service line", "citizen_line"),
        ("Reporting a crime", "emergency"),
    ):
        assert COMMITTED[name]["source"] in rows[label].links(), label
        assert "(source: " in squash(rows[label].text()), label
    line = squash(rows["Citizen service line"].text())
    assert line.startswith("1999: " + COMMITTED["citizen_line"]["note_en"])
    assert squash(rows["Reporting a crime"].text()).startswith("110: Police emergency number")
    text = squash(main.text())
    assert "In an emergency, call 110." in text
    assert "This site is not an official website of the Kaohsiung City Police Department" in text
    assert "/en/114/about/#corrections" in main.links()


@override_settings(SITE_OPERATOR="高雄市民監督協會", SITE_CONTACT_EMAIL="hello@example.org")
def test_another_operator_is_named_in_english_with_its_email(client, plan):
    html = own_words(get(client, "/en/114/contact/").content.decode())
    assert untranslated(html) == []
    text = squash(parse(html).text())
    assert "This site is run by 高雄市民監督協會. It is not an official website" in text
    assert "write to hello@example.org and say which page" in text
    assert "mailto:hello@example.org" in parse(html).links()


@pytest.fixture
def folder_with_every_detail(tmp_path, settings):
    """The plan folders, with every contact detail for kcpd-114 and a note with no English."""
    plan_folders_copy(tmp_path, settings)(ALL_DETAILS)


def test_every_detail_has_an_english_label_and_chinese_stays_marked(
    client, plan, folder_with_every_detail
):
    html = own_words(get(client, "/en/114/contact/").content.decode())
    assert untranslated(html) == []
    main = parse(html)
    labels = [squash(dt.text()) for dt in main.find("dl").find_all("dt")]
    assert labels == [
        "Website",
        "This plan's original document",
        "Address",
        "Phone",
        "E-mail",
        "Citizen service line",
        "Mayor's mailbox",
        "Reporting a crime",
    ]
    marked = chinese_marked(main)
    assert "高雄市某區某路 1 號" in marked  # the address as the source gives it
    assert "24 小時" in marked  # a note without its English
    text = squash(main.text())
    assert "The original document (on the Kaohsiung City Police Department website)" in text
    # Beside every source text too, and on /about/.
    source = main_of(client, "/en/114/measures/2-2-3-m1/").find("details", class_="source")
    assert "https://kcpd.kcg.gov.tw/plan-114.pdf" in source.links()
    about = squash(main_of(client, "/en/114/about/").find("section").text())
    assert "Terms of use" in about


# ---------------------------------------------------------------- about the data


def test_about_gives_the_rules_and_every_correction_in_english(client, plan):
    main = main_of(client, "/en/114/about/")
    text = squash(main.text())
    assert "This site's data and text are open under the Open Government Data License" in text
    assert "Categories (類) and items (項) are taken from the summary table" in text
    assert "the total of NT$11,722,205 thousand is NT$11,722,205,000, about NT$11.72 billion" in (
        text
    )
    sic = main.find("details", id="corrections-sic")
    assert squash(sic.find("summary").text()) == (
        "Kept as printed (probable typos, not changed)14 entries"
    )
    entry = squash(sic.find_all("li")[0].text())
    assert entry.startswith("line 29 「廣續執行」")
    assert "Probably 賡續 (continue); kept as printed." in entry
    assert "廣續執行" in " ".join(chinese_marked(sic))
    derived = squash(main.find("details", id="corrections-derived").find("li").text())
    assert derived.startswith("line 126 「(三)外事業務」: NT$688 thousand")
    moved = main.find("details", id="corrections-move_amount").find("li")
    assert squash(moved.text()).startswith("line 47 → line 46")
