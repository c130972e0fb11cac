"""Where every record comes from: the source lines behind it, the rules the document was
read by and the reviewed corrections, all read from the files themselves.

The reading rules and the correction kinds are stated here once: the about-the-data page
shows them, the importer (plan/importer/) applies them, docs/data.md points here.
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext

from .folders import plan_folder


@dataclass(frozen=True)
class ReadingRule:
    zh: str  # for readers, on /about/ (its English for readers is in the catalogue)
    en: str  # for developers


# The rules the importer applies, stated once. Each correction is measured against them.
READING_RULES = [
    ReadingRule(
        gettext_noop(
            "「類」與「項」以預算配合對照表為準；明細表的名稱與金額必須與對照表一致，否則轉換失敗。"
        ),
        "類 (壹、…) and 項 (一、…) come from the summary table (預算配合對照表), which is "
        "authoritative for them; the detailed plan must agree with it or the build fails.",
    ),
    ReadingRule(
        gettext_noop(
            "某「項」之下的 (一)、(二)… 若至少一列印有金額（僅「貳、警政警衛實施」如此），"
            "視為「目」級預算項目；其他「項」之下的 (一)、(二)… 沒有各自的金額，"
            "視為該項的計畫項目。"
        ),
        "A (一) row is a 目 budget line when the detailed plan prints an amount for at least one "
        "(一) row under that 項 (only under 貳、警政警衛實施); elsewhere the (一) rows have no "
        "money of their own and are the 項's numbered measures.",
    ),
    ReadingRule(
        gettext_noop("1.、2.… 以及其他名稱，為其上方最近預算項目的計畫項目。"),
        "1. rows, and any other name, are measures of the nearest budget line above.",
    ),
    ReadingRule(
        gettext_noop(
            "預算項目本身那一列若印有計畫目標與實施要領，以該列所印名稱另列為一個不編號的計畫項目"
            "（例如「一、一般行政」列印為「一般行政管理」）。"
        ),
        "Text printed on a budget line's own row is published as an unnumbered measure named "
        "as the row prints it (項 「一、一般行政」 prints 「一般行政管理」 with its text).",
    ),
    ReadingRule(
        gettext_noop("計畫名稱欄空白的列，接續其上方的計畫項目。"),
        "A row with an empty 計畫名稱 continues the measure above it.",
    ),
    ReadingRule(
        gettext_noop(
            "文字照錄原文：名稱中兩個中文字之間的換行不視為空格；原文連在一起的編號項目（1.、(1)）與句子分行呈現；"
            "其餘一字不改，明顯的錯字也照錄，並列於下方「照錄原文」。"
        ),
        "Text is verbatim: a line break between two CJK characters in a name is removed; "
        "numbered items (1., (1)) and sentences the extraction ran together become lines of "
        "their own; nothing else changes, not even evident typos (listed as `sic` entries).",
    ),
    ReadingRule(
        gettext_noop("「陸、第一預備金」只見於預算配合對照表，沒有計畫項目。"),
        "陸、第一預備金 appears only in the summary table; it has no measures.",
    ),
    ReadingRule(
        gettext_noop(
            "金額單位為千元（新臺幣 1,000 元）。"
            "原文未印出、但可由上層金額減去其餘各項得出的金額，標示為「推算」。"
        ),
        "Amounts are in 千元 (NT$1,000). An amount not printed but implied by the parent minus "
        "its other children is stored and shown as derived (推算).",
    ),
]

# The kinds of entry in the corrections file, in the order the importer applies them,
# with what readers are told each kind is.
CORRECTION_KINDS = {
    "drop_line": gettext_noop("刪除轉檔殘留的行"),
    "move_amount": gettext_noop("金額印在相鄰列"),
    "drop_text": gettext_noop("刪除重複或殘留文字"),
    "merge": gettext_noop("跨頁斷開的列合併"),
    "move_text": gettext_noop("文字因跨頁或合併儲存格錯置"),
    "split_row": gettext_noop("一列含多個計畫名稱，拆分"),
    "derived": gettext_noop("推算金額"),
    "editor_note": gettext_noop("編者註"),
    "sic": gettext_noop("照錄原文（疑誤字，未更動）"),
}


# ---------------------------------------------------------------- the corrections


@dataclass(frozen=True)
class CorrectionEntry:
    kind: str
    line: int  # the source line it is about
    target: int | None  # the line its text or amount goes to, when another
    detail: str  # what it quotes from the source (a derived amount: name and amount)
    reason: str  # for readers, in Chinese
    reason_en: str  # the file's English reason, for the English pages
    name: str = ""  # a derived amount's line, as printed
    amount: int | None = None  # a derived amount, in 千元


@dataclass(frozen=True)
class CorrectionGroup:
    kind: str
    label: str
    entries: list[CorrectionEntry]


def correction_groups(plan) -> list[CorrectionGroup]:
    """Every entry of the plan's corrections file, grouped by kind, with its reason for
    readers (none for a plan without a folder, e.g. a synthetic one)."""
    folder = plan_folder(plan.slug)
    if folder is None or not folder.corrections.exists():
        return []
    path = folder.corrections
    return _correction_groups(path, path.stat().st_mtime)


@lru_cache(maxsize=2)
def _correction_groups(path: Path, mtime: float) -> list[CorrectionGroup]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = []
    for kind, label in CORRECTION_KINDS.items():
        entries = [_entry(kind, item) for item in data.get(kind, [])]
        if entries:
            groups.append(CorrectionGroup(kind, label, entries))
    return groups


def _entry(kind: str, item: dict) -> CorrectionEntry:
    line = item["line"]
    target = item.get("to_line") or item.get("into")
    detail = (
        item.get("amount")
        or item.get("text")
        or item.get("starts_with")
        or item.get("before")
        or item.get("name")
        or ""
    )
    name, amount = "", None
    if kind == "derived":
        name, amount = item["name"], item["amount"]
        detail = f"{name}：{amount:,} 千元"
    return CorrectionEntry(
        kind,
        line,
        target if target and target != line else None,
        str(detail),
        item.get("reason_zh") or item["reason"],
        item["reason"],
        name,
        amount,
    )


# ---------------------------------------------------------------- the source lines


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str


def lines_label(first: int, last: int) -> str:
    """「第 127 行」, 「第 126–137 行」 ("line 127", "lines 126–137" on English pages)."""
    if first == last:
        return gettext("第 %(line)s 行") % {"line": first}
    return gettext("第 %(first)s–%(last)s 行") % {"first": first, "last": last}


@dataclass(frozen=True)
class SourceExcerpt:
    label: str  # which part of the document, in the page's language
    lines: list[SourceLine]

    @property
    def range_label(self) -> str:
        return lines_label(self.lines[0].number, self.lines[-1].number)


def excerpts_label(excerpts) -> str:
    """Where the excerpts are: 「預算配合對照表第 165 行、施政計畫明細第 126–137 行」."""
    return pgettext("between source excerpts", "、").join(
        gettext("%(part)s%(lines)s") % {"part": excerpt.label, "lines": excerpt.range_label}
        for excerpt in excerpts
    )


def _source_path(plan) -> Path:
    return _path(settings.BASE_DIR, plan.source_file)


# A page shows the source lines of each of its records: the path and the lines are made once.
@lru_cache(maxsize=16)
def _path(base_dir: Path, source_file: str) -> Path:
    return Path(base_dir) / source_file


@lru_cache(maxsize=4)
def _lines(path: Path, mtime: float) -> tuple[SourceLine, ...]:
    text = path.read_text(encoding="utf-8")
    return tuple(SourceLine(number, line) for number, line in enumerate(text.split("\n"), 1))


def source_lines(plan, start: int, end: int) -> list[SourceLine]:
    """Lines start..end (1-based, inclusive) of the plan's source file; blank lines are kept."""
    path = _source_path(plan)
    return list(_lines(path, path.stat().st_mtime)[max(start, 1) - 1 : max(end, 0)])


def record_source(plan, record) -> list[SourceLine]:
    """The lines a goal, budget line or measure was transcribed from."""
    return source_lines(plan, record.source_start_line, record.source_end_line)


def line_source(plan, line) -> list[SourceExcerpt]:
    """The summary-table row (類/項) and the detailed-plan rows a budget line was read from."""
    excerpts = []
    if line.summary_line:
        excerpts.append(
            SourceExcerpt(
                gettext_lazy("預算配合對照表"),
                source_lines(plan, line.summary_line, line.summary_line),
            )
        )
    if line.source_start_line != line.summary_line:
        excerpts.append(SourceExcerpt(gettext_lazy("施政計畫明細"), record_source(plan, line)))
    return excerpts


def source_bytes(plan) -> bytes:
    """The source extraction itself, as published at /about/source.txt."""
    return _source_path(plan).read_bytes()
