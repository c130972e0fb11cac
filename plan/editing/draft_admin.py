"""The admin's drafts (修正草稿) and publications (發布紀錄).

A draft's page is the editor's desk: what the draft changes against the published plan, the
checks that must pass, links to edit its records and to preview the site with it, and the
publish form (one reason, shown publicly). Discarding a draft deletes its copy and its history.
"""

from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from plan.addresses.year_prefix import CHOSEN_DRAFT, PREVIEW_PREFIX, YEAR_PATH, year_reverse
from plan.models import BudgetLine, Draft, Measure, Plan, PolicyGoal, Publication

from .drafts import discard, draft_for
from .publishing import PublishRefused, conflicting, differences, problems, publish
from .uploads import MAX_UPLOAD_BYTES, UploadRefused, upload_plan
from .versions import linked_problems, version_label

RECORD_MODELS = {model._meta.model_name: model for model in (PolicyGoal, BudgetLine, Measure, Plan)}


def _copy_in(draft: Draft, record):
    """The draft's copy of a published record."""
    if isinstance(record, Plan):
        return draft.plan
    if isinstance(record, PolicyGoal):
        return PolicyGoal.objects.get(plan=draft.plan, number=record.number)
    return type(record).objects.get(plan=draft.plan, code=record.code)


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_by", "created_at", "updated_at", "change_count"]
    list_select_related = ["plan", "base", "created_by"]
    change_form_template = "admin/plan/draft/overview.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="plan_draft_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="plan_draft_publish"),
            path("upload/", wrap(self.upload_view), name="plan_draft_upload"),
            path(
                "edit/<str:model_name>/<int:pk>/",
                wrap(self.edit_in_draft_view),
                name="plan_draft_edit",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="修改筆數")
    def change_count(self, draft):
        return len(differences(draft)) if draft.base_id else "（新計畫）"

    # Opening a draft: choose the published plan; the copy is made at once.
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        plans = Plan.objects.published().order_by("-fiscal_year")
        if request.method == "POST":
            base = plans.filter(pk=request.POST.get("base", "")).first()
            if base is None:
                messages.error(request, "請選擇要修正的施政計畫。")
            else:
                draft = draft_for(request.user, base)
                messages.success(request, f"已開啟{draft}：請修改其中的資料，預覽後發布。")
                return HttpResponseRedirect(reverse("admin:plan_draft_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "開啟修正草稿",
            "opts": self.model._meta,
            "plans": plans,
        }
        return TemplateResponse(request, "admin/plan/draft/open.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self.get_object(request, object_id)
        if draft is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_permission(request, draft):
            raise PermissionDenied
        return self._overview(request, draft)

    def _overview(self, request, draft: Draft, refused: PublishRefused | None = None, status=200):
        plan = draft.plan
        failing = problems(draft)
        context = {
            **self.admin_site.each_context(request),
            "title": str(draft),
            "opts": self.model._meta,
            "draft": draft,
            "version": version_label(plan),
            "changes": differences(draft),
            "problems": linked_problems(plan, failing),
            "conflicts": refused.since if refused else conflicting(draft),
            "refused": refused,
            "may_publish": request.user.has_perm("plan.publish_draft"),
            "may_override": request.user.is_superuser and bool(failing),
            "may_discard": self.has_delete_permission(request, draft),
            "edit_links": _edit_links(plan),
            "reason": request.POST.get("reason", ""),
        }
        response = TemplateResponse(request, self.change_form_template, context, status=status)
        return response

    def preview_view(self, request, pk):
        draft = get_object_or_404(Draft.objects.select_related("plan"), pk=pk)
        if not self.has_view_permission(request, draft):
            raise PermissionDenied
        request.session[CHOSEN_DRAFT] = draft.pk
        wanted = request.GET.get("path", "")
        match = YEAR_PATH.match(urlsplit(wanted).path) if wanted else None
        rest = match["rest"] if match and int(match["year"]) == draft.year else "/"
        return HttpResponseRedirect(f"{PREVIEW_PREFIX}{draft.year}{rest or '/'}")

    def publish_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:plan_draft_change", args=[pk]))
        if not request.user.has_perm("plan.publish_draft"):
            raise PermissionDenied
        draft = get_object_or_404(Draft.objects.select_related("plan", "base"), pk=pk)
        override = request.POST.get("override_sums") == "1"
        try:
            publication = publish(
                draft, request.user, request.POST.get("reason", ""), override_sums=override
            )
        except PublishRefused as refused:
            messages.error(request, refused.message)
            return self._overview(request, draft, refused, status=409 if refused.since else 400)
        messages.success(
            request,
            f"已發布：{publication.change_count or '新計畫'}"
            f"{' 筆修改' if publication.change_count else ''}，公開網站已更新，修訂紀錄多了一筆。",
        )
        response = HttpResponseRedirect(
            reverse("admin:plan_publication_change", args=[publication.pk])
        )
        # The editor's browser kept the public pages for a minute: "view on site" must show
        # the published page at once.
        response["Clear-Site-Data"] = '"cache"'
        return response

    def upload_view(self, request):
        """A superuser uploads a new year's plan file as a draft (uploads.py)."""
        if not request.user.is_superuser:
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            upload = request.FILES.get("plan_file")
            if upload is None:
                messages.error(request, "請選擇要上傳的計畫檔（plan.json）。")
                status = 400
            else:
                try:
                    draft = upload_plan(upload.read(), upload.name, request.user)
                except UploadRefused as refused:
                    messages.error(request, f"沒有上傳：{refused.message}")
                    status = 400
                else:
                    messages.success(request, f"已上傳為{draft}：請預覽，再發布。")
                    return HttpResponseRedirect(reverse("admin:plan_draft_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "上傳新年度施政計畫",
            "opts": self.model._meta,
            "max_megabytes": MAX_UPLOAD_BYTES // 1024 // 1024,
        }
        return TemplateResponse(request, "admin/plan/draft/upload.html", context, status=status)

    def changelist_view(self, request, extra_context=None):
        context = {**(extra_context or {}), "may_upload": request.user.is_superuser}
        return super().changelist_view(request, context)

    def edit_in_draft_view(self, request, model_name, pk):
        model = RECORD_MODELS.get(model_name)
        if model is None:
            raise Http404("沒有這種資料")
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:plan_{model_name}_change", args=[pk]))
        record = get_object_or_404(model, pk=pk)
        base = record if isinstance(record, Plan) else record.plan
        if not request.user.has_perm("plan.add_draft") or not base.published:
            raise PermissionDenied
        draft = draft_for(request.user, base)
        copy = _copy_in(draft, record)
        messages.info(request, f"這是{draft}裡的同一筆資料：修改後請預覽，再從草稿總覽發布。")
        return HttpResponseRedirect(reverse(f"admin:plan_{model_name}_change", args=[copy.pk]))

    def delete_model(self, request, obj):
        discard(obj)

    def delete_queryset(self, request, queryset):
        for draft in queryset:
            discard(draft)

    def has_change_permission(self, request, obj=None):
        return False  # a draft is changed through its records and published, not edited itself


def _edit_links(plan: Plan) -> list[tuple[str, str]]:
    query = f"?plan={plan.pk}"
    return [
        ("預算項目", reverse("admin:plan_budgetline_changelist") + query),
        ("計畫項目", reverse("admin:plan_measure_changelist") + query),
        ("施政計畫提要", reverse("admin:plan_policygoal_changelist") + query),
        ("提要對應計畫項目", reverse("admin:plan_goalmeasure_changelist") + query),
        ("計畫標題與預算總額", reverse("admin:plan_plan_change", args=[plan.pk])),
    ]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = [
        "published_at",
        "plan",
        "reason",
        "change_count",
        "sums_overridden",
        "published_by",
    ]
    list_filter = ["plan__fiscal_year", "sums_overridden"]
    readonly_fields = [
        "plan",
        "published_at",
        "published_by",
        "reason",
        "change_count",
        "new_plan",
        "sums_overridden",
        "public_log",
    ]
    exclude = ["changeset"]

    @admin.display(description="公開的修訂紀錄")
    def public_log(self, publication):
        url = year_reverse(publication.plan.fiscal_year, "plan:revisions")
        return format_html('<a href="{}">{}</a>', url, url)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
