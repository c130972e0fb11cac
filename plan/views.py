"""Public pages. Thin views: fetch through selectors, render with a small context."""

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from . import about, exports, open_data, selectors
from .caching import public_cache
from .charts import bar_chart
from .context_processors import current_plan
from .formatting import amount_text, shares_text
from .forms import SearchForm
from .importer.build import dump
from .revisions import last_revised, plan_revisions
from .search import MAX_TERMS, SORTS, parse_query, search_plan
from .tables import (
    SEARCH_EXPORT_HEADER,
    BudgetLineChildrenTable,
    SearchResultsTable,
    children_rows,
    search_export_rows,
)


def _plan(request):
    plan = current_plan(request)["site_plan"]
    if plan is None:
        raise Http404("尚未載入施政計畫資料")
    return plan


CHART_COLOURS = 6


def _colour(line) -> str:
    """Charts colour each 類 the same way everywhere: by the 類's position (c1..c6)."""
    position = int(line.code.split("-")[0])
    return f"c{(position - 1) % CHART_COLOURS + 1}"


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
@public_cache
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
@public_cache
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
        "last_revised": last_revised(plan=plan, code=line.code),
    }
    return render(request, "plan/budget_line_detail.html", context)


@require_safe
@public_cache
def measure_detail(request, code):
    plan = _plan(request)
    page = selectors.measure_page(plan=plan, code=code)
    if page is None:
        raise Http404("找不到這個計畫項目")
    return render(request, "plan/measure_detail.html", {"plan": plan, "page": page})


@require_safe
@public_cache
def budget_tree(request):
    plan = _plan(request)
    return render(
        request,
        "plan/budget_tree.html",
        {"plan": plan, "tree": selectors.budget_tree(plan=plan)},
    )


@require_safe
@public_cache
def goal_list(request):
    plan = _plan(request)
    return render(
        request,
        "plan/goal_list.html",
        {"plan": plan, "goals": selectors.goals_with_counts(plan=plan)},
    )


@require_safe
@public_cache
def goal_detail(request, number):
    plan = _plan(request)
    page = selectors.goal_page(plan=plan, number=number)
    if page is None:
        raise Http404("找不到這項施政計畫提要")
    return render(request, "plan/goal_detail.html", {"plan": plan, "page": page})


@require_safe
@public_cache
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
@public_cache
def source_document(request):
    """The source extraction itself, as plain UTF-8 text, for anyone who wants to check."""
    plan = _plan(request)
    response = HttpResponse(about.source_bytes(plan), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kcpd-114-plan.txt"'
    return response


@require_safe
def healthz(request):
    """For load balancers: the process answers. Touches no database and no template."""
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def _search(request, plan):
    form = SearchForm(request.GET, categories=selectors.categories_list(plan=plan))
    params = form.cleaned_or_default()
    query = parse_query(params["q"])
    result = search_plan(
        plan=plan,
        query=query,
        kind=params["kind"],
        category=params["category"],
        sort=params["sort"],
    )
    return form, params, result


def _search_messages(form, params, result) -> list[str]:
    query = result.query
    if "q" in form.errors:
        return ["搜尋字詞含有無法處理的字元，請重新輸入。"]
    if not params["q"]:
        return [
            "請輸入要搜尋的字詞，例如「監視器」「酒駕」「詐欺」；以空白分隔多個詞表示要同時符合。"
        ]
    messages = []
    if query.too_long:
        messages.append("搜尋字詞過長，只使用前 100 個字。")
    if query.ignored:
        ignored = "、".join(f"「{term}」" for term in query.ignored)
        messages.append(f"每個詞至少要兩個字，已略過：{ignored}。")
    if query.dropped:
        dropped = "、".join(f"「{term}」" for term in query.dropped)
        messages.append(f"一次最多搜尋 {MAX_TERMS} 個詞，已略過：{dropped}。")
    if not query.usable:
        messages.append("請輸入至少兩個字的詞。")
    elif not result.total and params["kind"] == "goal" and params["category"]:
        messages.append("施政提要不屬於任何預算類別；請取消「預算類別」篩選再搜尋提要。")
    elif not result.total:
        messages.append("找不到同時符合這些詞的資料；可以減少詞數或換個說法。")
    return messages


@require_safe
@public_cache
def search(request):
    plan = _plan(request)
    form, params, result = _search(request, plan)
    table = None
    if result.hits:
        table = SearchResultsTable(result.hits)
        table.sort = params["sort"]
        next_sort = "amount" if params["sort"] == "-amount" else "-amount"
        table.amount_sort_query = urlencode({**params, "sort": next_sort})
    export_query = urlencode(params)
    context = {
        "plan": plan,
        "form": form,
        "params": params,
        "result": result,
        "table": table,
        "messages_": _search_messages(form, params, result),
        "sorts": SORTS,
        "export_query": export_query,
    }
    return render(request, "plan/search.html", context)


@require_safe
@public_cache
def search_export(request, file_format):
    plan = _plan(request)
    _form, _params, result = _search(request, plan)
    if not result.query.usable:
        return render(
            request, "400.html", {"reason": "請先輸入至少兩個字的搜尋詞，再下載結果。"}, status=400
        )
    rows = search_export_rows(result.hits, request.build_absolute_uri)
    filename = f"search-{'-'.join(result.query.terms)}.{file_format}"
    if file_format == "csv":
        content = exports.csv_bytes(SEARCH_EXPORT_HEADER, rows)
        return exports.download(content, exports.CSV_TYPE, filename)
    content = exports.xlsx_bytes("搜尋結果", SEARCH_EXPORT_HEADER, rows)
    return exports.download(content, exports.XLSX_TYPE, filename)


def _open_data_file(plan, resource) -> tuple[bytes, str]:
    if resource is open_data.PLAN_JSON:
        return dump(selectors.plan_document(plan=plan)).encode(), exports.JSON_TYPE
    rows = open_data.ROW_BUILDERS[resource.name](plan=plan)
    return exports.csv_bytes(open_data.header(resource), rows), exports.CSV_TYPE


@require_safe
@public_cache
def open_data_index(request):
    plan = _plan(request)
    files = [
        (
            resource,
            len(_open_data_file(plan, resource)[0]),
            reverse("plan:open-data-file", args=[resource.filename]),
        )
        for resource in open_data.RESOURCES
    ]
    files.append(
        (
            open_data.DATAPACKAGE,
            len(_datapackage_bytes(request, plan)),
            reverse("plan:datapackage"),
        )
    )
    return render(request, "plan/open_data.html", {"plan": plan, "files": files})


def _datapackage_bytes(request, plan) -> bytes:
    document = open_data.datapackage(plan=plan, base_url=request.build_absolute_uri("/"))
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@require_safe
@public_cache
def open_data_file(request, filename):
    plan = _plan(request)
    resource = open_data.BY_FILENAME.get(filename)
    if resource is None:
        raise Http404("沒有這個檔案")
    content, content_type = _open_data_file(plan, resource)
    return exports.download(content, content_type, resource.filename)


@require_safe
@public_cache
def datapackage_json(request):
    plan = _plan(request)
    content = _datapackage_bytes(request, plan)
    return exports.download(content, exports.JSON_TYPE, "datapackage.json", inline=True)


@require_safe
@public_cache
def budget_line_csv(request, code):
    plan = _plan(request)
    rows = open_data.budget_line_rows(plan=plan, root_code=code)
    if not rows:
        raise Http404("找不到這個預算項目")
    content = exports.csv_bytes(open_data.header(open_data.BUDGET_LINES), rows)
    return exports.download(content, exports.CSV_TYPE, f"budget-lines-{code}.csv")


REVISIONS_PER_PAGE = 100


@require_safe
@public_cache
def revision_log(request):
    plan = _plan(request)
    code = request.GET.get("code", "")
    line = selectors.budget_line_get(plan=plan, code=code) if code else None
    if code and line is None:
        raise Http404("找不到這個預算項目")
    revisions = plan_revisions(plan=plan, code=line.code if line else None)
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"plan": plan, "page": page, "line": line, "total": len(revisions)}
    return render(request, "plan/revisions.html", context)
