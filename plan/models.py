"""The administrative plan as the document states it: goals, the budget tree and measures.

Every row keeps a public `code` that never changes when the data is reloaded (it is the
permalink), its order in the document (`sequence`) and the source lines it was built from.
A second fiscal year or agency is simply another `Plan` with its own rows.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

# The change reasons the loader writes into the history (the public revision log leaves out
# the rows of the initial load: they are the published baseline, not revisions).
INITIAL_LOAD_REASON = "初次載入"
RELOAD_REASON = "重新載入已發布資料"


class SourceLinesMixin(models.Model):
    """The 1-based, inclusive line range of the source document a row was transcribed from."""

    source_start_line = models.PositiveIntegerField("原文起始行")
    source_end_line = models.PositiveIntegerField("原文結束行")

    class Meta:
        abstract = True

    @property
    def source_lines(self) -> range:
        return range(self.source_start_line, self.source_end_line + 1)


class Plan(models.Model):
    slug = models.SlugField("代碼", max_length=40, unique=True)
    fiscal_year = models.PositiveSmallIntegerField("年度", help_text="民國年，例如 114")
    agency = models.CharField("機關", max_length=100)
    title = models.CharField("標題", max_length=200)
    total_amount = models.PositiveBigIntegerField("預算總額（千元）")
    source_file = models.CharField("原始文件", max_length=200)
    source_sha256 = models.CharField("原始文件 SHA-256", max_length=64)
    data_updated_at = models.DateTimeField("資料更新時間", null=True, blank=True)

    class Meta:
        verbose_name = "施政計畫"
        verbose_name_plural = "施政計畫"
        ordering = ["-fiscal_year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="plan_unique_agency_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def gregorian_year(self) -> int:
        return self.fiscal_year + 1911


class PolicyGoal(SourceLinesMixin):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name="施政計畫"
    )
    number = models.PositiveSmallIntegerField("編號")
    ordinal = models.CharField("序號", max_length=10)
    text = models.TextField("內容")
    measures = models.ManyToManyField(
        "Measure",
        through="GoalMeasure",
        related_name="goals",
        blank=True,
        verbose_name="對應計畫項目",
        help_text="本站編輯整理的對應，原文未載明",
    )
    link_note = models.TextField("對應說明", blank=True, help_text="為何這些計畫項目執行本提要")
    history = HistoricalRecords(verbose_name="施政計畫提要修訂")

    class Meta:
        verbose_name = "施政計畫提要"
        verbose_name_plural = "施政計畫提要"
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="goal_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="goal_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}{self.text[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("plan:goal-detail", kwargs={"number": self.number})

    @property
    def code(self) -> str:
        return str(self.number)


class BudgetLine(SourceLinesMixin):
    class Level(models.TextChoices):
        CATEGORY = "category", "類"
        ITEM = "item", "項"
        SUBITEM = "subitem", "目"

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
    note = models.TextField("備考", blank=True, help_text="原文備考欄")
    editor_note = models.TextField("編者註", blank=True, help_text="本站對原文的說明，公開顯示")
    summary_line = models.PositiveIntegerField(
        "對照表行", null=True, blank=True, help_text="類與項在預算配合對照表的原文行號"
    )
    position = models.PositiveSmallIntegerField("同層順序")
    sequence = models.PositiveIntegerField("文件順序")
    history = HistoricalRecords(verbose_name="預算項目修訂")

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
        return reverse("plan:budget-line-detail", kwargs={"code": self.code})

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
    history = HistoricalRecords(verbose_name="計畫項目修訂")

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
        return reverse("plan:measure-detail", kwargs={"code": self.code})

    @property
    def label(self) -> str:
        return f"{self.ordinal}{self.name}"


class GoalMeasure(models.Model):
    """A goal carried out by a measure: compiled by the site's editors, not stated in the plan."""

    goal = models.ForeignKey(
        PolicyGoal, on_delete=models.CASCADE, related_name="measure_links", verbose_name="提要"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="goal_links", verbose_name="計畫項目"
    )
    history = HistoricalRecords(verbose_name="提要對應修訂")

    class Meta:
        verbose_name = "提要對應計畫項目"
        verbose_name_plural = "提要對應計畫項目"
        ordering = ["goal_id", "measure__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "measure"], name="goal_measure_unique"),
        ]

    def __str__(self) -> str:
        return f"提要{self.goal.ordinal} → {self.measure.label}"


class DataLoad(models.Model):
    """One run of `loadplan`: reloading the published data is itself a recorded event."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="loads", verbose_name="施政計畫"
    )
    loaded_at = models.DateTimeField("載入時間", auto_now_add=True)
    initial = models.BooleanField("初次載入", default=False)
    source_sha256 = models.CharField("原始文件 SHA-256", max_length=64)
    summary = models.CharField("結果", max_length=300)
    created = models.PositiveIntegerField("新增筆數", default=0)
    updated = models.PositiveIntegerField("更新筆數", default=0)
    deleted = models.PositiveIntegerField("刪除筆數", default=0)

    class Meta:
        verbose_name = "資料載入紀錄"
        verbose_name_plural = "資料載入紀錄"
        ordering = ["-loaded_at", "-pk"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.summary}"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)
