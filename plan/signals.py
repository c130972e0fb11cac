"""Keep the plan's "last changed" time true when staff edit published data in the admin."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .loader import loading
from .models import BudgetLine, GoalMeasure, Measure, Plan, PolicyGoal

CONTENT_MODELS = (PolicyGoal, BudgetLine, Measure, GoalMeasure)


def _plan_id(instance) -> int:
    return instance.goal.plan_id if isinstance(instance, GoalMeasure) else instance.plan_id


@receiver(post_save)
@receiver(post_delete)
def touch_plan(sender, instance, **kwargs):
    if sender not in CONTENT_MODELS or loading.get():
        return  # the loader stamps the plan once, at the end of its transaction
    Plan.objects.filter(pk=_plan_id(instance)).update(data_updated_at=timezone.now())
