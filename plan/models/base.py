"""What every model shares: public codes and subtrees, document order, source lines."""

import re
from operator import attrgetter

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from plan.addresses import year_prefix

# Public codes of budget lines: positions joined by "-", e.g. "2-2-3".
CODE_PATTERN = re.compile(r"[0-9]{1,4}(-[0-9]{1,4}){0,7}")


def subtree_q(code: str, field: str = "code") -> Q:
    """`code` and every code under it ("2-2" and "2-2-…"), as a range the index can serve.

    Measure codes extend their line's ("2-2-3-m1"), so the same range finds a subtree's
    measures. '.' is the character after '-', so the range holds exactly the codes that start
    "2-2-"; unlike LIKE (case-insensitive on SQLite), a range always uses the index.
    """
    return Q(**{field: code}) | Q(**{f"{field}__gte": f"{code}-", f"{field}__lt": f"{code}."})


class SequencedQuerySet(models.QuerySet):
    """Rows of one plan kept in document order (`sequence`)."""

    def in_plan(self, plan):
        return self.filter(plan=plan)

    def subtree(self, code: str):
        """The rows whose code is `code` or under it."""
        return self.filter(subtree_q(code))

    def unique(self):
        """The one row these lookups name (e.g. a code, unique in a plan), or None.

        Like first() without its ORDER BY: Django compares every selected column with the
        ORDER BY's to build it, which costs more than reading the row (a line fetched with
        its two parents selects 48 columns).
        """
        return next(iter(self.order_by()[:1]), None)

    def in_document_order(self) -> list:
        """These rows, sorted in Python: for the few dozen rows under one line this is
        cheaper than an ORDER BY (see unique()). (plan_id, sequence) is unique, as the
        ordering of the database was."""
        return sorted(self.order_by(), key=attrgetter("plan_id", "sequence"))

    def neighbours(self, row):
        """The rows just before and after `row` among these (its siblings), in document order:
        one query for the siblings' codes and names (a line has at most a few dozen)."""
        siblings = self.only("pk", "code", "ordinal", "name", "sequence", "plan_id")
        return adjacent(siblings.in_document_order(), row)


def adjacent(siblings: list, row) -> tuple:
    """The rows just before and after `row` in `siblings` (in document order, `row` among
    them)."""
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == row.pk)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following


# The change reasons the loader writes into the history (the public revision log leaves out
# the rows of the initial load: they are the published baseline, not revisions).
INITIAL_LOAD_REASON = "初次載入"
RELOAD_REASON = "重新載入已發布資料"
# `loadplan --replace-edited`: the rows where the file replaced what an editor had published.
REPLACE_EDITED_REASON = "重新載入，取代編者修改"
# Every reason the loader writes; any other history row (or none) is an editor's change
# (plan/document/edits.py).
LOADER_REASONS = frozenset({INITIAL_LOAD_REASON, RELOAD_REASON, REPLACE_EDITED_REASON})


def normalize_line_ends(text: str) -> str:
    """Browsers submit a textarea's line breaks as CRLF; the document's text uses LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SourceLinesMixin(models.Model):
    """A record transcribed from the source: the 1-based, inclusive line range it came from.

    Its text keeps the document's line ends (LF) whoever saves it, so a save that only
    changes line ends is no change at all.
    """

    source_start_line = models.PositiveIntegerField("原文起始行")
    source_end_line = models.PositiveIntegerField("原文結束行")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(field, models.TextField) and isinstance(value, str):
                setattr(self, field.attname, normalize_line_ends(value))
        super().save(*args, **kwargs)

    @property
    def source_lines(self) -> range:
        return range(self.source_start_line, self.source_end_line + 1)


class ChangeSetHistory(models.Model):
    """A field on every history row: the rows written by one admin save share a change set,
    so the public log shows that save as one entry (plan/editing/signals.py fills it in)."""

    changeset = models.CharField("變更批次", max_length=32, blank=True, default="", db_index=True)

    class Meta:
        abstract = True


def plan_reverse(record, name: str, **kwargs) -> str:
    """The URL `name` of a record of a plan, under that plan's year: /114/budget/2-2/."""
    year = year_prefix.year_of(record.plan_id) or record.plan.fiscal_year
    return year_prefix.year_reverse(year, name, **kwargs)


def related_or_none(obj, name: str):
    """The related row, or None once it has been deleted."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None
