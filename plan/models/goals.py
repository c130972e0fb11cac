"""The policy goals (施政計畫提要) and the editors' links from goals to measures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalRecords

from .base import ChangeSetHistory, SourceLinesMixin, plan_reverse, related_or_none
from .budget import Measure
from .plan import Plan


class PolicyGoalQuerySet(models.QuerySet):
    def in_plan(self, plan):
        """The plan's goals in number order."""
        return self.filter(plan=plan).order_by("number")

    def with_measure_counts(self):
        """Each goal annotated with `measure_count`, the number of measures linked to it, in
        this queryset's order or else the model's (a GROUP BY query drops the default one)."""
        counted = self.annotate(measure_count=Count("measure_links"))
        return counted.order_by(*self.query.order_by or PolicyGoal._meta.ordering)


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
    short_title = models.CharField(
        "短標題",
        max_length=12,
        blank=True,
        help_text="本站整理的簡短名稱（12 字以內），與原文並列顯示",
    )
    history = HistoricalRecords(bases=[ChangeSetHistory], verbose_name="施政計畫提要修訂")

    objects = PolicyGoalQuerySet.as_manager()

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
        return plan_reverse(self, "plan:goal-detail", number=self.number)

    @property
    def code(self) -> str:
        return str(self.number)

    @property
    def label(self) -> str:
        """「提要一」: how the site numbers a goal."""
        return f"提要{self.ordinal.rstrip('、')}"

    @property
    def title(self) -> str:
        """「提要一：打擊犯罪與刑案偵防」: the number and the site's short title."""
        return f"{self.label}：{self.short_title}" if self.short_title else self.label


class GoalMeasureQuerySet(models.QuerySet):
    def in_plan(self, plan):
        """The plan's goal links, by goal and then measure in document order."""
        return self.filter(goal__plan=plan).order_by("goal__number", "measure__sequence")


class GoalMeasure(models.Model):
    """A goal carried out by a measure: compiled by the site's editors, not stated in the plan."""

    goal = models.ForeignKey(
        PolicyGoal, on_delete=models.CASCADE, related_name="measure_links", verbose_name="提要"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="goal_links", verbose_name="計畫項目"
    )
    history = HistoricalRecords(bases=[ChangeSetHistory], verbose_name="提要對應修訂")

    objects = GoalMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "提要對應計畫項目"
        verbose_name_plural = "提要對應計畫項目"
        ordering = ["goal_id", "measure__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "measure"], name="goal_measure_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        """A link is shown on its goal's page; "" once the goal is gone."""
        goal = related_or_none(self, "goal")
        return goal.get_absolute_url() if goal else ""

    def clean(self):
        goal, measure = related_or_none(self, "goal"), related_or_none(self, "measure")
        if goal and measure and goal.plan_id != measure.plan_id:
            raise ValidationError({"measure": "提要與計畫項目必須屬於同一份計畫（或同一份草稿）。"})

    @property
    def label(self) -> str:
        """「提要四 ↔ 1.外國駐華機構…」; says so where the goal or measure has been deleted
        (a link in the history may outlive both)."""
        goal = related_or_none(self, "goal")
        measure = related_or_none(self, "measure")
        goal_label = goal.label if goal else "（已刪除的提要）"
        return f"{goal_label} ↔ {measure.label if measure else '（已刪除的計畫項目）'}"
