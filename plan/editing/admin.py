"""Django admin for the department's editors: tree-shaped budget list, integrity panel, history.

Broken sums are allowed with a warning (see docs/editing.md): the panel and a message list
every parent that no longer equals the sum of its children, and `checkplan` fails until fixed.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from plan.models import (
    BudgetLine,
    BudgetLineMatch,
    DataLoad,
    GoalMeasure,
    Measure,
    Plan,
    PolicyGoal,
    SearchSynonym,
    SearchSynonymRemoval,
    normalize_line_ends,
    subtree_q,
)
from plan.reading.formatting import amount_text

from .integrity import broken_sums

admin.site.site_header = "高雄市政府警察局施政計畫 資料管理"
admin.site.site_title = "施政計畫資料管理"
admin.site.index_title = "資料維護"


class LineEndsField(forms.CharField):
    """A textarea's value with the document's line ends: a browser posts CRLF, so without this
    every text with a line break would look changed (and be saved, and logged) on every save."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_line_ends(value) if isinstance(value, str) else value


class EditOnlyChangesMixin:
    """Forms compare text by content, not line ends, and a record saved as it is stored is
    not saved again: no history row, no entry in the public revision log, no new data version.
    (Compared with the stored row, not the form: a revert's form starts from the old values.)"""

    formfield_overrides = {models.TextField: {"form_class": LineEndsField}}

    def save_model(self, request, obj, form, change):
        if change and not _differs_from_stored(obj):
            return
        super().save_model(request, obj, form, change)


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


class StructureFromSourceMixin:
    """Plans, goals, budget lines and measures come from the source via `loadplan`: the
    admin corrects them but does not add new ones (a new plan is a new fixture)."""

    def has_add_permission(self, request, obj=None):
        return False


class IntegrityPanelMixin:
    """Show the plan's broken sums above the list and the form, and warn after a save."""

    def _panel(self):
        return {"integrity_problems": broken_sums()}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), **self._panel()})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = {**(extra_context or {}), **self._panel()}
        return super().changeform_view(request, object_id, form_url, context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        problems = broken_sums()
        if problems:
            listed = "；".join(problem.message for problem in problems)
            messages.warning(
                request,
                f"已儲存，但有 {len(problems)} 處上層金額不等於下層合計：{listed}。"
                "請一併修正；checkplan 會報告這些錯誤。",
            )


class GoalMeasureInline(EditOnlyChangesMixin, admin.TabularInline):
    model = GoalMeasure
    extra = 0
    autocomplete_fields = ["measure"]
    verbose_name = "對應的計畫項目"
    verbose_name_plural = "對應的計畫項目（本站整理）"


class MeasureGoalInline(EditOnlyChangesMixin, admin.TabularInline):
    model = GoalMeasure
    fk_name = "measure"
    extra = 0
    autocomplete_fields = ["goal"]
    verbose_name = "對應的施政計畫提要"
    verbose_name_plural = "對應的施政計畫提要（本站整理）"


class MeasureInline(EditOnlyChangesMixin, StructureFromSourceMixin, admin.StackedInline):
    model = Measure
    extra = 0
    can_delete = False
    fields = ["ordinal", "name", "objectives", "approach", "editor_note"]
    show_change_link = True
    ordering = ["sequence"]


class CategoryFilter(admin.SimpleListFilter):
    title = "類"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = BudgetLine.objects.categories()
        return [(line.code, line.label) for line in categories]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        field = "code" if queryset.model is BudgetLine else "budget_line__code"
        return queryset.filter(subtree_q(code, field))


@admin.register(Plan)
class PlanAdmin(StructureFromSourceMixin, admin.ModelAdmin):
    list_display = ["title", "fiscal_year", "agency", "total_amount", "data_updated_at"]
    readonly_fields = ["source_file", "source_sha256", "data_updated_at"]


@admin.register(PolicyGoal)
class PolicyGoalAdmin(EditOnlyChangesMixin, StructureFromSourceMixin, SimpleHistoryAdmin):
    list_display = ["number", "ordinal", "short_title", "short_text", "measure_count"]
    list_display_links = ["number", "short_title"]
    search_fields = ["short_title", "text", "link_note"]
    ordering = ["plan_id", "number"]
    readonly_fields = ["plan", "number", "source_start_line", "source_end_line"]
    inlines = [GoalMeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(links=Count("measure_links"))

    @admin.display(description="內容")
    def short_text(self, goal):
        return goal.text[:40]

    @admin.display(description="對應計畫項目數", ordering="links")
    def measure_count(self, goal):
        return goal.links


@admin.register(BudgetLine)
class BudgetLineAdmin(
    EditOnlyChangesMixin, StructureFromSourceMixin, IntegrityPanelMixin, SimpleHistoryAdmin
):
    list_display = [
        "indented_label",
        "code",
        "level",
        "shown_amount",
        "amount_source",
        "child_count",
        "measure_count",
    ]
    list_filter = [CategoryFilter, "level", "amount_source"]
    search_fields = ["name", "code"]
    ordering = ["plan_id", "sequence"]
    list_per_page = 200
    readonly_fields = [
        "plan",
        "parent",
        "code",
        "level",
        "position",
        "sequence",
        "sum_differs_in_source",
        "summary_line",
        "source_start_line",
        "source_end_line",
    ]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                children_count=Count("children", distinct=True),
                measures_count=Count("measures", distinct=True),
            )
        )

    @admin.display(description="名稱", ordering="sequence")
    def indented_label(self, line):
        return "　" * line.code.count("-") + line.label

    @admin.display(description="金額（千元）", ordering="amount")
    def shown_amount(self, line):
        return amount_text(line.amount)

    @admin.display(description="下層數", ordering="children_count")
    def child_count(self, line):
        return line.children_count

    @admin.display(description="計畫項目數", ordering="measures_count")
    def measure_count(self, line):
        return line.measures_count


@admin.register(Measure)
class MeasureAdmin(
    EditOnlyChangesMixin, StructureFromSourceMixin, IntegrityPanelMixin, SimpleHistoryAdmin
):
    list_display = ["label", "code", "budget_line"]
    list_filter = [CategoryFilter]
    search_fields = ["name", "objectives", "approach", "editor_note", "code"]
    list_select_related = ["budget_line"]
    ordering = ["plan_id", "sequence"]
    readonly_fields = [
        "plan",
        "budget_line",
        "code",
        "position",
        "sequence",
        "source_start_line",
        "source_end_line",
    ]
    inlines = [MeasureGoalInline]


@admin.register(GoalMeasure)
class GoalMeasureAdmin(EditOnlyChangesMixin, SimpleHistoryAdmin):
    list_display = ["goal", "measure"]
    list_select_related = ["goal", "measure"]
    autocomplete_fields = ["goal", "measure"]
    search_fields = ["measure__name", "goal__text"]


@admin.register(BudgetLineMatch)
class BudgetLineMatchAdmin(admin.ModelAdmin):
    """Year on year: a line the plan renamed or moved is matched to the previous year's line
    here (plan/comparison/lines.py); without a match the comparison calls it new."""

    list_display = ["line", "line_year", "previous", "previous_year", "note"]
    list_select_related = ["line__plan", "previous__plan"]
    autocomplete_fields = ["line", "previous"]
    search_fields = ["line__name", "line__code", "previous__name", "note"]

    @admin.display(description="本年度", ordering="line__plan__fiscal_year")
    def line_year(self, match):
        return match.line.plan.fiscal_year

    @admin.display(description="上年度", ordering="previous__plan__fiscal_year")
    def previous_year(self, match):
        return match.previous.plan.fiscal_year


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words searched for one another (plan/search/terms.py); the file fixtures/synonyms.toml
    is the record, `loadsynonyms` loads it."""

    list_display = ["words", "reason", "position", "updated_at", "edited_in_admin"]
    list_editable = ["position"]
    search_fields = ["words", "reason"]
    fields = ["words", "reason", "position"]

    # An editor's group is kept by the next `loadsynonyms` (plan/search/synonyms.py).
    def save_model(self, request, obj, form, change):
        obj.edited_in_admin = True
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _remember_removal(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _remember_removal(obj)
        super().delete_queryset(request, queryset)


def _remember_removal(synonym: SearchSynonym) -> None:
    if synonym.source_words:
        SearchSynonymRemoval.objects.get_or_create(source_words=synonym.source_words)


@admin.register(DataLoad)
class DataLoadAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "summary", "created", "updated", "deleted"]
    readonly_fields = [field.name for field in DataLoad._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
