"""How a budget is split among its lines: one row per line (amount, share, colour, and its
change from the previous year), for the split tables whose rows carry their own bars
(templates/plan/_split_table.html)."""

from dataclasses import dataclass

from .formatting import share, shares_text

CHART_COLOURS = 6
# A bar never shrinks out of sight: 800 千元 beside 7,641,832 千元 still shows.
MIN_BAR = 0.6


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
    line: object = None  # the BudgetLine, for its name as a page shows it (a 類's English name)

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
                bar=max(float(value), MIN_BAR) if value else 0.0,
                sequence=line.sequence,
                colour=colour(line),
                compared=comparison.lines.get(line.code) if comparison else None,
                line=line,
            )
        )
    return rows
