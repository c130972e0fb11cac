"""Keep the plan's "last changed" time true when published data changes, and mark the history
rows of one admin save (or one publish) as one change set.

Edits of a draft's records change nothing the public sees: they only move the draft's
"last changed" (and no data version, so no cache is purged). A change of published records is
purged from the proxies in front by the keys of the records' pages (plan/content/tags.py).
"""

import uuid
from contextvars import ContextVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from plan.content import published, tags
from plan.document.loader import loading
from plan.models import (
    BudgetLine,
    BudgetLineMatch,
    Draft,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
    SearchSynonym,
)
from plan.search.synonyms import touch_remaining

CONTENT_MODELS = (PolicyGoal, BudgetLine, Measure, GoalMeasure, BudgetLineMatch)

# The change set of the history rows being written, when code outside a request's admin save
# writes them as one (a publish, plan/editing/publishing.py).
changeset_in_use: ContextVar[str | None] = ContextVar("changeset_in_use", default=None)


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
        if instance.published:  # a draft's plan row is nothing the public sees
            published.changed()
        return
    if sender not in CONTENT_MODELS or loading.get():
        return  # the loader (or a publish) stamps the plan once, at the end of its transaction
    plan_id, now = _plan_id(instance), timezone.now()
    if Plan.objects.filter(pk=plan_id, published=True).update(data_updated_at=now):
        published.changed()
        _purge_record(Plan.objects.get(pk=plan_id), instance)
    else:
        Draft.objects.filter(plan_id=plan_id).update(updated_at=now)


def _purge_record(plan: Plan, instance) -> None:
    try:
        keys = tags.changed_keys(plan, [instance])
    except ObjectDoesNotExist:  # a row deleted with what it points to: the whole year
        keys = tags.changed_keys(plan, [plan])
    tags.purge(keys)


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def synonyms_changed(sender, instance, signal, **kwargs):
    """A synonym edit changes what searches find: a new data version (plan/content/published.py),
    without touching the plans' "last changed" (no published record changed)."""
    if signal is post_delete:
        touch_remaining()
    published.changed()
    tags.purge({tags.SYNONYMS})


@receiver(pre_create_historical_record)
def stamp_changeset(sender, history_instance, **kwargs):
    """History rows written by one request (an admin save with its inlines) share a change
    set, so the public log shows the save as one entry. Rows written outside a request (the
    loader, the shell) have none and stand alone."""
    if not hasattr(history_instance, "changeset"):
        return
    if changeset_in_use.get():
        history_instance.changeset = changeset_in_use.get()
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return
    if not hasattr(request, "plan_changeset"):
        request.plan_changeset = uuid.uuid4().hex
    history_instance.changeset = request.plan_changeset
