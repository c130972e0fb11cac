"""Drafts and publications: how editors change a published plan without the public ever
seeing a half-finished state.

A draft (修正草稿) is a working copy of a published plan: a `Plan` row with `published=False`
and its own goals, budget lines, measures and goal links. Editors change the copy in the admin
and look at it under /preview/; publishing applies its differences to the published plan in one
transaction and records a `Publication`. A draft without a base is a new plan (an uploaded
plan file), published by making it the published plan of its year.
"""

from django.conf import settings
from django.db import models

from .plan import Plan


class DraftQuerySet(models.QuerySet):
    def of_year(self, year: int):
        """Open drafts of the plan of `year`, newest first."""
        return self.filter(plan__fiscal_year=year).order_by("-created_at", "-pk")


class Draft(models.Model):
    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="draft", verbose_name="草稿內容"
    )
    base = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name="修正的施政計畫",
        help_text="留白表示新年度的施政計畫（上傳的計畫檔）",
    )
    # The published plan's "last changed" when the draft was opened: if it moved since,
    # someone else published first, and this draft would undo their work.
    base_updated_at = models.DateTimeField("開啟時的發布版本", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="建立者",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    updated_at = models.DateTimeField("最後修改", auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "修正草稿"
        verbose_name_plural = "修正草稿"
        ordering = ["-created_at", "-pk"]
        permissions = [("publish_draft", "可發布修正草稿")]

    def __str__(self) -> str:
        kind = "修正草稿" if self.base_id else "新計畫草稿"
        return f"{self.plan.fiscal_year} 年度{kind} #{self.pk}"

    @property
    def year(self) -> int:
        return self.plan.fiscal_year


class Publication(models.Model):
    """One publish: every change it made shares its change set in the history, so the public
    revision log shows it as one event with this reason."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="publications", verbose_name="施政計畫"
    )
    published_at = models.DateTimeField("發布時間", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="發布者",
    )
    reason = models.TextField("發布理由", help_text="公開顯示於修訂紀錄")
    changeset = models.CharField("變更批次", max_length=32, unique=True)
    change_count = models.PositiveIntegerField("修改筆數", default=0)
    new_plan = models.BooleanField("新計畫", default=False)
    # The plan record has no history of its own: its changed fields (title, total) are kept
    # here, as [{"label", "old", "new"}] in the public log's wording.
    plan_changes = models.JSONField("計畫本身的修改", default=list, blank=True)
    sums_overridden = models.BooleanField(
        "加總不符仍發布", default=False, help_text="由系統管理者核准，理由公開顯示"
    )

    class Meta:
        verbose_name = "發布紀錄"
        verbose_name_plural = "發布紀錄"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.published_at:%Y-%m-%d %H:%M} {self.plan}：{self.reason[:30]}"
