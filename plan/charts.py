"""Server-rendered bar charts: the layout is computed here, the SVG is drawn by a template.

Every bar is labelled directly with its name, amount and share. A bar never shrinks below
a visible minimum, so 800 千元 beside 7,641,832 千元 still shows.
"""

from dataclasses import dataclass

from .formatting import amount_text

WIDTH = 360  # viewBox units; the SVG scales to its container
ROW_HEIGHT = 46
LABEL_BASELINE = 17
BAR_TOP = 24
BAR_HEIGHT = 14
MIN_BAR = 3


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


def bar_chart(*, title: str, rows: list[dict], unit: str = "千元") -> BarChart:
    """rows: dicts with label, amount, share_label, url, colour (a CSS class suffix)."""
    largest = max((row["amount"] or 0 for row in rows), default=0)
    bars = []
    for index, row in enumerate(rows):
        amount = row["amount"] or 0
        width = WIDTH * amount / largest if largest else 0
        bars.append(
            Bar(
                label=row["label"],
                amount_label=f"{amount_text(row['amount'])} {unit}",
                share_label=row["share_label"],
                url=row["url"],
                width=round(max(width, MIN_BAR if amount else 0), 1),
                y=index * ROW_HEIGHT,
                colour=row["colour"],
            )
        )
    description = "；".join(f"{bar.label} {bar.amount_label}（{bar.share_label}）" for bar in bars)
    return BarChart(title=title, description=description, bars=bars)
