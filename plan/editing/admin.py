"""Django admin for the department's editors: the plan's records.

Published records are read-only here: an editor opens a draft (draft_admin.py) with one click
on any record's page, changes the draft's copy, previews it and publishes the whole draft.
Every list shows each record's year and version (published or which draft) and filters by it;
amounts are right-aligned with separators; a 類 or 項 shows its children and their sum.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
)
from plan.reading.formatting import amount_reading, amount_text

from .forms import GoalMeasureForm, ReasonForm
from .record_admin import (
    CategoryFilter,
    DraftOnlyMixin,
    InlineInDraftMixin,
    PlanVersionFilter,
    removed_links_html,
)

admin.site.site_header = "高雄市政府警察局施政計畫 資料管理"
admin.site.site_title = "施政計畫資料管理"
admin.site.index_title = "資料維護"


class GoalMeasureInline(InlineInDraftMixin, admin.TabularInline):
    model = GoalMeasure
    form = GoalMeasureForm
    extra = 0
    autocomplete_fields = ["measure"]
    verbose_name = "對應的計畫項目"
    verbose_name_plural = "對應的計畫項目（本站整理）"


class MeasureGoalInline(InlineInDraftMixin, admin.TabularInline):
    model = GoalMeasure
    form = GoalMeasureForm
    fk_name = "measure"
    extra = 0
    autocomplete_fields = ["goal"]
    verbose_name = "對應的施政計畫提要"
    verbose_name_plural = "對應的施政計畫提要（本站整理）"


class MeasureInline(InlineInDraftMixin, admin.StackedInline):
    model = Measure
    extra = 0
    can_delete = False
    fields = ["ordinal", "name", "objectives", "approach", "editor_note"]
    show_change_link = True
    ordering = ["sequence"]

    def has_add_permission(self, request, obj=None):
        return False


class DraftSearchMixin:
    """The autocomplete behind a goal link offers only drafts' records: a link is added in a
    draft, between records of that draft (GoalMeasure.clean says so if not)."""

    def get_search_results(self, request, queryset, search_term):
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(plan__published=False)
        return super().get_search_results(request, queryset, search_term)


@admin.register(Plan)
class PlanAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "version", "agency", "shown_total", "data_updated_at"]
    list_filter = ["fiscal_year", "published"]
    fields = [
        "version",
        "title",
        "total_amount",
        "total_check",
        "agency",
        "fiscal_year",
        "source_file",
        "change_reason",
    ]
    readonly_fields = ["version", "total_check", "agency", "fiscal_year", "source_file"]
    form = ReasonForm

    def record_plan(self, obj) -> Plan:
        return obj

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).select_related("draft")

    @admin.display(description="預算總額（千元）", ordering="total_amount")
    def shown_total(self, plan):
        return amount_text(plan.total_amount)

    @admin.display(description="各類合計")
    def total_check(self, plan):
        categories = BudgetLine.objects.in_plan(plan).categories()
        total = sum(line.amount or 0 for line in categories)
        verdict = "相符" if total == plan.total_amount else "不符，請修正總額或各類金額"
        return f"{amount_text(total)} 千元（{amount_reading(total)}）：{verdict}"


@admin.register(PolicyGoal)
class PolicyGoalAdmin(DraftOnlyMixin, DraftSearchMixin, SimpleHistoryAdmin):
    list_display = ["number", "short_title", "short_text", "version", "measure_count"]
    list_display_links = ["number", "short_title"]
    list_filter = [PlanVersionFilter]
    search_fields = ["short_title", "text", "link_note"]
    ordering = ["plan__fiscal_year", "plan_id", "number"]
    fields = [
        "version",
        "number",
        "ordinal",
        "short_title",
        "text",
        "link_note",
        "change_reason",
        "removed_links",
        "source_start_line",
        "source_end_line",
    ]
    readonly_fields = ["version", "number", "removed_links", "source_start_line", "source_end_line"]
    inlines = [GoalMeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(links=Count("measure_links"))

    @admin.display(description="內容")
    def short_text(self, goal):
        return goal.text[:40]

    @admin.display(description="對應計畫項目數", ordering="links")
    def measure_count(self, goal):
        return goal.links

    @admin.display(description="已刪除的對應")
    def removed_links(self, goal):
        return removed_links_html(GoalMeasure.history.filter(goal_id=goal.pk))


@admin.register(BudgetLine)
class BudgetLineAdmin(DraftOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "indented_label",
        "code",
        "version",
        "level",
        "shown_amount",
        "amount_source",
        "child_count",
        "measure_count",
    ]
    list_filter = [PlanVersionFilter, CategoryFilter, "level", "amount_source"]
    search_fields = ["name", "code"]
    ordering = ["plan__fiscal_year", "plan_id", "sequence"]
    list_per_page = 200
    readonly_fields = [
        "version",
        "code",
        "level",
        "children_sum",
        "parent",
        "sum_differs_in_source",
        "summary_line",
        "source_start_line",
        "source_end_line",
    ]
    fields = [
        "version",
        "code",
        "level",
        "parent",
        "ordinal",
        "name",
        "amount",
        "amount_source",
        "children_sum",
        "sum_differs_in_source",
        "note",
        "editor_note",
        "change_reason",
        "summary_line",
        "source_start_line",
        "source_end_line",
    ]
    inlines = [MeasureInline]

    def get_search_results(self, request, queryset, search_term):
        # Year-on-year matches (the only autocomplete of budget lines) join published lines.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(plan__published=True)
        return super().get_search_results(request, queryset, search_term)

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

    @admin.display(description="下層項目與合計")
    def children_sum(self, line):
        children = list(line.children.order_by("position"))
        if not children:
            return "（無下層項目）"
        total = sum(child.amount or 0 for child in children)
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td class="amount">{}</td></tr>',
            (
                (
                    reverse("admin:plan_budgetline_change", args=[c.pk]),
                    c.label,
                    amount_text(c.amount),
                )
                for c in children
            ),
        )
        verdict = "＝ 本項金額" if total == line.amount else "≠ 本項金額，請修正"
        return format_html(
            '<table class="children-sum"><tbody>{}</tbody><tfoot><tr><th>合計（{}）</th>'
            '<td class="amount">{}</td></tr></tfoot></table>',
            rows,
            verdict,
            amount_text(total),
        )


@admin.register(Measure)
class MeasureAdmin(DraftOnlyMixin, DraftSearchMixin, SimpleHistoryAdmin):
    list_display = ["shown_label", "code", "version", "budget_line"]
    list_filter = [PlanVersionFilter, CategoryFilter]
    search_fields = ["name", "objectives", "approach", "editor_note", "code"]
    list_select_related = ["budget_line"]
    ordering = ["plan__fiscal_year", "plan_id", "sequence"]
    readonly_fields = [
        "version",
        "budget_line",
        "code",
        "removed_links",
        "source_start_line",
        "source_end_line",
    ]
    fields = [
        "version",
        "code",
        "budget_line",
        "ordinal",
        "name",
        "objectives",
        "approach",
        "editor_note",
        "change_reason",
        "removed_links",
        "source_start_line",
        "source_end_line",
    ]
    inlines = [MeasureGoalInline]

    @admin.display(description="計畫名稱", ordering="sequence")
    def shown_label(self, measure):
        return measure.label

    @admin.display(description="已刪除的對應")
    def removed_links(self, measure):
        return removed_links_html(GoalMeasure.history.filter(measure_id=measure.pk))


@admin.register(GoalMeasure)
class GoalMeasureAdmin(DraftOnlyMixin, SimpleHistoryAdmin):
    plan_path = "goal__plan"
    form = GoalMeasureForm
    list_display = ["goal", "measure", "version"]
    list_filter = [PlanVersionFilter]
    list_select_related = ["goal__plan__draft", "measure"]
    autocomplete_fields = ["goal", "measure"]
    search_fields = ["measure__name", "goal__text"]

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)


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
    list_display = ["loaded_at", "plan", "summary", "created", "updated", "deleted"]
    list_filter = ["plan__fiscal_year"]
    readonly_fields = [field.name for field in DataLoad._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
