"""Text rules applied to every transcribed string: ordinals, names, numbered items, amounts."""

import re
from dataclasses import dataclass

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef「」『』（）"

CATEGORY_NUMERALS = "壹貳參肆伍陸柒捌玖拾"
CHINESE_NUMERALS = "一二三四五六七八九十"

_CATEGORY = re.compile(rf"^([{CATEGORY_NUMERALS}]+、)\s*")
_ITEM = re.compile(rf"^([{CHINESE_NUMERALS}]+、)\s*")
_SUBITEM = re.compile(rf"^(\([{CHINESE_NUMERALS}]+\))\s*")
_MEASURE = re.compile(r"^(\d{1,2}\.)(?!\d)\s*")

# A name cell can hold several names run together ("(九)防治業務 1.執行勤區查察工作"):
# split before an ordinal that follows white space.
_NAME_BREAK = re.compile(
    rf"\s+(?=(?:[{CATEGORY_NUMERALS}]+、|[{CHINESE_NUMERALS}]+、|\([{CHINESE_NUMERALS}]+\)|\d{{1,2}}\.(?!\d))\S)"
)
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")

# Numbered items inside a paragraph: "1.…  2.…" or "(1)…  (2)…", each after white space.
_ITEM_MARKER = re.compile(r"(?<=\s)(?:(\d{1,2})\.(?!\d)|\((\d{1,2})\))")
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*$")


class Level:
    CATEGORY = "category"
    ITEM = "item"
    SUBITEM = "subitem"
    MEASURE = "measure"
    NONE = ""


@dataclass(frozen=True)
class Name:
    """A 計畫名稱 as printed: its ordinal (壹、/一、/(一)/1. or none) and the rest."""

    ordinal: str
    text: str
    level: str

    @property
    def label(self) -> str:
        return f"{self.ordinal}{self.text}"


def parse_name(printed: str) -> Name:
    printed = printed.strip()
    for pattern, level in (
        (_CATEGORY, Level.CATEGORY),
        (_ITEM, Level.ITEM),
        (_SUBITEM, Level.SUBITEM),
        (_MEASURE, Level.MEASURE),
    ):
        match = pattern.match(printed)
        if match:
            return Name(match.group(1), clean_name(printed[match.end() :]), level)
    return Name("", clean_name(printed), Level.NONE)


def clean_name(text: str) -> str:
    """Names wrap inside their cell; a line break between two CJK characters is not a space."""
    return _SPACE_BETWEEN_CJK.sub("", text.strip())


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def split_names(paragraph: str) -> list[str]:
    return [part for part in _NAME_BREAK.split(paragraph.strip()) if part]


def split_items(paragraph: str) -> list[str]:
    """Break a paragraph into the numbered items and sentences it runs together.

    A new line starts at a number marker that follows white space and continues its own
    sequence (so "綱領 1.5 版" or "每年4、8、12月份" stay intact), and after a full stop that
    is followed by white space (the extraction's trace of a line break inside the cell).
    """
    breaks: list[int] = []
    expected = {"dot": None, "paren": None}
    for match in _ITEM_MARKER.finditer(paragraph):
        kind, number = ("dot", match.group(1)) if match.group(1) else ("paren", match.group(2))
        number = int(number)
        if number == 1 or expected[kind] == number:
            breaks.append(match.start())
            expected[kind] = number + 1
    breaks.extend(match.end() for match in re.finditer(r"。\s+", paragraph))
    pieces = []
    start = 0
    for point in sorted(set(breaks)):
        pieces.append(paragraph[start:point])
        start = point
    pieces.append(paragraph[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def join_text(paragraphs: list[str]) -> str:
    return "\n".join(item for paragraph in paragraphs for item in split_items(paragraph))


def parse_amount(printed: str) -> int:
    printed = printed.strip()
    if not _AMOUNT.match(printed):
        raise ValueError(f"not an amount in 千元: {printed!r}")
    return int(printed.replace(",", ""))
