"""What the admin of every plan record shares: published records read-only, a draft's
records changed with a reason, the version each record belongs to, the filters by version and
類, and the goal links removed from a record."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from plan.models import BudgetLine, GoalMeasure, Plan, normalize_line_ends, subtree_q

from .forms import AmountField, LineEndsField, ReasonForm
from .history_changes import MarkedChanges
from .integrity import broken_sums
from .versions import linked_problems, version_label

FIELD_OVERRIDES = {
    models.TextField: {"form_class": LineEndsField},
    models.PositiveBigIntegerField: {"form_class": AmountField},
}


def _differs_from_stored(obj) -> bool:
    stored = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    if stored is None:
        return True
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, str):
            value = normalize_line_ends(value)
        if value != stored[field.attname]:
            return True
    return False


class DraftOnlyMixin:
    """A record of a published plan is only viewed here; a draft's record is changed, with a
    reason. A record saved as it is stored is not saved again (no history row). Compared with
    the stored row, not the form: a revert's form starts from the old values."""

    formfield_overrides = FIELD_OVERRIDES
    form = ReasonForm
    plan_path = "plan"  # from a record to its plan

    class Media:
        js = ["js/admin-amounts.js"]
        css = {"all": ["css/admin-extra.css"]}

    def record_plan(self, obj) -> Plan:
        for name in self.plan_path.split("__"):
            obj = getattr(obj, name)
        return obj

    def _published(self, obj) -> bool:
        return obj is not None and self.record_plan(obj).published

    def has_add_permission(self, request, obj=None):
        return False  # records come from the plan file; drafts copy them

    def get_actions(self, request):
        return {}  # no bulk deletion: records leave a plan only with the plan file

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "change_reason"]  # nothing is saved here

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return self._published(obj) or super().revert_disabled(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return MarkedChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":  # a revert: only of a draft's record
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
            request.plan_revert = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def view_on_site(self, obj):
        """「在網站上檢視」: a draft's record in the preview, a published one on the site."""
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
        plan = self.record_plan(obj)
        if plan.published or not url:
            return url or None
        return f"{reverse('admin:plan_draft_preview', args=[plan.draft.pk])}?path={url}"

    @admin.display(description="年度與版本")
    def version(self, obj):
        return version_label(self.record_plan(obj))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(f"{self.plan_path}__draft")

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "") if form else ""
        if getattr(request, "plan_revert", False):
            reason = "還原舊版本" + (f"：{reason}" if reason else "")
        request.plan_change_reason = reason
        if change and not _differs_from_stored(obj):
            return
        obj._change_reason = reason  # "" rather than None: the history shows no "None"
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "plan_change_reason", "")
        for obj in formset.save(commit=False):
            obj._change_reason = reason
            obj.save()
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        formset.save_m2m()

    def response_change(self, request, obj):
        plan = self.record_plan(obj)
        problems = broken_sums(plan)
        if problems:
            messages.warning(
                request,
                format_html(
                    "已存入{}，但草稿有 {} 處上層金額不等於下層合計，發布前請一併修正：{}",
                    version_label(plan),
                    len(problems),
                    format_html_join("；", '<a href="{}">{}</a>', linked_problems(plan, problems)),
                ),
            )
        return super().response_change(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None:
            plan = self.record_plan(obj)
            context["record_plan"] = plan
            context["record_version"] = version_label(plan)
            if not plan.published:
                context["draft"] = plan.draft
                context["integrity_links"] = linked_problems(plan, broken_sums(plan))
            elif request.user.has_perm("plan.add_draft"):
                context["edit_in_draft_url"] = reverse(
                    "admin:plan_draft_edit", args=[self.model._meta.model_name, obj.pk]
                )
        return super().changeform_view(request, object_id, form_url, context)


class InlineInDraftMixin:
    """An inline of a published record is read-only, like the record."""

    formfield_overrides = FIELD_OVERRIDES

    def _published(self, obj) -> bool:
        return obj is not None and obj.plan.published

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)


class PlanVersionFilter(admin.SimpleListFilter):
    """Each year's published plan and every open draft."""

    title = "年度與版本"
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        plans = Plan.objects.select_related("draft").order_by("-fiscal_year", "-published", "pk")
        return [(str(plan.pk), version_label(plan)) for plan in plans]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(**{f"{self._plan_path(queryset)}_id": int(value)})

    @staticmethod
    def _plan_path(queryset) -> str:
        return "goal__plan" if queryset.model is GoalMeasure else "plan"


class CategoryFilter(admin.SimpleListFilter):
    title = "類"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = BudgetLine.objects.filter(plan__published=True).categories()
        return list({line.code: (line.code, line.label) for line in categories}.values())

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        field = "code" if queryset.model is BudgetLine else "budget_line__code"
        return queryset.filter(subtree_q(code, field))


def removed_links_html(history) -> str:
    """The goal links removed from a record, each with when and its history page."""
    removed = history.filter(history_type="-").select_related("measure", "goal")
    rows = [
        (
            reverse("admin:plan_goalmeasure_simple_history", args=[row.id, row.history_id]),
            row.instance.label,
            f"{localtime(row.history_date):%Y-%m-%d %H:%M}",
        )
        for row in removed.order_by("-history_date")
    ]
    if not rows:
        return "（無）"
    return format_html_join("", '<div><a href="{}">{}</a>（{} 刪除）</div>', rows)
