"""Public pages. Thin views: fetch through selectors, render with a small context."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from . import about, selectors
from .charts import bar_chart
from .context_processors import current_plan
from .formatting import amount_text, shares_text
from .tables import BudgetLineChildrenTable, children_rows


def _plan(request):
    plan = current_plan(request)["site_plan"]
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan


def _colour(line) -> str:
    """Charts colour each 類 the same way everywhere: by the 類's position (1..6)."""
    return f"c{line.code.split('-')[0]}"


def _chart(title, lines, whole):
    texts = shares_text([line.amount for line in lines], whole)
    rows = [
        {
            "label": line.label,
            "amount": line.amount,
            "share_label": text,
            "url": line.get_absolute_url(),
            "colour": _colour(line),
        }
        for line, text in zip(lines, texts, strict=True)
    ]
    return bar_chart(title=title, rows=rows)


@require_safe
def home(request):
    plan = _plan(request)
    categories = selectors.categories_list(plan=plan)
    context = {
        "plan": plan,
        "categories": zip(
            categories, shares_text([c.amount for c in categories], plan.total_amount), strict=True
        ),
        "chart": _chart("各類預算金額", categories, plan.total_amount),
        "goals": selectors.plan_goals(plan=plan),
    }
    return render(request, "plan/home.html", context)


@require_safe
def budget_line_detail(request, code):
    plan = _plan(request)
    page = selectors.budget_line_page(plan=plan, code=code)
    if page is None:
        raise Http404("找不到這個預算項目")
    line = page.line
    table = None
    chart = None
    if page.children:
        table = BudgetLineChildrenTable(children_rows(page.children, line.amount))
        table.caption_text = f"{line.label}的下一層"
        table.total_text = amount_text(line.amount)
        RequestConfig(request, paginate=False).configure(table)
        chart = _chart(f"{line.label}各項金額", page.children, line.amount)
    context = {
        "plan": plan,
        "page": page,
        "line": line,
        "table": table,
        "chart": chart,
        "source": about.line_source(plan, line),
    }
    return render(request, "plan/budget_line_detail.html", context)


@require_safe
def measure_detail(request, code):
    plan = _plan(request)
    page = selectors.measure_page(plan=plan, code=code)
    if page is None:
        raise Http404("找不到這個計畫項目")
    return render(request, "plan/measure_detail.html", {"plan": plan, "page": page})


@require_safe
def budget_tree(request):
    plan = _plan(request)
    return render(
        request,
        "plan/budget_tree.html",
        {"plan": plan, "tree": selectors.budget_tree(plan=plan)},
    )


@require_safe
def goal_list(request):
    plan = _plan(request)
    return render(
        request,
        "plan/goal_list.html",
        {"plan": plan, "goals": selectors.goals_with_counts(plan=plan)},
    )


@require_safe
def goal_detail(request, number):
    plan = _plan(request)
    page = selectors.goal_page(plan=plan, number=number)
    if page is None:
        raise Http404("找不到這項施政計畫提要")
    return render(request, "plan/goal_detail.html", {"plan": plan, "page": page})


@require_safe
def about_data(request):
    plan = _plan(request)
    context = {
        "plan": plan,
        "corrections": about.correction_groups(),
        "derived": selectors.derived_lines(plan=plan),
        "rules": about.READING_RULES,
    }
    return render(request, "plan/about.html", context)


@require_safe
def source_document(request):
    """The source extraction itself, as plain UTF-8 text, for anyone who wants to check."""
    plan = _plan(request)
    response = HttpResponse(about.source_bytes(plan), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kcpd-114-plan.txt"'
    return response


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
