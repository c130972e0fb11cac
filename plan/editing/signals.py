"""Keep the plan's "last changed" time true when staff edit published data in the admin, and
mark the history rows of one admin save as one change set."""

import uuid

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from plan.content import published
from plan.document.loader import loading
from plan.models import (
    BudgetLine,
    BudgetLineMatch,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
    SearchSynonym,
)
from plan.search.synonyms import touch_remaining

CONTENT_MODELS = (PolicyGoal, BudgetLine, Measure, GoalMeasure, BudgetLineMatch)


def _plan_id(instance) -> int:
    if isinstance(instance, GoalMeasure):
        return instance.goal.plan_id
    if isinstance(instance, BudgetLineMatch):
        return instance.line.plan_id
    return instance.plan_id


@receiver(post_save)
@receiver(post_delete)
def touch_plan(sender, instance, **kwargs):
    if sender is Plan:
        published.changed()
        return
    if sender not in CONTENT_MODELS or loading.get():
        return  # the loader stamps the plan once, at the end of its transaction
    Plan.objects.filter(pk=_plan_id(instance)).update(data_updated_at=timezone.now())
    published.changed()


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def synonyms_changed(sender, instance, signal, **kwargs):
    """A synonym edit changes what searches find: a new data version (plan/content/published.py),
    without touching the plans' "last changed" (no published record changed)."""
    if signal is post_delete:
        touch_remaining()
    published.changed()


@receiver(pre_create_historical_record)
def stamp_changeset(sender, history_instance, **kwargs):
    """History rows written by one request (an admin save with its inlines) share a change
    set, so the public log shows the save as one entry. Rows written outside a request (the
    loader, the shell) have none and stand alone."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not hasattr(history_instance, "changeset"):
        return
    if not hasattr(request, "plan_changeset"):
        request.plan_changeset = uuid.uuid4().hex
    history_instance.changeset = request.plan_changeset
