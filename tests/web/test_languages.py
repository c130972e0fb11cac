"""The site in English under /en/: the same pages, the site's own words in English, the plan's
text as published and marked as Chinese, a switch that keeps the reader on the same record,
hreflang alternates, both languages in the sitemap and apart in the page cache."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from plan.models import BudgetLine, PolicyGoal
from plan.reading import formatting
from tests.support.english import untranslated
from tests.support.html import parse

pytestmark = pytest.mark.django_db

# One page of each kind: every page the site has in English.
ENGLISH_PAGES = [
    "/en/114/",
    "/en/114/budget/",
    "/en/114/budget/?open=all",
    "/en/114/budget/lines/",
    "/en/114/budget/lines/?level=category&sort=-amount",
    "/en/114/budget/1/",
    "/en/114/budget/2-2/",
    "/en/114/budget/2-2-3/",
    "/en/114/measures/2-2-3-m1/",
    "/en/114/goals/",
    "/en/114/goals/4/",
    "/en/114/search/",
    "/en/114/search/?q=監視器",
    "/en/114/search/?q=zzzzqqq",
    "/en/114/open-data/",
    "/en/114/open-data/api/",
    "/en/114/changes/",
    "/en/114/about/",
    "/en/114/glossary/",
    "/en/114/accessibility/",
    "/en/114/site-map/",
    "/en/114/privacy/",
    "/en/114/open-data-licence/",
    "/en/114/contact/",
    "/en/114/embed/budget/2-2/",
]


def test_the_english_home_is_in_english(client, plan):
    response = client.get("/en/114/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Content-Language" not in response or response["Content-Language"] == "en"


def test_chinese_stays_the_default(client, plan):
    html = client.get("/114/").content.decode()
    assert '<html lang="zh-Hant-TW">' in html
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode().count('lang="zh-Hant-TW"')


@pytest.mark.parametrize("path", ["/en/", "/en/114/budget/2-2/"])
def test_english_addresses_answer(client, plan, path):
    assert client.get(path).status_code == 200


def test_addresses_without_a_year_keep_the_language(client, plan):
    response = client.get("/en/budget/2-2/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/en/114/budget/2-2/?q=x"
    assert client.get("/en")["Location"] == "/en/"


@pytest.mark.parametrize("path", ["/en/admin/", "/en/api/v1/plans/", "/en/sitemap.xml", "/en/x"])
def test_only_the_plans_pages_have_english_addresses(client, plan, path):
    response = client.get(path)
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_record_is_an_english_404(client, plan):
    response = client.get("/en/114/budget/9-9-9/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert untranslated(html) == []


def test_links_on_an_english_page_stay_in_english(client, plan):
    html = client.get("/en/114/budget/2-2/").content.decode()
    page = parse(html)
    links = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("/")]
    plan_links = [link for link in links if re.match(r"^/(en/)?[0-9]{3}/", link)]
    switch = page.find_all("a", class_="language-switch")[0].attrs["href"]
    assert plan_links and all(
        link.startswith("/en/114/") for link in plan_links if link != switch
    ), plan_links
    assert switch == "/114/budget/2-2/"


def test_the_switch_keeps_the_record_and_the_query(client, plan):
    page = parse(client.get("/114/search/?q=監視器&kind=measure").content.decode())
    switch = page.find_all("a", class_="language-switch")[0]
    # The query percent-encoded, as the address bar had it (監視器), never as raw bytes.
    assert switch.attrs["href"].startswith("/en/114/search/?q=%E7%9B%A3%E8%A6%96%E5%99%A8")
    assert "kind=measure" in switch.attrs["href"]
    assert switch.attrs["hreflang"] == "en"
    assert switch.text().strip() == "English"


def test_each_page_names_its_other_language(client, plan):
    html = client.get("/en/114/goals/4/").content.decode()
    origin = settings.SITE_URL
    assert f'hreflang="zh-Hant-TW" href="{origin}/114/goals/4/"' in html
    assert f'hreflang="en" href="{origin}/en/114/goals/4/"' in html
    assert f'hreflang="x-default" href="{origin}/114/goals/4/"' in html
    assert f'<link rel="canonical" href="{origin}/en/114/goals/4/">' in html


def test_the_sitemap_has_both_languages_as_alternates(client, plan):
    xml = client.get("/sitemap.xml").content.decode()
    origin = settings.SITE_URL
    assert f"<loc>{origin}/en/114/budget/2-2-3/</loc>" in xml
    assert f'hreflang="en" href="{origin}/en/114/budget/2-2-3/"' in xml
    assert f'hreflang="zh-Hant-TW" href="{origin}/114/budget/2-2-3/"' in xml


def test_the_page_cache_keeps_the_languages_apart(client, plan):
    chinese = client.get("/114/budget/2-2/").content.decode()
    english = client.get("/en/114/budget/2-2/").content.decode()
    assert client.get("/114/budget/2-2/").content.decode() == chinese
    assert '<html lang="zh-Hant-TW">' in chinese and '<html lang="en">' in english
    assert client.get("/en/114/budget/2-2/").content.decode() == english


def test_amounts_read_in_nt_dollars_in_english():
    with translation.override("en"):
        assert formatting.amount_reading(11_722_205) == "about NT$11.72 billion"
        assert formatting.amount_reading(42_668) == "about NT$42.7 million"
        assert formatting.amount_reading(800) == "NT$800,000"
        assert formatting.per_resident_text(11_722_205, 2_731_412) == "NT$4,292"
    assert formatting.amount_reading(11_722_205) == "約 117.2 億元"


def test_categories_and_goals_have_the_sites_english_names(client, plan):
    html = client.get("/en/114/budget/").content.decode()
    assert "Precinct operations" in html
    assert "分局業務" in html  # the published name stays beside it
    goals = client.get("/en/114/goals/").content.decode()
    for goal in PolicyGoal.objects.filter(plan=plan):
        assert goal.short_title in goals
    assert "Forensic science" in goals


def test_the_plans_own_text_is_marked_chinese(client, plan):
    line = BudgetLine.objects.get(plan=plan, code="2-2-3")
    page = parse(client.get("/en/114/budget/2-2-3/").content.decode())
    marked = [el for el in page.iter() if (el.attrs.get("lang") or "").startswith("zh")]
    assert any(line.name in el.text() for el in marked)


def test_search_works_from_the_english_pages(client, plan):
    html = client.get("/en/114/search/?q=監視器").content.decode()
    page = parse(html)
    hrefs = [a.attrs.get("href", "") for a in page.find_all("a")]
    results = [href for href in hrefs if "/measures/" in href]
    assert results and all(href.startswith("/en/114/") for href in results)
    form = [f for f in page.find_all("form") if f.attrs.get("role") == "search"]
    assert form and all(f.attrs["action"].startswith("/en/114/") for f in form)


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_english_pages_say_nothing_in_chinese_outside_the_plans_text(plan, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert untranslated(response.content.decode()) == []


def test_the_english_catalogue_is_complete():
    text = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    entries = re.split(r"\n\n+", text.split("\n\n", 1)[1])
    empty = [
        entry
        for entry in entries
        if re.search(r'^msgstr(\[0\])? ""$', entry, re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', entry, re.M)
    ]
    assert empty == [], f"{len(empty)} messages without English, e.g. {empty[:3]}"
    # makemessages guesses a changed message's English from a similar one and marks it fuzzy;
    # Django never uses a fuzzy one, so each must be read and confirmed.
    fuzzy = [entry for entry in entries if re.search(r"^#, .*fuzzy", entry, re.M)]
    assert fuzzy == [], f"{len(fuzzy)} guessed translations to confirm, e.g. {fuzzy[:3]}"
