"""The fixture is the source document plus the reviewed corrections, nothing else."""

import json
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from plan.document.contract import dump
from plan.document.folders import plan_folder
from plan.importer.build import build_plan
from plan.importer.corrections import CorrectionError

FOLDER = plan_folder("kcpd-114")


def build(corrections=None):
    return build_plan(FOLDER, corrections=corrections)


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def corrections(kind):
    return tomllib.loads(FOLDER.corrections.read_text(encoding="utf-8"))[kind]


def source_line(number):
    return FOLDER.source.read_text(encoding="utf-8").split("\n")[number - 1]


def by_code(document):
    """Budget lines and measures by code."""
    records = {}
    for node in walk(document["budget"]):
        records[node["code"]] = node
        records.update((measure["code"], measure) for measure in node["measures"])
    return records


def find(document, label):
    hits = [node for node in walk(document["budget"]) if node["ordinal"] + node["name"] == label]
    assert len(hits) == 1, label
    return hits[0]


def test_rebuilding_reproduces_the_committed_fixture_byte_for_byte():
    assert dump(build()) == FOLDER.fixture.read_text(encoding="utf-8")


def test_buildplan_check_passes_on_the_committed_fixture(capsys):
    call_command("buildplan", "--check")
    assert "matches a fresh build" in capsys.readouterr().out


def test_buildplan_check_fails_when_the_fixture_was_edited_by_hand(tmp_path):
    edited = tmp_path / "plan.json"
    edited.write_text(
        FOLDER.fixture.read_text(encoding="utf-8").replace("850994", "850995", 1),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="out of date"):
        call_command("buildplan", "--check", "--output", str(edited))


def test_the_source_copy_is_the_shared_document():
    shared = Path(settings.BASE_DIR).parent / "shared" / "source" / "kcpd-114-plan.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert shared.read_bytes() == FOLDER.source.read_bytes()


def test_nineteen_goals_verbatim_with_page_breaks_joined():
    goals = build()["goals"]
    assert [goal["number"] for goal in goals] == list(range(1, 20))
    assert goals[0]["ordinal"] == "一、"
    assert goals[7]["text"].startswith("賡續爭取經費")
    assert "提升執勤能力與工作效能。結合專業人力資源" in goals[7]["text"]
    assert "辦理推動「5G 智慧巡邏車」建置" in goals[16]["text"]
    assert goals[18]["text"].endswith("確保國家安全，增進社會安定。")


def test_categories_and_items_agree_with_the_summary_table():
    document = build()
    categories = document["budget"]
    assert [c["ordinal"] + c["name"] for c in categories] == [
        "壹、一般行政",
        "貳、警政警衛實施",
        "參、分局業務",
        "肆、大隊業務",
        "伍、警隊業務",
        "陸、第一預備金",
    ]
    assert [c["amount"] for c in categories] == [
        850_994,
        430_018,
        7_641_832,
        2_373_026,
        425_535,
        800,
    ]
    assert sum(c["amount"] for c in categories) == document["plan"]["total_amount"] == 11_722_205
    assert [i["amount"] for i in categories[3]["children"]] == [
        2_001_750,
        101_090,
        13_719,
        65_518,
        190_949,
    ]


def test_every_parent_equals_the_sum_of_its_children():
    for node in walk(build()["budget"]):
        if node["children"]:
            assert sum(child["amount"] for child in node["children"]) == node["amount"], node[
                "code"
            ]


def test_the_one_missing_amount_is_derived_and_the_shifted_ones_are_placed():
    document = build()
    derived = [node for node in walk(document["budget"]) if node["amount_source"] == "derived"]
    assert [(node["name"], node["amount"]) for node in derived] == [("外事業務", 688)]
    assert find(document, "(四)保安業務")["amount"] == 7_568
    assert find(document, "(九)防治業務")["amount"] == 6_663
    assert find(document, "(十一)刑事鑑識業務")["amount"] == 6_676
    assert find(document, "四、交通警察勤務")["amount"] == 65_518
    assert find(document, "五、捷運警察業務")["amount"] == 1_404


def test_measures_keep_their_text_and_numbering():
    document = build()
    line = find(document, "(六)會計事務")
    accounting = {m["name"]: m for m in line["measures"]}
    assert (
        accounting["帳務處理和報告"]["objectives"] == "1.產製公開正確資訊。\n2.會計憑證保信管理。"
    )
    assert accounting["預算編製與執行"]["approach"].endswith(
        "3.滾動式審視預算執行賸餘款，以經費流用或動支預備金等方式調整因應施政計畫臨時急需。"
    )
    fraud = next(
        m for m in find(document, "二、刑事警察勤務")["measures"] if m["name"] == "查緝詐欺案件"
    )
    # "1.5 版" is a version number, not item 5 of a list.
    assert "行政院提出打詐策略行動綱領 1.5 版" in fraud["approach"]
    assert len(fraud["approach"].splitlines()) == 5


def test_the_unnamed_measure_is_flagged_not_invented():
    line = find(build(), "(十)防情業務")
    unnamed = line["measures"][1]
    assert unnamed["ordinal"] == ""
    assert unnamed["name"] == "（原文未列名稱）"
    assert unnamed["objectives"].startswith("1.加強防情值勤。")
    assert "未印出其計畫名稱" in unnamed["editor_note"]


def test_a_measure_printed_on_a_heading_row_starts_at_its_own_text_not_the_amount_row():
    records = by_code(build())
    # Measure: its first and last line; the line it once took from its row (an amount printed
    # above the heading, or a sibling's text).
    expected = {
        "2-2-9-m1": ([157, 159], 156),  # 6,663 of (九)防治業務 is printed on line 156
        "2-2-10-m2": ([164, 164], 162),  # line 162 prints (十) and 1.充實防空與防災裝備
        "2-2-11-m1": ([165, 165], 164),  # 6,676 of (十一)刑事鑑識業務 is printed on line 164
        "3-1-m1": ([166, 168], 165),  # 7,641,832 of 參、分局業務 is printed on line 165
        "4-3-m1": ([194, 194], 196),  # line 196 holds the text of (一)改善治安強化作為
        "4-4-m1": ([198, 204], 197),  # 65,518 of 四、交通警察勤務 is printed on line 197
    }
    for code, (lines, not_its_own) in expected.items():
        assert records[code]["source_lines"] == lines, code
        assert not lines[0] <= not_its_own <= lines[1], code
        start_line = source_line(lines[0])
        assert records[code]["name"][:4] in start_line or records[code]["objectives"][:6] in (
            start_line
        ), code


def test_a_budget_line_keeps_the_line_its_amount_is_printed_on():
    records = by_code(build())
    assert records["2-2-4"]["source_lines"] == [137, 138]
    assert records["2-2-9"]["source_lines"] == [156, 157]
    assert records["2-2-11"]["source_lines"] == [164, 165]
    assert records["3"]["source_lines"] == [165, 166]
    assert records["3-1"]["source_lines"] == [166, 168]
    assert records["4-4"]["source_lines"] == [197, 198]
    for record in records.values():
        if record.get("amount_source") == "stated":
            start, end = record["source_lines"]
            printed = f"{record['amount']:,}"
            assert any(printed in source_line(n) for n in range(start, end + 1)), record["code"]


def test_no_measure_reaches_up_to_an_amount_moved_down_onto_its_row():
    measures = [record for record in by_code(build()).values() if "level" not in record]
    for entry in corrections("move_amount"):
        if entry["line"] < entry["to_line"]:
            for measure in measures:
                start, end = measure["source_lines"]
                if start <= entry["to_line"] <= end:
                    assert start > entry["line"], measure["code"]


def test_every_goal_line_and_measure_records_its_source_lines():
    document = build()
    source_lines = FOLDER.source.read_text(encoding="utf-8").split("\n")
    for goal in document["goals"]:
        start, end = goal["source_lines"]
        assert goal["text"][:8] in source_lines[start - 1]
    for node in walk(document["budget"]):
        start, end = node["source_lines"]
        assert 1 <= start <= end <= len(source_lines)
        for measure in node["measures"]:
            start, end = measure["source_lines"]
            assert 1 <= start <= end <= len(source_lines)
            printed = "".join(source_lines[start - 1 : end]).replace(" ", "")
            if measure["name"] != "（原文未列名稱）":
                assert measure["name"][:4].replace(" ", "") in printed, measure["code"]


def test_the_editor_notes_say_what_the_source_and_the_corrections_say():
    records = by_code(build())
    foreign = records["2-2-3"]["editor_note"]
    assert "本站公開的原文轉檔文字（資料說明頁可下載）" in foreign
    assert "本段印出的十個目金額，七個印在該目本身的標題列" in foreign
    assert "凡不在自己標題列上的金額，都印在某個標題的正上方一列" in foreign
    assert "皆印在其所屬標題上一列" not in foreign
    # Checked against the source: of the ten 目 amounts printed in 二、勤業務管理, seven are
    # on the row of their own heading, three on the row above it.
    on_own_row, above = [], []
    for child in find(build(), "二、勤業務管理")["children"]:
        if child["amount_source"] != "stated":
            continue
        heading = child["source_lines"][1]
        assert child["ordinal"] + child["name"] in source_line(heading).replace(" ", "")
        printed = f"{child['amount']:,}"
        (on_own_row if printed in source_line(heading) else above).append(child["code"])
        if child["code"] in above:
            assert printed in source_line(heading - 1)
    assert (len(on_own_row), len(above)) == (7, 3)

    metro = records["5-5"]
    assert "本站公開的原文轉檔文字（資料說明頁可下載）第 252–260 行" in metro["editor_note"]
    assert "轉檔文字到第 260 行即結束" in metro["editor_note"]
    assert len(FOLDER.source.read_text(encoding="utf-8").split("\n")) == 260
    assert "移轉管轄分局辦理" in source_line(260)
    fourth_to_sixth = metro["measures"][3:]
    assert [m["ordinal"] for m in fourth_to_sixth] == ["(四)", "(五)", "(六)"]
    assert all(m["objectives"] and not m["approach"] for m in fourth_to_sixth)


def test_odd_text_is_kept_as_printed_and_listed():
    records = by_code(build())
    assert records["2-1-7-m4"]["objectives"] == "強化各項安全措施施，確保機關安全。"
    assert "歸整平均地權基金" in records["2-2-1-m1"]["approach"]
    assert "檢定檢通過率。" in records["2-2-3-m9"]["approach"]
    assert records["2-2-3-m10"]["name"] == "加強治安虞慮外來人士訪查"
    assert "治安虞慮" in records["2-2-3-m10"]["objectives"]
    sic = {(entry["line"], entry["text"]) for entry in corrections("sic")}
    assert {
        (104, "施，確保機關安全。"),
        (111, "歸整平均地權基金"),
        (135, "檢定檢通過率"),
        (137, "加強治安虞慮外來人士訪查"),
    } <= sic
    assert [entry["line"] for entry in corrections("drop_text")] == [196]


def test_a_sic_entry_that_is_not_on_its_line_fails(tmp_path):
    path = tmp_path / "corrections.toml"
    text = FOLDER.corrections.read_text(encoding="utf-8")
    path.write_text(text.replace('text = "檢定檢通過率"', 'text = "檢定通過率"'), encoding="utf-8")
    with pytest.raises(CorrectionError, match="sic"):
        build(path)


def test_a_correction_that_no_longer_matches_the_source_fails_loudly(tmp_path):
    corrections = tmp_path / "corrections.toml"
    text = FOLDER.corrections.read_text(encoding="utf-8")
    corrections.write_text(text.replace('amount = "7,568"', 'amount = "7,569"'), encoding="utf-8")
    with pytest.raises(CorrectionError, match="7,569"):
        build(corrections)


def test_an_undeclared_derived_amount_fails(tmp_path):
    corrections = tmp_path / "corrections.toml"
    text = FOLDER.corrections.read_text(encoding="utf-8")
    start = text.index("[[derived]]")
    end = text.index("[[editor_note]]")
    corrections.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CorrectionError, match="derived amounts missing"):
        build(corrections)


def test_every_correction_has_a_reason():
    data = tomllib.loads(FOLDER.corrections.read_text(encoding="utf-8"))
    entries = [entry for entries in data.values() for entry in entries]
    assert len(entries) > 40
    assert all(len(entry["reason"]) > 20 for entry in entries)
    # The about-the-data page shows every entry to the public, in Chinese.
    assert all(len(entry["reason_zh"]) > 10 for entry in entries)


def test_the_fixture_is_plain_utf8_json(plan_document):
    assert plan_document["plan"]["title"] == "高雄市政府警察局 114 年度施政計畫"
    assert json.loads(FOLDER.fixture.read_text(encoding="utf-8")) == plan_document
