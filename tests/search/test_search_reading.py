"""How search reads what people type: Simplified Chinese, full-width characters, the synonym
table, and the fallback to the longest parts of a phrase nothing holds whole.

Results are compared with the plain-Python reference (tests/support/reference_search.py);
CI runs this file on SQLite and on PostgreSQL.
"""

import unicodedata

import pytest
from django.core.management import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from plan.content import published
from plan.models import Measure, SearchSynonym
from plan.search.terms import anchor, fold
from tests.search.test_search import (
    get_search,
    is_fallback,
    keys,
    notices,
    result_rows,
    search_rows,
)
from tests.support import reference_search as reference
from tests.support.admin import create_editor, logged_in_client
from tests.support.commands import command_output
from tests.support.html import parse, squash

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- how people write


def test_詐騙_finds_at_least_what_詐欺_finds(client, plan):
    fraud = set(keys(search_rows(client, q="詐欺")))
    scam = set(keys(search_rows(client, q="詐騙")))
    assert len(fraud) >= 7
    assert fraud <= scam
    assert keys(search_rows(client, q="詐騙")) == reference.search("詐騙")


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [("诈骗", "詐騙"), ("诈欺", "詐欺"), ("监视器", "監視器"), ("交通执法", "交通執法")],
)
def test_simplified_chinese_finds_what_traditional_finds(client, plan, simplified, traditional):
    found = keys(search_rows(client, q=simplified))
    assert found
    assert found == keys(search_rows(client, q=traditional))


@pytest.mark.parametrize(("wide", "narrow"), [("１１０", "110"), ("ＡＩ", "AI"), ("ＤＮＡ", "dna")])
def test_full_width_digits_and_letters_find_what_half_width_ones_find(client, plan, wide, narrow):
    found = keys(search_rows(client, q=wide))
    assert found
    assert found == keys(search_rows(client, q=narrow))


def test_the_page_says_what_else_it_searched_for(client, plan):
    _html, page = get_search(client, {"q": "詐騙"})
    assert "也搜尋了：詐欺（同義詞）。" in notices(page)
    _html, page = get_search(client, {"q": "诈骗"})
    assert "也搜尋了：詐騙（繁體字）、詐欺（同義詞）。" in notices(page)


def test_a_word_typed_as_printed_is_kept_beside_its_conversion(client, plan):
    # OpenCC writes 台 as 臺: a reader who types 台 still finds the 台 the plan prints.
    assert fold("臺") != fold("台")
    printed = {key for key in keys(search_rows(client, q="台")) if key}
    both = set(keys(search_rows(client, q="台灣")))
    assert both == set(reference.search("台灣"))
    assert printed == set()  # one character is too short to search: the notice says so
    assert both


def test_text_stored_in_compatibility_characters_is_found(client, plan):
    # PDF extractions print Kangxi radicals and full-width forms: ⾦ (U+2FA6) for 金.
    Measure.objects.filter(code="2-2-3-m1").update(name="⾦⾨專案１２３")
    assert keys(search_rows(client, q="金門專案")) == [("measure", "2-2-3-m1")]
    assert keys(search_rows(client, q="⾦⾨")) == [("measure", "2-2-3-m1")]
    assert keys(search_rows(client, q="專案123")) == [("measure", "2-2-3-m1")]
    rows = search_rows(client, q="金門專案")
    assert rows[0].marks == ["⾦⾨專案"]  # the printed characters are highlighted


# ---------------------------------------------------------------- narrowing in the database

CJK = "金門行政視監器詐欺"
PRODUCERS = "⾦⾨⾏\uf9d7\ufa61㈼㊬\u32ac（）１２ＡＢ"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=CJK + PRODUCERS + "ab12 ()", max_size=24), data=st.data())
def test_a_stored_text_that_matches_holds_the_anchor_literally(text, data):
    # What makes the database's narrowing safe on every database: whenever the folded text
    # holds a folded term, the stored text holds the term's anchor as it is.
    folded = fold(text)
    start = data.draw(st.integers(0, len(folded)))
    end = data.draw(st.integers(start, len(folded)))
    term = folded[start:end]
    assert anchor(term) in text


def test_an_anchor_is_made_of_characters_only_they_fold_to():
    assert anchor(fold("詐欺")) == "詐欺"
    assert anchor(fold("110")) == ""  # １１０ is 110 too
    assert anchor(fold("監視器")) == ""  # ㈼ (U+323C) folds to (監)
    for character in anchor(fold("詐欺業務交通")):
        made_of = [
            chr(point)
            for point in range(0x30000)
            if chr(point) != character and character in fold(chr(point))
        ]
        assert made_of == [], (character, made_of[:3])


# ---------------------------------------------------------------- the synonym table


def test_every_synonym_group_has_a_word_the_plan_uses():
    texts = [fold(field) for record in reference.records() for field in record.fields]
    for group in reference.synonym_groups():
        assert any(fold(word) in text for word in group for text in texts), group


def test_the_synonym_table_is_loaded_from_its_file(plan):
    stored = [record.word_list for record in SearchSynonym.objects.all()]
    assert stored == [list(group) for group in reference.synonym_groups()]
    assert all(record.reason for record in SearchSynonym.objects.all())


def test_a_synonym_edited_in_the_admin_changes_the_results_at_once(admin_client, plan):
    assert search_rows(admin_client, q="竊賊") == []
    group = SearchSynonym.objects.get(words__contains="竊盜")
    response = admin_client.post(
        f"/admin/plan/searchsynonym/{group.pk}/change/",
        {"words": f"{group.words}、竊賊", "reason": group.reason, "position": group.position},
    )
    assert response.status_code == 302
    published.forget()  # a second later, on any worker
    rows = search_rows(admin_client, q="竊賊")
    assert rows
    assert keys(rows) == keys(search_rows(admin_client, q="竊盜"))


def test_deleting_a_synonym_group_moves_the_data_version_forward(admin_client, plan):
    before = published.current().version
    group = SearchSynonym.objects.get(words__contains="詐騙")
    response = admin_client.post(f"/admin/plan/searchsynonym/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    published.forget()
    after = published.current().version
    assert after.key != before.key
    assert after.modified >= before.modified
    assert set(keys(search_rows(admin_client, q="詐騙"))) < set(
        keys(search_rows(admin_client, q="詐欺"))
    )


@pytest.mark.parametrize(
    ("words", "message"),
    [("詐騙", "至少要有兩個詞"), ("詐騙、詐", "至少兩個字"), ("", "這個欄位是必須的")],
)
def test_the_admin_refuses_a_group_that_cannot_work(admin_client, plan, words, message):
    response = admin_client.post(
        "/admin/plan/searchsynonym/add/", {"words": words, "reason": "測試", "position": 99}
    )
    assert response.status_code == 200
    assert message in squash(parse(response.content.decode()).text())
    assert not SearchSynonym.objects.filter(position=99).exists()


def test_loadsynonyms_is_idempotent_and_puts_the_file_back(plan):
    assert "沒有變更" in command_output("loadsynonyms")
    SearchSynonym.objects.filter(words__contains="詐騙").update(words="詐騙、騙局")
    assert "已更新" in command_output("loadsynonyms")
    stored = [record.word_list for record in SearchSynonym.objects.all()]
    assert stored == [list(group) for group in reference.synonym_groups()]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[group]]\nwords = ["詐騙"]\nreason = "x"\n', "group 1: 至少要有兩個詞"),
        ('[[group]]\nwords = ["詐騙", "詐欺"]\n', "group 1 (詐騙、詐欺): needs a reason"),
        ('[[group]]\nwords = "詐騙"\nreason = "x"\n', "words must be a list of strings"),
        ("[[group]\n", "synonyms.toml"),
    ],
)
def test_loadsynonyms_refuses_a_broken_file_in_one_line_and_changes_nothing(
    plan, tmp_path, text, message
):
    path = tmp_path / "synonyms.toml"
    path.write_text(text, encoding="utf-8")
    before = list(SearchSynonym.objects.values_list("words", flat=True))
    with pytest.raises(CommandError) as error:
        command_output("loadsynonyms", file=path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert list(SearchSynonym.objects.values_list("words", flat=True)) == before


def test_an_editor_may_keep_the_synonym_table(plan):
    editor = create_editor("synonym-editor", "a-long-enough-password-114")
    for action in ("view", "add", "change", "delete"):
        assert editor.has_perm(f"plan.{action}_searchsynonym"), action
    client = logged_in_client(editor)
    assert client.get("/admin/").content.decode().count("/admin/plan/searchsynonym/") >= 1
    response = client.post(
        "/admin/plan/searchsynonym/add/",
        {"words": "竊賊、竊盜", "reason": "民眾的說法", "position": 99},
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(position=99, words="竊賊、竊盜").exists()


# ---------------------------------------------------------------- when nothing matches


def fallback_parts(page) -> list[str]:
    heading = squash(page.find("h2", id="results").text())
    return heading.split("片段", 1)[1].split("的資料")[0].strip("「」").split("」「")


def reference_fallback(parts: list[str]) -> list[tuple[str, str]]:
    """Records holding every part or, when none does, any of them, in document order."""
    every = reference.search(" ".join(parts))
    if every:
        return every
    anywhere = {key for part in parts for key in reference.search(part)}
    return [record.key for record in reference.records() if record.key in anywhere]


@pytest.mark.parametrize(
    ("query", "parts"),
    [
        ("詐騙集團防制宣導品", ["詐騙集團", "防制宣導"]),  # no record holds both
        ("酒駕宣導週", ["酒駕", "宣導"]),  # two records hold both
        ("防制宣導品", ["防制宣導"]),
    ],
)
def test_a_phrase_no_record_holds_falls_back_to_its_longest_parts_and_says_so(
    client, plan, query, parts
):
    assert reference.search(query) == []
    _html, page = get_search(client, {"q": query})
    assert is_fallback(page)
    said = " ".join(notices(page))
    assert f"找不到含有「{query}」的資料" in said
    assert "最長的片段" in said
    assert fallback_parts(page) == parts
    assert keys(result_rows(page)) == reference_fallback(parts)
    # No longer piece of the query is in the plan.
    size = len(parts[0]) + 1
    pieces = {query[i : i + size] for i in range(len(query) - size + 1)}
    assert all(reference.search(piece) == [] for piece in pieces)


def test_words_no_record_holds_together_fall_back_to_the_longest_of_them(client, plan):
    query = "監視器 捷運站"
    assert reference.search(query) == []
    _html, page = get_search(client, {"q": query})
    assert "找不到同時符合這些詞的資料" in " ".join(notices(page))
    assert fallback_parts(page) == ["監視器", "捷運站"]
    assert keys(result_rows(page)) == reference_fallback(["監視器", "捷運站"])


def test_a_single_word_is_never_told_to_use_fewer_words(client, plan):
    _html, page = get_search(client, {"q": "查無此詞"})
    said = " ".join(notices(page))
    assert "減少詞數" not in said
    assert "找不到含有「查無此詞」的資料" in said


def test_when_nothing_matches_at_all_the_page_offers_example_queries(client, plan):
    _html, page = get_search(client, {"q": "xyzzy"})
    assert result_rows(page) == []
    examples = page.find("ul", class_="search-examples").find_all("a")
    assert len(examples) >= 4
    for link in examples:
        rows = search_rows(client, q=squash(link.text()))
        assert rows, link.text()
    assert "/114/budget/lines/" in page.find("section", class_="search-help").links()


def test_an_empty_search_offers_examples_and_the_budget_table(client, plan):
    _html, page = get_search(client, {})
    help_links = page.find("section", class_="search-help").links()
    assert "/114/budget/lines/" in help_links
    assert any("q=" in link for link in help_links)


def test_latin_scraps_are_not_parts(client, plan):
    # 「(1)」 and two letters of a word are not what a reader meant.
    _html, page = get_search(client, {"q": "<script>alert(1)</script>"})
    assert result_rows(page) == []


def test_fold_is_nfkc_and_case_folding():
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("（段）") == "(段)"
    assert fold("⾦") == "金"
    assert fold("Straße") == "strasse"
    assert unicodedata.is_normalized("NFKC", fold("ﬁ㈠"))
