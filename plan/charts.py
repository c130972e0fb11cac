"""How a budget is split among its lines: one row per line (amount, share, colour), used by
the server-rendered bar chart and the table beside it alike.

The chart's layout is computed here; the SVG is drawn by a template. Every bar is labelled
directly with its name, amount and share, and never shrinks below a visible minimum, so
800 千元 beside 7,641,832 千元 still shows.
"""

from dataclasses import dataclass

from .formatting import amount_text, share, shares_text

WIDTH = 360  # viewBox units; the SVG scales to its container
ROW_HEIGHT = 46
LABEL_BASELINE = 17
BAR_TOP = 24
BAR_HEIGHT = 14
MIN_BAR = 3
CHART_COLOURS = 6


@dataclass(frozen=True)
class SplitRow:
    """One line of a split: its amount and its share of the whole."""

    label: str
    url: str
    amount: int | None
    derived: bool
    share: str  # e.g. 「65.2%」, rounded so that the rows add up to 100%
    bar: float  # the share as a number from 0 to 100, for in-row bars
    sequence: int
    colour: str  # a CSS class: c1..c6, the same for a 類 everywhere
    compared: object = None  # its plan/comparison.LineComparison, when there is a previous year

    @property
    def change(self) -> int | None:
        """The change from the previous year (for sorting; None when there is nothing to
        compare with)."""
        return self.compared.change if self.compared else None


def colour(line) -> str:
    """Each 類 has its colour everywhere: by the 類's position (c1..c6)."""
    position = int(line.code.split("-")[0])
    return f"c{(position - 1) % CHART_COLOURS + 1}"


def split_rows(lines, whole: int | None, comparison=None) -> list[SplitRow]:
    """The lines (siblings, in document order) as shares of `whole`, each beside its previous
    year's line when a plan/comparison.PlanComparison is given."""
    texts = shares_text([line.amount for line in lines], whole)
    rows = []
    for line, share_label in zip(lines, texts, strict=True):
        value = share(line.amount, whole)
        rows.append(
            SplitRow(
                label=line.label,
                url=line.get_absolute_url(),
                amount=line.amount,
                derived=line.is_derived,
                share=share_label,
                bar=float(value) if value is not None else 0.0,
                sequence=line.sequence,
                colour=colour(line),
                compared=comparison.lines.get(line.code) if comparison else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Bar:
    label: str
    amount_label: str
    share_label: str
    url: str
    width: float
    y: int
    colour: str

    @property
    def label_y(self) -> int:
        return self.y + LABEL_BASELINE

    @property
    def bar_y(self) -> int:
        return self.y + BAR_TOP


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT


def bar_chart(*, title: str, rows: list[SplitRow], unit: str = "千元") -> BarChart:
    largest = max((row.amount or 0 for row in rows), default=0)
    bars = []
    for index, row in enumerate(rows):
        amount = row.amount or 0
        width = WIDTH * amount / largest if largest else 0
        bars.append(
            Bar(
                label=row.label,
                amount_label=f"{amount_text(row.amount)} {unit}",
                share_label=row.share,
                url=row.url,
                width=round(max(width, MIN_BAR if amount else 0), 1),
                y=index * ROW_HEIGHT,
                colour=row.colour,
            )
        )
    description = "；".join(f"{bar.label} {bar.amount_label}（{bar.share_label}）" for bar in bars)
    return BarChart(title=title, description=description, bars=bars)
