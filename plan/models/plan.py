"""The plan itself and the record of each load of its published data."""

from django.db import models


class PlanQuerySet(models.QuerySet):
    def published(self):
        """The plans the public sees (not editors' drafts)."""
        return self.filter(published=True)

    def newest(self, *, slug: str | None = None) -> "Plan | None":
        """The published plan with `slug`, or the newest one without (None if none is loaded)."""
        plans = self.published()
        plans = plans.filter(slug=slug) if slug else plans
        return plans.order_by("-fiscal_year", "agency").first()


class Plan(models.Model):
    slug = models.SlugField("代碼", max_length=40, unique=True)
    fiscal_year = models.PositiveSmallIntegerField("年度", help_text="民國年，例如 114")
    agency = models.CharField("機關", max_length=100)
    title = models.CharField("標題", max_length=200)
    total_amount = models.PositiveBigIntegerField("預算總額（千元）")
    source_file = models.CharField("原始文件", max_length=200)
    source_sha256 = models.CharField("原始文件 SHA-256", max_length=64)
    data_updated_at = models.DateTimeField("資料更新時間", null=True, blank=True)
    published = models.BooleanField(
        "已發布", default=True, help_text="否：編輯中的草稿，只在預覽中顯示"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "施政計畫"
        verbose_name_plural = "施政計畫"
        ordering = ["-fiscal_year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"],
                condition=models.Q(published=True),
                name="plan_unique_agency_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.published else f"{self.title}（草稿）"

    @property
    def gregorian_year(self) -> int:
        return self.fiscal_year + 1911

    @property
    def title_after_agency(self) -> str:
        """The title without the agency's name it begins with, for the header, which shows
        the agency on a line of its own: 「114 年度施政計畫」."""
        return self.title.removeprefix(self.agency).strip() or self.title


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
