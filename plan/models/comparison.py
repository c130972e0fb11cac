"""Year on year: which budget line of the previous year's plan a line is, where the plan
renamed or moved it (the site's editors say so; the plan does not)."""

from django.core.exceptions import ValidationError
from django.db import models

from .budget import BudgetLine


class BudgetLineMatch(models.Model):
    line = models.OneToOneField(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="previous_match",
        verbose_name="本年度預算項目",
    )
    previous = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="上年度預算項目",
    )
    note = models.TextField(
        "說明", blank=True, help_text="公開顯示：為何視為同一項目（改名或移動）"
    )

    class Meta:
        verbose_name = "跨年度對應"
        verbose_name_plural = "跨年度對應"
        ordering = ["line__plan_id", "line__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["previous"], name="budget_line_match_unique_previous"),
        ]

    def __str__(self) -> str:
        return f"{self.line.label} ← {self.previous.label}"

    def clean(self):
        line, previous = self.line, self.previous
        if not (line.plan.published and previous.plan.published):
            raise ValidationError("跨年度對應只連結已發布的施政計畫的預算項目。")
        if line.plan.agency != previous.plan.agency:
            raise ValidationError("兩個預算項目必須屬於同一機關的施政計畫。")
        if previous.plan.fiscal_year >= line.plan.fiscal_year:
            raise ValidationError({"previous": "上年度預算項目必須屬於較早年度的施政計畫。"})
