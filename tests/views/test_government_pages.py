"""What a Taiwanese government website is expected to have: the ::: accesskeys (U, C, Z) on
every page, the 網站導覽 page that lists every section and explains the keys, the
隱私權及資訊安全政策 saying what the site records, the 政府網站資料開放宣告 with the licence
named beside every download, and the accessibility level stated where people look."""

import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client

from plan.addresses.year_prefix import year_reverse
from plan.models import BudgetLine, PolicyGoal
from plan.open_data.files import DATA_LICENCE
from tests.support.admin import create_editor
from tests.support.browser import LAYOUT_WIDTHS, WIDTHS
from tests.support.html import Element, headings, main_of, parse, squash

pytestmark = pytest.mark.django_db

KEYS = {
    "U": ("header", "上方功能區塊"),
    "C": ("main", "中央內容區塊"),
    "Z": ("footer", "下方功能區塊"),
}

PAGE_TYPES = [
    "/114/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/4/",
    "/114/search/?q=詐欺",
    "/114/site-map/",
]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_has_each_accesskey_once_in_its_area(client, plan, url):
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response.content.decode())
    for key, (area, title) in KEYS.items():
        links = [el for el in page.find_all("a") if el.attrs.get("accesskey") == key]
        assert len(links) == 1, key
        assert links[0].text() == ":::"
        assert links[0].attrs["title"] == title
        assert links[0].attrs["href"] == f"#{key}" and links[0].attrs["id"] == key
        assert links[0] in page.find(area).iter()


def test_the_404_page_has_the_accesskeys_too(plan):
    response = Client(raise_request_exception=False).get("/114/budget/no-such-line/")
    assert response.status_code == 404
    html = response.content.decode()
    for key in KEYS:
        assert html.count(f'accesskey="{key}"') == 1


def test_the_site_map_links_every_section_every_category_and_every_goal(client, plan):
    page = parse(client.get("/114/site-map/").content.decode())
    links = page.find("main").links()
    for name in (
        "plan:home",
        "plan:budget-tree",
        "plan:budget-table",
        "plan:goal-list",
        "plan:search",
        "plan:open-data",
        "plan:api-docs",
        "plan:revisions",
        "plan:about",
        "plan:glossary",
        "plan:accessibility",
        "plan:contact",
    ):
        assert year_reverse(114, name) in links, name
    for line in BudgetLine.objects.filter(plan=plan, parent=None):
        assert line.get_absolute_url() in links
    goals = PolicyGoal.objects.filter(plan=plan)
    assert len(goals) == 19
    for goal in goals:
        assert goal.get_absolute_url() in links
    text = page.find("main").text()
    assert "提要一：" in text  # goals by their short titles
    for key in "UCZ":
        assert f"Alt + {key}" in " ".join(text.split())


def test_every_page_links_the_site_map_from_its_footer(client, plan):
    page = parse(client.get("/114/budget/2/").content.decode())
    assert "/114/site-map/" in page.find("footer").links()


# ---------------------------------------------------------------- the policy pages

PRIVACY = "/114/privacy/"
LICENCE_PAGE = "/114/open-data-licence/"


@pytest.mark.parametrize("url", ["/114/", "/114/budget/2-2-3/", PRIVACY, LICENCE_PAGE])
def test_every_page_links_both_policies_from_its_footer(client, plan, url):
    links = parse(client.get(url).content.decode()).find("footer").links()
    assert PRIVACY in links and LICENCE_PAGE in links


def test_the_site_map_lists_both_policies(client, plan):
    links = main_of(client, "/114/site-map/").links()
    assert PRIVACY in links and LICENCE_PAGE in links


def test_the_privacy_policy_says_what_is_recorded_and_for_how_long(client, plan):
    main = main_of(client, PRIVACY)
    assert squash(main.find("h1").text()) == "隱私權及資訊安全政策"
    assert headings(main) == [
        "適用範圍",
        "一般瀏覽：本站不蒐集您的個人資料",
        "伺服器紀錄",
        "管理人員的 Cookie 與登入紀錄",
        "資訊安全措施",
        "資料的提供",
        "本政策的修訂與聯絡",
    ]
    text = squash(main.text())
    for fact in (
        "不使用 Cookie",
        "不使用 JavaScript",
        "不含您的 IP 位址",
        "本站程式與營運說明文件都沒有規定保存期限",
        "sessionid",
        "csrftoken",
        "最長保存 14 天",  # Django's SESSION_COOKIE_AGE
        "保存 364 天",  # CSRF_COOKIE_AGE, 52 weeks
        "連續失敗 5 次",
        "暫停登入 1 小時",
        "同一位址失敗 30 次",
        "不記錄密碼",
        "不顯示管理人員的帳號或姓名",
        "HTTPS",
        "HSTS",
        "撰寫於 2026 年 12 月",
    ):
        assert fact in text, fact


def test_the_privacy_policy_reads_its_numbers_from_the_settings(client, plan, settings):
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600
    settings.AXES_FAILURE_LIMIT = 7
    settings.AXES_COOLOFF_TIME = 1.5
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    text = squash(main_of(client, PRIVACY).text())
    assert "最長保存 3 天" in text and "連續失敗 7 次" in text
    assert "暫停登入 1.5 小時" in text and "在 365 天內只用 HTTPS" in text


PUBLIC_PAGE_TYPES = [
    "/114/",
    "/114/budget/",
    "/114/budget/lines/",
    "/114/budget/2-2-3/",
    "/114/measures/2-2-3-m1/",
    "/114/goals/6/",
    "/114/search/?q=詐欺",
    "/114/open-data/",
    "/114/about/",
    "/114/changes/",
    PRIVACY,
    LICENCE_PAGE,
]


@pytest.mark.parametrize("url", PUBLIC_PAGE_TYPES)
def test_a_reader_gets_no_cookie_no_script_and_nothing_from_elsewhere(client, plan, url):
    """What the privacy policy promises readers; a feature that sets a cookie (a language
    choice, say) or loads a script must change the policy too."""
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies, f"{url} sets {list(response.cookies)}: update the privacy page"
    html = response.content.decode()
    assert "<script" not in html
    page = parse(html)
    loaded = [el.attrs.get("src") for el in page.find_all() if el.attrs.get("src")]
    loaded += [
        el.attrs["href"]
        for el in page.find_all("link")
        if el.attrs.get("rel") != "alternate" and el.attrs.get("rel") != "canonical"
    ]
    assert all(each.startswith("/") and not each.startswith("//") for each in loaded), loaded
    policy = response["Content-Security-Policy"]
    sources = {source for directive in policy.split(";") for source in directive.split()[1:]}
    assert sources <= {"'self'", "'none'", "data:"}, policy


def test_the_licence_page_names_the_licence_and_how_to_credit_it(client, plan):
    main = main_of(client, LICENCE_PAGE)
    assert squash(main.find("h1").text()) == "政府網站資料開放宣告"
    assert headings(main) == [
        "授權範圍",
        "您可以",
        "怎麼標示出處",
        "不在授權範圍內",
        "正確性與責任",
        "條款全文",
    ]
    assert DATA_LICENCE.url in main.links()
    text = squash(main.text())
    assert "政府資料開放授權條款－第1版" in text and "包括商業利用" in text
    # The licence's own attribution statement (its 附件「顯名聲明」), filled in for this plan.
    statement = [squash(li.text()) for li in main.find("div", class_="notice").find_all("li")]
    assert (
        statement[0].startswith(f"{plan.agency} ") and f"《{plan.title}》開放資料" in statement[0]
    )
    assert statement[1] == (
        "此開放資料依政府資料開放授權條款 (Open Government Data License) 進行公眾釋出，"
        "使用者於遵守本條款各項規定之前提下，得利用之。"
    )
    assert statement[2] == "政府資料開放授權條款：https://data.gov.tw/license"
    for fact in ("專利權與商標權", "本站整理", "OGDL-Taiwan-1.0", "撰寫於 2026 年 12 月"):
        assert fact in text, fact


def test_the_data_package_names_the_same_licence(client, plan):
    package = json.loads(client.get("/114/open-data/datapackage.json").content)
    assert package["licenses"] == [
        {
            "name": "OGDL-Taiwan-1.0",
            "title": "政府資料開放授權條款－第1版",
            "path": "https://data.gov.tw/license",
        }
    ]


def next_element(element: Element) -> Element | None:
    siblings = [c for c in element.parent.children if isinstance(c, Element)]
    index = siblings.index(element)
    return siblings[index + 1] if index + 1 < len(siblings) else None


@pytest.mark.parametrize(
    ("url", "downloads"),
    [
        ("/114/open-data/", 6),  # five files and the Data Package
        ("/114/budget/lines/", 2),  # XLSX, CSV
        ("/114/search/?q=詐欺", 2),  # XLSX, CSV
        ("/114/budget/2-2/", 1),  # the line's CSV
    ],
)
def test_the_licence_is_named_next_to_every_download(client, plan, url, downloads):
    links = [a for a in main_of(client, url).find_all("a") if "download" in a.attrs]
    assert len(links) == downloads
    for link in links:
        paragraph = next(el for el in link.ancestors() if el.tag == "p")
        note = next_element(paragraph)
        assert note is not None and "licence-note" in note.classes, link.attrs["href"]
        assert (
            squash(note.text()).replace("\u2060", "") == "授權：政府資料開放授權條款第 1 版（說明）"
        )
        assert note.links() == [DATA_LICENCE.url, LICENCE_PAGE]


def test_about_points_to_the_declaration_for_the_licence(client, plan):
    main = main_of(client, "/114/about/")
    section = next(s for s in main.find_all("section") if s.find_all("h2", id="license"))
    assert LICENCE_PAGE in section.links()
    assert len(section.find_all("p")) == 1


def test_the_accessibility_statement_gives_level_mark_and_checks_first(client, plan):
    main = main_of(client, "/114/accessibility/")
    facts = main.find("dl", class_="notice")
    assert next(el for el in main.iter() if el.tag in ("dl", "h2")) is facts  # before any h2
    terms = [squash(dt.text()) for dt in facts.find_all("dt")]
    assert terms == ["目標等級", "無障礙標章", "檢測方式"]
    text = squash(facts.text())
    assert "WCAG 2.2 AA" in text and "網站無障礙規範" in text and "AA 等級" in text
    assert "尚未申請" in text and "不顯示任何標章" in text
    assert not main.find_all("img"), "never show a mark the site does not have"
    checks = squash(main.text())
    for check in ("axe-core", "Nu Html Checker", "不用 JavaScript", "Freego"):
        assert check in checks, check
    # The widths it names are the ones the browser tests use.
    assert "、".join(map(str, LAYOUT_WIDTHS[:-1])) + f" 與 {LAYOUT_WIDTHS[-1]} 像素寬" in checks
    axe_widths = sorted(WIDTHS.values())
    assert f"在 {axe_widths[0]} 與 {axe_widths[1]} 像素寬下執行 axe-core" in checks


def test_what_the_privacy_policy_says_of_signing_in_is_what_happens(plan):
    """The cookies an editor gets are the ones it names, a failed sign-in is kept without the
    password and cleared by a success, and a success is recorded."""
    named = [dt.text() for dt in main_of(Client(), PRIVACY).find_all("dt")]
    create_editor("privacy-editor", "privacy-pass-5531-long")
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    seen = set(browser.get("/admin/login/").cookies)
    token = browser.cookies["csrftoken"].value
    login = {"csrfmiddlewaretoken": token, "username": "privacy-editor"}
    browser.post("/admin/login/", login | {"password": "wrong-password-1"})
    # Only this test's rows: the browser tests share a committed database with it.
    attempt = AccessAttempt.objects.get(username="privacy-editor")
    assert (attempt.username, attempt.ip_address) == ("privacy-editor", "203.0.113.9")
    assert "wrong-password-1" not in attempt.post_data
    response = browser.post("/admin/login/", login | {"password": "privacy-pass-5531-long"})
    assert response.status_code == 302
    seen |= set(response.cookies)
    assert not AccessAttempt.objects.filter(username="privacy-editor").exists()
    record = AccessLog.objects.get(username="privacy-editor")
    assert (record.username, record.ip_address) == ("privacy-editor", "203.0.113.9")
    assert seen <= set(named) and "sessionid" in seen and "csrftoken" in seen
