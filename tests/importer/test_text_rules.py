import pytest

from plan.importer.text import clean_name, parse_name, split_items, split_names
from plan.reading.formatting import amount_reading, amount_text, per_resident_text, share_text


@pytest.mark.parametrize(
    ("printed", "ordinal", "text", "level"),
    [
        ("壹、一般行政", "壹、", "一般行政", "category"),
        ("一、本部室務 行政", "一、", "本部室務行政", "item"),
        ("(十一) 刑事鑑識業務", "(十一)", "刑事鑑識業務", "subitem"),
        ("3. 「110」為民服務", "3.", "「110」為民服務", "measure"),
        ("刑事鑑識業務", "", "刑事鑑識業務", ""),
        ("1.強化事故處理 E 化系統", "1.", "強化事故處理 E 化系統", "measure"),
    ],
)
def test_names_are_read_with_their_printed_ordinal(printed, ordinal, text, level):
    name = parse_name(printed)
    assert (name.ordinal, name.text, name.level) == (ordinal, text, level)


def test_names_run_together_in_one_cell_are_split_at_the_next_ordinal():
    assert split_names("(九)防治業務 1.執行勤區查察工作") == ["(九)防治業務", "1.執行勤區查察工作"]
    assert split_names("伍、警隊業務 一、一般行政管理") == ["伍、警隊業務", "一、一般行政管理"]
    assert split_names("一、本部室務 行政") == ["一、本部室務 行政"]


def test_line_wraps_inside_cjk_names_are_not_spaces():
    assert clean_name("警政警衛 實施") == "警政警衛實施"
    assert clean_name("前瞻 AI 智慧") == "前瞻 AI 智慧"


@pytest.mark.parametrize(
    ("paragraph", "items"),
    [
        (
            "1.蒐集風紀情報。 2.執行規定。 3.實施法紀教育。",
            ["1.蒐集風紀情報。", "2.執行規定。", "3.實施法紀教育。"],
        ),
        (
            "2. 新進人員： (1)警察官。 (2)一般行政。",
            ["2. 新進人員：", "(1)警察官。", "(2)一般行政。"],
        ),
        ("綱領 1.5 版，包含「1 合、2 清」", ["綱領 1.5 版，包含「1 合、2 清」"]),
        ("於每年4、8、12月份辦理", ["於每年4、8、12月份辦理"]),
        ("蒐集情報。 對於違反風紀", ["蒐集情報。", "對於違反風紀"]),
        ("1.甲 3.丙", ["1.甲 3.丙"]),
    ],
)
def test_numbered_items_become_lines_only_when_they_continue_their_sequence(paragraph, items):
    assert split_items(paragraph) == items


@pytest.mark.parametrize(
    ("amount", "text", "reading"),
    [
        (11_722_205, "11,722,205", "約 117.2 億元"),
        (7_641_832, "7,641,832", "約 76.4 億元"),
        (850_994, "850,994", "約 8.5 億元"),
        (42_668, "42,668", "約 4,267 萬元"),
        (8_950, "8,950", "895 萬元"),
        (800, "800", "80 萬元"),
        (688, "688", "68.8 萬元"),
        (175, "175", "17.5 萬元"),
        (100_000, "100,000", "1 億元"),
        (120_000, "120,000", "1.2 億元"),
        (None, "—", ""),
    ],
)
def test_amounts_read_in_thousands_and_in_yi_or_wan(amount, text, reading):
    assert amount_text(amount) == text
    assert amount_reading(amount) == reading


@pytest.mark.parametrize(
    ("amount", "residents", "each"),
    [
        (11_722_205, 2_731_412, "4,292 元"),  # the plan's total, Kaohsiung at the end of 2024
        (7_641_832, 2_731_412, "2,798 元"),
        (800, 2_731_412, "0.3 元"),
        (800, None, ""),
    ],
)
def test_amounts_per_resident_are_in_whole_dollars(amount, residents, each):
    assert per_resident_text(amount, residents) == each


def test_shares_round_honestly():
    assert share_text(7_641_832, 11_722_205) == "65.2%"
    assert share_text(800, 11_722_205) == "<0.1%"
    assert share_text(1, None) == "—"


def test_document_lists_keep_printed_numbers_and_nest_sub_items():
    from plan.reading.text_blocks import text_blocks

    blocks = text_blocks("1.甲：\n(1)子一\n(2)子二\n2.乙\n1.另一組\n說明文字")
    assert [block.kind for block in blocks] == ["ol", "ol", "p"]
    first = blocks[0].items
    assert [(item.number, item.text) for item in first] == [("1.", "甲："), ("2.", "乙")]
    assert [child.number for child in first[0].children] == ["(1)", "(2)"]
    assert blocks[1].items[0].text == "另一組"
    assert blocks[2].text == "說明文字"
