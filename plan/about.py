"""What the about-the-data page and the 原文 disclosures show: read from the files themselves."""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .importer.corrections import KIND_LABELS, KINDS
from .source_text import SourceLine, source_lines

# The rules the importer applies (plan/importer/build.py), said for readers.
READING_RULES = [
    "「類」與「項」以預算配合對照表為準；明細表的名稱與金額必須與對照表一致，否則轉換失敗。",
    "某「項」之下的 (一)、(二)… 若至少一列印有金額（僅「貳、警政警衛實施」如此），"
    "視為「目」級預算項目；其他「項」之下的 (一)、(二)… 沒有各自的金額，視為該項的計畫項目。",
    "1.、2.… 以及其他名稱，為其上方最近預算項目的計畫項目。",
    "預算項目本身那一列若印有計畫目標與實施要領，以該列所印名稱另列為一個不編號的計畫項目"
    "（例如「一、一般行政」列印為「一般行政管理」）。",
    "計畫名稱欄空白的列，接續其上方的計畫項目。",
    "文字照錄原文：名稱中兩個中文字之間的換行不視為空格；原文連在一起的編號項目（1.、(1)）與句子分行呈現；"
    "其餘一字不改，明顯的錯字也照錄，並列於下方「照錄原文」。",
    "「陸、第一預備金」只見於預算配合對照表，沒有計畫項目。",
    "金額單位為千元（新臺幣 1,000 元）。"
    "原文未印出、但可由上層金額減去其餘各項得出的金額，標示為「推算」。",
]


@dataclass(frozen=True)
class CorrectionEntry:
    kind: str
    lines: str
    detail: str
    reason: str


@dataclass(frozen=True)
class CorrectionGroup:
    kind: str
    label: str
    entries: list[CorrectionEntry]


def correction_groups() -> list[CorrectionGroup]:
    path = Path(settings.PLAN_CORRECTIONS)
    return _correction_groups(path, path.stat().st_mtime)


@lru_cache(maxsize=2)
def _correction_groups(path: Path, mtime: float) -> list[CorrectionGroup]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = []
    for kind in KINDS:
        entries = [_entry(kind, item) for item in data.get(kind, [])]
        if entries:
            groups.append(CorrectionGroup(kind, KIND_LABELS[kind], entries))
    return groups


def _entry(kind: str, item: dict) -> CorrectionEntry:
    line = item["line"]
    target = item.get("to_line") or item.get("into")
    lines = f"第 {line} 行" + (f" → 第 {target} 行" if target and target != line else "")
    detail = (
        item.get("amount")
        or item.get("text")
        or item.get("starts_with")
        or item.get("before")
        or item.get("name")
        or ""
    )
    if kind == "derived":
        detail = f"{item['name']}：{item['amount']:,} 千元"
    return CorrectionEntry(kind, lines, str(detail), item.get("reason_zh") or item["reason"])


@dataclass(frozen=True)
class SourceExcerpt:
    label: str
    lines: list[SourceLine]

    @property
    def range_label(self) -> str:
        first, last = self.lines[0].number, self.lines[-1].number
        return f"第 {first} 行" if first == last else f"第 {first}–{last} 行"


def line_source(plan, line) -> list[SourceExcerpt]:
    """The summary-table row (類/項) and the detailed-plan rows a budget line was read from."""
    excerpts = []
    if line.summary_line:
        excerpts.append(
            SourceExcerpt(
                "預算配合對照表",
                source_lines(plan.source_file, line.summary_line, line.summary_line),
            )
        )
    if line.source_start_line != line.summary_line:
        excerpts.append(
            SourceExcerpt(
                "施政計畫明細",
                source_lines(plan.source_file, line.source_start_line, line.source_end_line),
            )
        )
    return excerpts


def record_source(plan, record) -> list[SourceLine]:
    return source_lines(plan.source_file, record.source_start_line, record.source_end_line)


def source_bytes(plan) -> bytes:
    return (Path(settings.BASE_DIR) / plan.source_file).read_bytes()
