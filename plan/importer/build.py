"""Build the published plan document from the source extraction and the corrections file.

The result is the document of plan/document/contract.py (docs/data.md, "The plan document"), so
the fixture, the database and `exportplan` can be compared byte for byte. The rules the document
is read by are stated for readers in plan/document/provenance.py (READING_RULES, shown on
/about/); the steps below apply them, each in its own module:

1. source.py       the extraction as rows of cells (goals, summary table, detailed plan)
   corrections.py  the reviewed repairs of those rows (corrections.toml)
2. summary.py      the summary table: the 類 and 項, authoritative
3. rows.py         the detailed plan's rows as logical rows, one name each
4. tree.py         the rows as the budget tree with each line's measures
5. amounts.py      amounts agree with the summary; the one missing amount is derived
6. records.py      declared derived amounts and editors' notes
7. output.py       codes, goal links and the document's records
"""

import hashlib
from pathlib import Path

from plan.document import contract as plan_document
from plan.document.folders import PlanFolder

from .amounts import settle_amounts
from .corrections import Corrections, apply_row_corrections, check_sic
from .goals import goal_links, read_goals
from .output import assign_codes, goal_records, line_records, measure_order
from .records import apply_record_corrections
from .rows import logical_rows
from .source import read_source
from .summary import BuildError, read_summary
from .tree import budget_tree

__all__ = ["BuildError", "build_plan"]


def build_plan(folder: PlanFolder, *, corrections: Path | None = None) -> dict:
    """The document of a plan folder (fixtures/plans/<slug>/); `corrections` replaces the
    folder's corrections file (for trying a change)."""
    raw = folder.source.read_bytes()
    document = read_source(raw.decode("utf-8"))
    title = document.title.removesuffix("提要").strip()
    if folder.agency not in title or f"{folder.fiscal_year} 年度" not in title:
        raise BuildError(
            f"line {document.title_line}: the title {title!r} does not name "
            f"{folder.agency} {folder.fiscal_year} 年度 (plan.toml of {folder.slug})"
        )
    corrections = Corrections.load(corrections or folder.corrections)
    check_sic(document, corrections)
    apply_row_corrections(document, corrections)

    goals = read_goals(document)
    summary = read_summary(document)
    parts = logical_rows(document, corrections.split_rows())
    categories = budget_tree(parts, summary.categories)
    derived = settle_amounts(categories, summary.categories)
    apply_record_corrections(categories, derived, corrections)
    assign_codes(categories)
    goal_links_path = folder.goal_links if folder.goal_links.exists() else None
    links = goal_links(goals, measure_order(categories), goal_links_path)

    return plan_document.document(
        plan=plan_document.plan_record(
            slug=folder.slug,
            fiscal_year=folder.fiscal_year,
            agency=folder.agency,
            title=title,
            total_amount=summary.total,
            source_file=folder.source_file,
            source_sha256=hashlib.sha256(raw).hexdigest(),
        ),
        goals=goal_records(goals, links),
        budget=line_records(categories),
    )
