"""Year-scoped permalinks, and a second year beside the first (a synthetic 115, made here from
the real 114 plan: tests/support/second_year.py).

Every page lives under its plan's year (/114/…); the unscoped addresses published before years
redirect to the newest plan's page; / shows the newest plan. With 115 loaded, 114's pages do not
change but for the year switcher, and 115's pages compare each line with 114's.
"""

import json
import re
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from plan.content import published
from plan.document.folders import plan_folder
from plan.models import BudgetLine, BudgetLineMatch, Plan
from tests.support import second_year
from tests.support.admin import create_editor, logged_in_client
from tests.support.commands import command_output
from tests.support.downloads import csv_dicts
from tests.support.html import parse

pytestmark = pytest.mark.django_db

SWITCHER = re.compile(r'<nav class="year-switcher".*?</nav>\n', re.S)
COMPARED = re.compile(r'<section class="compared".*?</section>', re.S)


@pytest.fixture
def second(plan, plan_document):
    """The synthetic 115 plan, loaded beside 114."""
    loaded = second_year.load_second_year(plan_document)
    cache.clear()
    published.forget()
    return loaded


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/budget/", "/114/budget/"),
        ("/budget/2-2/", "/114/budget/2-2/"),
        ("/measures/2-2-3-m1/", "/114/measures/2-2-3-m1/"),
        ("/goals/4/", "/114/goals/4/"),
        (
            "/search/?q=%E8%A9%90%E6%AC%BA&sort=-amount",
            "/114/search/?q=%E8%A9%90%E6%AC%BA&sort=-amount",
        ),
        ("/open-data/budget-lines.csv", "/114/open-data/budget-lines.csv"),
        ("/changes/feed/", "/114/changes/feed/"),
        ("/about/source.txt", "/114/about/source.txt"),
    ],
)
def test_the_addresses_published_before_years_redirect_to_the_newest_plan(client, plan, old, new):
    response = client.get(old)
    assert response.status_code == 302  # "newest" changes: never a permanent redirect
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_every_section_of_a_plan_redirects_without_its_year(client, plan):
    from plan.urls import urlpatterns

    firsts = {str(pattern.pattern).split("/", 1)[0] for pattern in urlpatterns} - {""}
    for section in sorted(firsts):
        response = client.get(f"/{section}/")
        assert response.status_code == 302, section
        assert response["Location"] == f"/114/{section}/"


def test_with_a_newer_plan_the_old_addresses_go_to_it(client, second):
    assert client.get("/budget/2-2/")["Location"] == "/115/budget/2-2/"
    assert client.get("/114/budget/2-2/").status_code == 200  # a permalink keeps its meaning


def test_the_root_shows_the_newest_plan_and_names_its_permanent_address(client, plan):
    html = page(client, "/")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/114/">' in html
    assert "114 年度施政計畫" in html


def test_a_year_without_its_slash_gets_it_and_a_year_without_a_plan_is_a_clear_404(client, plan):
    response = client.get("/114")
    assert response.status_code == 301 and response["Location"] == "/114/"
    missing = client.get("/113/budget/2-2/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "沒有 113 年度的施政計畫" in html and 'href="/114/"' in html


def test_links_on_a_page_stay_in_its_year(client, second):
    for year in (114, 115):
        html = page(client, f"/{year}/budget/2-2/")
        # Only the switcher and the comparison link to the other year, on purpose.
        own = COMPARED.sub("", SWITCHER.sub("", html))
        links = {link for link in parse(own).links() if link.startswith("/1")}
        assert links and all(link.startswith(f"/{year}/") for link in links), links
        assert f'<link rel="canonical" href="http://127.0.0.1:8000/{year}/budget/2-2/">' in html


def test_the_sitemap_lists_every_year_under_its_own_address(client, second):
    xml = page(client, "/sitemap.xml")
    for year in (114, 115):
        assert f"<loc>http://127.0.0.1:8000/{year}/budget/2-2-3/</loc>" in xml
    assert f"/115/measures/{second_year.NEW_MEASURE}/" in xml
    assert f"/114/measures/{second_year.NEW_MEASURE}/" not in xml
    assert "<loc>http://127.0.0.1:8000/budget/" not in xml


# ---------------------------------------------------------------- the year switcher


def test_one_plan_has_no_switcher(client, plan):
    assert 'class="year-switcher"' not in page(client, "/114/budget/2-2/")


def test_the_switcher_goes_to_the_same_record_in_the_other_year(client, second):
    nav = parse(page(client, "/115/budget/2-2-3/")).find("nav", class_="year-switcher")
    assert nav.links() == ["/115/budget/2-2-3/", "/114/budget/2-2-3/"]
    # A record the other year has not: to that year's home, and it says so.
    html = page(client, f"/115/measures/{second_year.NEW_MEASURE}/")
    nav = parse(html).find("nav", class_="year-switcher")
    assert nav.links() == [f"/115/measures/{second_year.NEW_MEASURE}/", "/114/"]
    assert "該年度沒有這一頁" in nav.text()
    # A search keeps its question.
    nav = parse(page(client, "/114/search/?q=詐欺")).find("nav", class_="year-switcher")
    assert "/115/search/?q=" in nav.links()[0]


def test_a_record_missing_in_one_year_links_to_the_years_that_have_it(client, second):
    response = client.get(f"/114/measures/{second_year.NEW_MEASURE}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "114 年度的施政計畫沒有這一項" in html
    assert f'href="/115/measures/{second_year.NEW_MEASURE}/"' in html
    nowhere = client.get("/114/budget/9-9/")
    assert nowhere.status_code == 404 and "其他年度有" not in nowhere.content.decode()


def test_the_root_lists_every_year_and_114_home_does_not_change(client, plan, second):
    html = page(client, "/")
    assert "歷年施政計畫" in html and 'href="/114/"' in html
    assert "歷年施政計畫" not in page(client, "/114/")


# ---------------------------------------------------------------- 114 unchanged beside 115


def _pages_of_114(client) -> list[str]:
    xml = page(client, "/sitemap.xml")
    urls = re.findall(r"<loc>http://127\.0\.0\.1:8000(/114/[^<]*)</loc>", xml)
    return [*urls, "/114/open-data/budget-lines.csv", "/114/open-data/plan.json", "/114/changes/"]


def test_114_pages_do_not_change_when_115_arrives_but_for_the_switcher(client, plan, plan_document):
    urls = _pages_of_114(client)
    assert len(urls) > 200
    before = {url: page(client, url) for url in urls}
    second_year.load_second_year(plan_document)
    cache.clear()
    published.forget()
    changed = []
    for url in urls:
        after = page(client, url)
        if SWITCHER.sub("", after) != before[url]:
            changed.append(url)
        if url.endswith("/"):
            assert 'class="year-switcher"' in after, url
    assert changed == []


# ---------------------------------------------------------------- year on year


def _figures(html: str) -> dict[str, str]:
    """The comparison's figures as {term: value}, as a reader sees them."""
    section = parse(html).find("section", class_="compared")
    assert section is not None
    pairs = zip(section.find_all("dt"), section.find_all("dd"), strict=True)
    return {dt.text(): re.sub(r"\s+", " ", dd.text()).strip() for dt, dd in pairs}


def test_a_line_with_a_changed_amount_shows_both_years_and_the_change(client, second):
    html = page(client, "/115/budget/2-2-1/")
    assert _figures(html) == {
        "114 年度": "158,927 千元",
        "增減": "+47,678 千元",
        "增減比例": "+30.0% 變動較大",
    }
    assert "同一代碼、同一名稱" in html


def test_a_renamed_line_is_matched_only_by_the_editors_and_says_so(client, second):
    html = page(client, "/115/budget/2-2-3/")
    assert _figures(html)["增減"] == "0 千元"
    assert "本站對應" in html and "外事業務" in html and "改名為「外事服務業務」" in html
    BudgetLineMatch.objects.filter(line__plan=second).delete()  # without the editors' match…
    cache.clear()
    published.forget()
    html = page(client, "/115/budget/2-2-3/")
    assert "本年度新增" in html  # …a renamed line is new, never guessed
    assert "上年度同一代碼是「(三)外事業務」，名稱不同，未視為同一項目" in html


def test_a_line_in_the_place_of_a_removed_one_is_new_and_the_removed_one_is_listed(client, second):
    html = page(client, "/115/budget/2-2-11/")
    assert "本年度新增" in html and "(十一)刑事鑑識業務" in html and "名稱不同" in html
    parent = page(client, "/115/budget/2-2/")
    removed = parse(parent).find("section", class_="compared")
    assert "114 年度有、本年度沒有的下層項目" in removed.text()
    assert "(十一)刑事鑑識業務：114 年度 6,676 千元" in removed.text()
    assert 'href="/114/budget/2-2-11/"' in parent


def test_the_children_table_and_the_home_page_show_the_change(client, second):
    html = page(client, "/115/budget/2-2/")
    table = parse(html).find("table", class_="split-table")
    assert "比上年度" in table.find("thead").text()
    rows = {row.find("th").text(): row.text() for row in table.find_all("tr")[1:]}
    assert "+47,678" in rows["(一)後勤業務"] and "+30.0%" in rows["(一)後勤業務"]
    assert "本年度新增" in rows["(十一)資訊安全業務"]
    home = page(client, "/115/")
    total_change = second.total_amount - 11_722_205
    assert f"−{-total_change:,}" in home and "比 114 年度" in home
    assert "比上年度" not in page(client, "/114/budget/2-2/")  # nothing before 114


def test_the_total_row_shows_the_whole_change_including_added_and_removed_lines(client, second):
    # 2-2 gained (十一)資訊安全業務 (9,000) and lost 114's (十一)刑事鑑識業務 (6,676): the rows'
    # changes add up to +47,678, the line itself changed by +50,002.
    table = parse(page(client, "/115/budget/2-2/")).find("table", class_="split-table")
    total = table.find("tfoot").text()
    assert "+50,002" in total and "+12.9%" in total and "+47,678" not in total
    home = parse(page(client, "/115/")).find("table", class_="split-table").find("tfoot").text()
    assert f"−{11_722_205 - second.total_amount:,}" in home


def test_large_changes_are_flagged(client, second):
    html = page(client, "/115/budget/2-2/")
    assert html.count("變動較大") >= 1
    assert "變動較大" not in page(client, "/115/budget/2-2-8/")  # unchanged


def test_the_budget_lines_csv_gains_the_comparison_columns(client, second):
    rows = {row["id"]: row for row in csv_dicts(client.get("/115/open-data/budget-lines.csv"))}
    raised = rows["2-2-1"]
    assert raised["previous_fiscal_year"] == "114" and raised["previous_id"] == "2-2-1"
    assert raised["previous_amount_thousand_twd"] == "158927"
    assert raised["change_thousand_twd"] == "47678" and raised["change_percent"] == "30.0"
    assert raised["comparison"] == "same" and raised["large_change"] == "true"
    assert rows["2-2-3"]["comparison"] == "matched" and rows["2-2-3"]["comparison_note"]
    assert rows["2-2-11"]["comparison"] == "new" and rows["2-2-11"]["previous_id"] == ""
    assert rows["2-2-8"]["large_change"] == "false" and rows["2-2-8"]["change_thousand_twd"] == "0"
    first = csv_dicts(client.get("/114/open-data/budget-lines.csv"))
    assert "comparison" not in first[0]
    subtree = csv_dicts(client.get("/115/budget/2-2/budget-lines.csv"))
    assert {row["id"]: row["comparison"] for row in subtree}["2-2-11"] == "new"


def test_the_115_data_package_validates_with_its_comparison_columns(client, second, tmp_path):
    from frictionless import validate

    descriptor = client.get("/115/open-data/datapackage.json").content
    (tmp_path / "datapackage.json").write_bytes(descriptor)
    package = json.loads(descriptor)
    for resource in package["resources"]:
        url = f"/115/open-data/{resource['path']}"
        (tmp_path / resource["path"]).write_bytes(client.get(url).content)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    fields = [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    assert "change_thousand_twd" in fields and "large_change" in fields
    assert package["homepage"] == "http://127.0.0.1:8000/115/"


def test_editors_keep_the_matches_in_the_admin(client, second):
    editor = create_editor("match-editor", "match-editor-pass-7781")
    staff = logged_in_client(editor)
    added = BudgetLine.objects.get(plan=second, code="2-2-11")
    removed = BudgetLine.objects.get(plan__fiscal_year=114, code="2-2-11")
    response = staff.post(
        "/admin/plan/budgetlinematch/add/",
        {"line": added.pk, "previous": removed.pk, "note": "職掌移轉：鑑識改由資訊安全業務承辦。"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = page(client, "/115/budget/2-2-11/")  # the save moved the data version
    assert "本站對應" in html and "職掌移轉" in html
    backwards = staff.post(
        "/admin/plan/budgetlinematch/add/",
        {"line": removed.pk, "previous": added.pk, "note": "倒過來"},
    )
    assert backwards.status_code == 200 and "較早年度" in backwards.content.decode()


# ---------------------------------------------------------------- query counts, two years


@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize(
    "path",
    [
        "/budget/2-2/",
        "/budget/2-2-3/",
        "/measures/2-2-3-m1/",
        "/goals/4/",
        "/",
        "/open-data/budget-lines.csv",
    ],
)
def test_a_page_costs_the_same_queries_in_either_year_and_with_one_or_two(
    client, plan, plan_document, path
):
    def cost(url):
        cache.clear()
        published.forget()
        client.get(url)  # the lookups made once per data change
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    alone = cost(f"/114{path}")
    second_year.load_second_year(plan_document)
    assert cost(f"/114{path}") == alone
    assert cost(f"/115{path}") == alone


# ---------------------------------------------------------------- one folder per document


def test_the_commands_take_plans_by_slug(plan, second, tmp_path):
    assert "kcpd-114: matches a fresh build" in command_output("buildplan", "--check", "kcpd-114")
    checked = command_output("checkplan", "kcpd-115")
    assert "kcpd-115" in checked and "all checks passed" in checked
    with pytest.raises(Exception, match="several plans are loaded"):
        command_output("exportplan")
    exported = json.loads(command_output("exportplan", "kcpd-114"))
    assert exported["plan"]["fiscal_year"] == 114
    command_output("exportplan", "--output-dir", str(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kcpd-114.json", "kcpd-115.json"]
    with pytest.raises(Exception, match="no plan folder"):
        command_output("buildplan", "kcpd-999")


@pytest.fixture
def next_year_folder(tmp_path, settings):
    """A copy of the plans folder with a 115 folder whose document is the 114 text."""
    plans = tmp_path / "plans"
    shutil.copytree(plan_folder("kcpd-114").path, plans / "kcpd-114")
    folder = plans / "kcpd-115"
    shutil.copytree(plans / "kcpd-114", folder)
    settings.PLANS_DIR = plans
    return folder


def test_a_new_document_must_be_the_year_its_folder_says(next_year_folder):
    (next_year_folder / "plan.toml").write_text(
        'agency = "高雄市政府警察局"\nfiscal_year = 115\nsource = "kcpd-114-plan.txt"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        Exception, match=r"line \d+: the title .* does not name 高雄市政府警察局 115"
    ):
        call_command("buildplan", "kcpd-115")


def test_a_new_document_that_breaks_a_reading_rule_names_the_line_and_the_rule(next_year_folder):
    source = next_year_folder / "kcpd-114-plan.txt"
    text = source.read_text(encoding="utf-8")
    # The detailed plan prints 二、勤業務管理 with another amount than the summary table.
    source.write_text(text.replace("\t387,350\t", "\t387,351\t", 1), encoding="utf-8")
    with pytest.raises(Exception) as raised:
        call_command("buildplan", "kcpd-115")
    message = str(raised.value)
    assert re.search(r"line \d+: ", message)
    assert "rule: 類 and 項 come from the summary table" in message


def test_loadplan_loads_a_folders_comparison_file(plan, plan_document, next_year_folder, settings):
    document = second_year.second_year_document(plan_document)
    (next_year_folder / "plan.json").write_text(json.dumps(document, ensure_ascii=False))
    (next_year_folder / "comparison.toml").write_text(
        '[[match]]\ncode = "2-2-3"\nprevious = "2-2-3"\nnote = "改名。"\n', encoding="utf-8"
    )
    output = command_output("loadplan", "kcpd-115")
    assert "1 筆跨年度對應（114 年度）" in output
    match = BudgetLineMatch.objects.get()
    assert (match.line.plan.fiscal_year, match.previous.plan.fiscal_year) == (115, 114)
    assert "沒有變更" in command_output("loadplan", "kcpd-115")
    assert Plan.objects.count() == 2
