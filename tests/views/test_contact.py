"""Who publishes the plan and who runs the site, as a reader sees them: the agency's name in the
header, the contact block in every page's footer, 聯絡我們 with where each detail comes from,
the official source beside every 原文, and the operator statement for each setting. Only the
details the plan folder gives are shown (plan/document/contact.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from plan.document.contact import KNOWN, contact, contact_at
from plan.document.folders import PlanFolderError
from plan.models import Plan
from tests.support.contact import ALL_DETAILS, COMMITTED, FOLDER, plan_folders_copy
from tests.support.html import Element, described, page_of, squash

pytestmark = pytest.mark.django_db

AGENCY = "高雄市政府警察局"
SITE = "https://kcpd.kcg.gov.tw/"

PAGE_TYPES = [
    "/114/",
    "/114/budget/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/4/",
    "/114/search/?q=詐欺",
    "/114/about/",
    "/114/contact/",
    "/114/open-data/",
]


def footer_contact(page: Element) -> Element:
    return page.find("footer").find(class_="footer-contact")


def section(page: Element, heading: str) -> Element:
    return page.find("section", **{"aria-labelledby": heading})


@pytest.fixture
def plans_dir(tmp_path, settings):
    """`write(contact)` replaces kcpd-114's [contact] tables (tests/support/contact.py)."""
    return plan_folders_copy(tmp_path, settings)


# ---------------------------------------------------------------- the plan folder


def test_every_committed_detail_has_a_value_and_a_public_source():
    details = contact_at(FOLDER.path / "plan.toml")
    assert set(COMMITTED) <= set(KNOWN)
    for name in COMMITTED:
        detail = getattr(details, name)
        assert detail.value and detail.source.startswith("https://"), name
    assert details.website.value == SITE


@pytest.mark.parametrize(
    "table, message",
    [
        ('[contact.adress]\nvalue = "x"\nsource = "https://example.org/"\n', "contact.adress"),
        ('[contact.phone]\nvalue = "(07) 123-4567"\n', "needs a value and its source"),
        ('[contact.phone]\nvalue = "1"\nsource = "https://e.org/"\nlabel = "x"\n', "label"),
    ],
)
def test_a_broken_contact_table_stops_loadplan_naming_it(plans_dir, table, message):
    plans_dir(table)
    with pytest.raises(CommandError, match=message):
        call_command("loadplan", "kcpd-114")


def test_a_draft_finds_its_plans_folder_by_agency_and_year():
    draft = Plan(slug="draft-0123456789ab", agency=AGENCY, fiscal_year=114)
    assert contact(draft) == contact_at(FOLDER.path / "plan.toml")
    assert contact(Plan(slug="synthetic", agency="某某局", fiscal_year=114)) is None


def test_a_broken_contact_table_is_refused_when_read(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('[contact.fax]\nvalue = "1"\nsource = "https://e.org/"\n', encoding="utf-8")
    with pytest.raises(PlanFolderError, match=r"\[contact.fax\] is not one of"):
        contact_at(path)


# ---------------------------------------------------------------- header and footer


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_the_header_names_the_agency_above_the_title(client, plan, url):
    brand = page_of(client, url).find("header").find("a", class_="brand")
    assert brand.find("small").text() == AGENCY
    assert squash(brand.text()) == "高雄市政府警察局 114 年度施政計畫"


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_footer_has_the_contact_block(client, plan, url):
    page = page_of(client, url)
    block = footer_contact(page)
    text = squash(block.text())
    assert "本站不是高雄市政府警察局的官方網站" in text
    assert f"{AGENCY}（本計畫的發布機關）" in text
    links = {a.attrs["href"]: squash(a.text()) for a in block.find_all("a")}
    assert links[SITE] == "高雄市政府警察局網站"
    assert links["tel:1999"] == "1999 市民服務專線"
    assert links["tel:110"] == "緊急報案 110"
    assert block.find("a", href=SITE).attrs["rel"] == "external"
    # The block comes before the site's own links, which now include 聯絡我們.
    footer_lists = page.find("footer").find_all("ul", class_="footer-links")
    assert footer_lists[0] in block.iter()
    assert "/114/contact/" in footer_lists[-1].links()


def test_the_footer_shows_no_detail_the_folder_lacks(client, plan):
    block = footer_contact(page_of(client, "/114/"))
    links = block.links()
    assert not [link for link in links if link.startswith("mailto:")]
    assert "電話" not in block.text() and "市長信箱" not in block.text()
    assert len(links) == len(COMMITTED)


def test_a_folder_without_contact_details_shows_the_statement_only(client, plan, plans_dir):
    plans_dir("")
    block = footer_contact(page_of(client, "/114/budget/2-2-3/"))
    assert (
        squash(block.text())
        == "本站不是高雄市政府警察局的官方網站；內容轉錄自該機關公布的施政計畫。"
    )
    assert block.links() == []


# ---------------------------------------------------------------- who runs the site


def operator_texts(client) -> dict[str, str]:
    return {
        url: squash(text)
        for url, text in (
            ("footer", footer_contact(page_of(client, "/114/")).find("p").text()),
            ("contact", section(page_of(client, "/114/contact/"), "operator").text()),
        )
    }


def test_unset_the_site_names_no_operator_and_says_it_is_not_official(client, plan):
    for where, text in operator_texts(client).items():
        assert "本站不是高雄市政府警察局的官方網站；內容轉錄自該機關公布的施政計畫。" in text, where
        assert "本站由" not in text and "mailto:" not in text, where
    who = squash(section(page_of(client, "/114/contact/"), "who").text())
    assert "本站沒有公布維運者的聯絡方式" in who


@override_settings(SITE_OPERATOR="高雄市民監督協會", SITE_CONTACT_EMAIL="hello@example.org")
def test_another_operator_is_named_with_its_email(client, plan):
    for where, text in operator_texts(client).items():
        assert (
            "本站由高雄市民監督協會維運，不是高雄市政府警察局的官方網站；"
            "內容轉錄自該機關公布的施政計畫。" in text
        ), where
    for url in ("/114/", "/114/contact/", "/114/accessibility/"):
        assert "mailto:hello@example.org" in page_of(client, url).links(), url
    who = squash(section(page_of(client, "/114/contact/"), "who").text())
    assert "請寄信至 hello@example.org" in who


@override_settings(SITE_OPERATOR=AGENCY, SITE_CONTACT_EMAIL="web@example.org")
def test_the_agency_as_operator_says_so_and_nothing_else(client, plan):
    for where, text in operator_texts(client).items():
        assert "本站由高雄市政府警察局維運。" in text, where
        assert "不是" not in text, where
    # The operator's mail is the agency's then: the footer offers no separate one.
    assert "mailto:web@example.org" not in footer_contact(page_of(client, "/114/")).links()


# ---------------------------------------------------------------- 聯絡我們


def test_the_contact_page_lists_each_detail_with_its_source(client, plan):
    page = page_of(client, "/114/contact/")
    main = page.find("main")
    assert squash(main.find("h1").text()) == "聯絡我們"
    details = main.find("dl")
    rows = described(details)
    assert list(rows) == ["網站", "市民服務專線", "報案"]
    for label, name in (
        ("網站", "website"),
        ("市民服務專線", "citizen_line"),
        ("報案", "emergency"),
    ):
        assert COMMITTED[name]["source"] in rows[label].links(), label
    assert rows["網站"].links()[0] == SITE
    assert "24 小時全年無休" in rows["市民服務專線"].text()
    assert "tel:110" in main.find(class_="notice").links()
    assert "/114/about/#corrections" in main.links()


def test_the_contact_page_shows_every_detail_a_folder_gives(client, plan, plans_dir):
    plans_dir(ALL_DETAILS)
    main = page_of(client, "/114/contact/").find("main")
    labels = [squash(dt.text()) for dt in main.find("dl").find_all("dt")]
    assert labels == [
        "網站",
        "本計畫原始文件",
        "地址",
        "電話",
        "電子郵件",
        "市民服務專線",
        "市長信箱",
        "報案",
    ]
    links = main.links()
    for href in ("tel:071234567", "mailto:someone@example.org", "https://mailbox.example.org/"):
        assert href in links
    assert "高雄市某區某路 1 號" in main.text()
    assert all(f"https://example.org/{name}" in links for name in ("address", "phone", "email"))
    block = footer_contact(page_of(client, "/114/"))
    assert "tel:071234567" in block.links() and "高雄市某區某路 1 號" in block.text()


def test_the_site_map_and_the_sitemap_list_the_contact_page(client, plan):
    assert "/114/contact/" in page_of(client, "/114/site-map/").find("main").links()
    assert "/114/contact/</loc>" in client.get("/sitemap.xml").content.decode()


def test_the_accessibility_statement_sends_reports_to_the_contact_page(client, plan):
    report = page_of(client, "/114/accessibility/").find("h2", id="report").parent
    assert "/114/contact/" in report.links()


# ---------------------------------------------------------------- beside every 原文


def official_source(page: Element) -> Element:
    return page.find("details", class_="source").find("p", class_="source-more")


def test_every_source_block_names_the_agency_and_links_its_site(client, plan):
    for url in ("/114/budget/2-2-3/", "/114/measures/2-2-3-m1/", "/114/goals/4/"):
        paragraph = official_source(page_of(client, url))
        assert "原始文件由高雄市政府警察局發布" in squash(paragraph.text()), url
        assert paragraph.find("a", href=SITE).attrs["rel"] == "external"
    about = section(page_of(client, "/114/about/"), "source")
    assert SITE in about.links()


def test_the_document_address_takes_the_sites_place_when_known(client, plan, plans_dir):
    plans_dir(ALL_DETAILS)
    paragraph = official_source(page_of(client, "/114/budget/2-2-3/"))
    link = paragraph.find("a", href="https://kcpd.kcg.gov.tw/plan-114.pdf")
    assert squash(link.text()) == "原始文件（高雄市政府警察局網站）"
    about = section(page_of(client, "/114/about/"), "source")
    assert "https://kcpd.kcg.gov.tw/plan-114.pdf" in about.links()


def test_no_official_source_is_claimed_without_one(client, plan, plans_dir):
    plans_dir("")
    paragraph = official_source(page_of(client, "/114/budget/2-2-3/"))
    assert "原始文件由" not in paragraph.text() and SITE not in paragraph.links()
