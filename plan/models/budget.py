"""The budget tree (類 > 項 > 目) and the measures under its lines."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import CODE_PATTERN, ChangeSetHistory, SequencedQuerySet, SourceLinesMixin, plan_reverse
from .plan import Plan


@dataclass
class TreeNode:
    """A budget line in memory with its children and (when fetched) its measures."""

    line: "BudgetLine"
    children: list["TreeNode"] = field(default_factory=list)
    measures: list["Measure"] = field(default_factory=list)
    share: str = ""  # of its parent (of the total for a 類), when a page sets it


def assemble(lines, measures=()) -> list[TreeNode]:
    """Nodes for `lines` with the measures of those lines (others are left out); returns the
    roots. A line whose parent is not among `lines` is a root."""
    nodes = {line.pk: TreeNode(line) for line in lines}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.line.parent_id)
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    for measure in measures:
        if measure.budget_line_id in nodes:
            nodes[measure.budget_line_id].measures.append(measure)
    return roots


class BudgetLineQuerySet(SequencedQuerySet):
    def categories(self):
        """The 類, in document order."""
        return self.filter(level=BudgetLine.Level.CATEGORY)

    def derived(self):
        """Lines whose amount is derived rather than printed, with their parents."""
        return self.filter(amount_source=BudgetLine.AmountSource.DERIVED).with_ancestors()

    def with_ancestors(self):
        """Fetch the parents along (a line is at most two levels deep), for `ancestors`."""
        return self.select_related("parent__parent")

    def for_table(self):
        """With parents (paths, shares) and `subtree_measure_count`: the measures of the line
        and of every line under it (a 類 lists none of its own), in document order: Django
        drops a model's default ordering from a GROUP BY query, and PostgreSQL then returns the
        groups in any order."""
        # A line is at most two levels above another (類 > 項 > 目): itself, children, theirs.
        counted = self.with_ancestors().annotate(
            subtree_measure_count=Count("measures", distinct=True)
            + Count("children__measures", distinct=True)
            + Count("children__children__measures", distinct=True)
        )
        return counted.order_by(*self.query.order_by or BudgetLine._meta.ordering)

    def by_code(self, code: str):
        """The line with this public code; None for an unknown or malformed code."""
        if not CODE_PATTERN.fullmatch(code):
            return None  # never send odd bytes (e.g. NUL, which PostgreSQL rejects) to the database
        return self.filter(code=code).first()

    def as_tree(self, *, with_measures: bool = False) -> list[TreeNode]:
        """These lines as a tree of TreeNode, in document order: one query for the lines and,
        when asked, one for their measures, assembled in Python."""
        lines = list(self)
        measures = ()
        if with_measures:
            measures = Measure.objects.filter(plan_id__in={line.plan_id for line in lines})
        return assemble(lines, measures)


class BudgetLine(SourceLinesMixin):
    class Level(models.TextChoices):
        # The level's name on the pages: category, item and sub-item on English ones.
        CATEGORY = "category", pgettext_lazy("budget level", "類")
        ITEM = "item", pgettext_lazy("budget level", "項")
        SUBITEM = "subitem", pgettext_lazy("budget level", "目")

    class AmountSource(models.TextChoices):
        STATED = "stated", "原文所載"
        DERIVED = "derived", "推算"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="施政計畫"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上層",
    )
    code = models.SlugField("代碼", max_length=40, help_text="永久連結用的代碼，例如 2-1-3")
    level = models.CharField("層級", max_length=10, choices=Level.choices)
    ordinal = models.CharField("序號", max_length=10, blank=True)
    name = models.CharField("名稱", max_length=200)
    amount = models.PositiveBigIntegerField("金額（千元）", null=True, blank=True)
    amount_source = models.CharField(
        "金額來源", max_length=10, choices=AmountSource.choices, blank=True
    )
    sum_differs_in_source = models.BooleanField(
        "原文加總不符",
        default=False,
        help_text="原文所載金額本身即不等於下層合計（由資料檔標記，編者註說明）",
    )
    note = models.TextField("備考", blank=True, help_text="原文備考欄")
    editor_note = models.TextField("編者註", blank=True, help_text="本站對原文的說明，公開顯示")
    summary_line = models.PositiveIntegerField(
        "對照表行", null=True, blank=True, help_text="類與項在預算配合對照表的原文行號"
    )
    position = models.PositiveSmallIntegerField("同層順序")
    sequence = models.PositiveIntegerField("文件順序")
    history = HistoricalRecords(bases=[ChangeSetHistory], verbose_name="預算項目修訂")

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = "預算項目"
        verbose_name_plural = "預算項目"
        ordering = ["plan_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="budget_line_unique_code"),
            models.UniqueConstraint(
                fields=["plan", "sequence"], name="budget_line_unique_sequence"
            ),
            models.UniqueConstraint(
                fields=["parent", "position"], name="budget_line_unique_position"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="budget_line_name_not_empty"),
            models.CheckConstraint(
                condition=Q(level="category", parent__isnull=True)
                | Q(~Q(level="category"), parent__isnull=False),
                name="budget_line_category_is_root",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, amount_source="")
                | Q(amount__isnull=False, amount_source__in=["stated", "derived"]),
                name="budget_line_amount_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}{self.name}"

    def get_absolute_url(self) -> str:
        return plan_reverse(self, "plan:budget-line-detail", code=self.code)

    def clean(self):
        if self.amount is None and self.amount_source:
            raise ValidationError({"amount_source": "沒有金額時，金額來源必須留白。"})
        if self.amount is not None and not self.amount_source:
            raise ValidationError({"amount_source": "有金額時，請註明金額來源（原文所載或推算）。"})

    @property
    def label(self) -> str:
        """Ordinal and name as printed, e.g. 「(一)公關事務」."""
        return f"{self.ordinal}{self.name}"

    @property
    def is_derived(self) -> bool:
        return self.amount_source == self.AmountSource.DERIVED

    @property
    def ancestors(self) -> list["BudgetLine"]:
        """Parents from the 類 down (no query after `with_ancestors()`)."""
        chain = []
        line = self
        while line.parent_id is not None:
            line = line.parent
            chain.append(line)
        return chain[::-1]

    @property
    def lineage(self) -> list["BudgetLine"]:
        """The ancestors and the line itself, from the 類 down."""
        return [*self.ancestors, self]


class MeasureQuerySet(SequencedQuerySet):
    def with_ancestors(self):
        """Fetch the budget line and its parents along."""
        return self.select_related("budget_line__parent__parent")


class Measure(SourceLinesMixin):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="measures", verbose_name="施政計畫"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="measures", verbose_name="預算項目"
    )
    code = models.SlugField("代碼", max_length=40, help_text="永久連結用的代碼，例如 2-1-3-m2")
    ordinal = models.CharField("序號", max_length=10, blank=True)
    name = models.CharField("計畫名稱", max_length=200)
    objectives = models.TextField("計畫目標", blank=True)
    approach = models.TextField("實施要領", blank=True)
    editor_note = models.TextField("編者註", blank=True, help_text="本站對原文的說明，公開顯示")
    position = models.PositiveSmallIntegerField("同層順序")
    sequence = models.PositiveIntegerField("文件順序")
    history = HistoricalRecords(bases=[ChangeSetHistory], verbose_name="計畫項目修訂")

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "計畫項目"
        verbose_name_plural = "計畫項目"
        ordering = ["plan_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="measure_unique_code"),
            models.UniqueConstraint(fields=["plan", "sequence"], name="measure_unique_sequence"),
            models.UniqueConstraint(
                fields=["budget_line", "position"], name="measure_unique_position"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="measure_name_not_empty"),
            # A measure printed with a name only must say why in a public editor's note.
            models.CheckConstraint(
                condition=~Q(objectives="", approach="", editor_note=""),
                name="measure_has_text_or_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}{self.name}"

    def get_absolute_url(self) -> str:
        return plan_reverse(self, "plan:measure-detail", code=self.code)

    @property
    def label(self) -> str:
        return f"{self.ordinal}{self.name}"
