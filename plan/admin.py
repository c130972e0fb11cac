from django.contrib import admin

from .formatting import amount_text
from .models import BudgetLine, GoalMeasure, Measure, Plan, PolicyGoal

admin.site.site_header = "施政計畫資料管理"
admin.site.site_title = "施政計畫資料管理"
admin.site.index_title = "資料維護"


class GoalMeasureInline(admin.TabularInline):
    model = GoalMeasure
    extra = 0
    autocomplete_fields = ["measure"]
    verbose_name = "對應的計畫項目"
    verbose_name_plural = "對應的計畫項目（本站整理）"


class MeasureGoalInline(admin.TabularInline):
    model = GoalMeasure
    fk_name = "measure"
    extra = 0
    autocomplete_fields = ["goal"]
    verbose_name = "對應的施政計畫提要"
    verbose_name_plural = "對應的施政計畫提要（本站整理）"


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["ordinal", "name", "objectives", "approach", "editor_note", "position"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "fiscal_year", "agency", "total_amount", "data_updated_at"]
    readonly_fields = ["source_file", "source_sha256", "data_updated_at"]


@admin.register(PolicyGoal)
class PolicyGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "ordinal", "short_text"]
    list_display_links = ["number", "short_text"]
    search_fields = ["text", "link_note"]
    ordering = ["plan_id", "number"]
    inlines = [GoalMeasureInline]

    @admin.display(description="內容")
    def short_text(self, goal):
        return goal.text[:40]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["indented_label", "code", "level", "shown_amount", "amount_source"]
    list_filter = ["level", "amount_source"]
    search_fields = ["name", "code"]
    ordering = ["plan_id", "sequence"]
    inlines = [MeasureInline]

    @admin.display(description="名稱", ordering="sequence")
    def indented_label(self, line):
        depth = line.code.count("-")
        return "　" * depth + line.label

    @admin.display(description="金額（千元）", ordering="amount")
    def shown_amount(self, line):
        return amount_text(line.amount)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "budget_line"]
    search_fields = ["name", "objectives", "approach", "code"]
    list_select_related = ["budget_line"]
    ordering = ["plan_id", "sequence"]
    inlines = [MeasureGoalInline]
