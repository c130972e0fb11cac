"""Search: the form, the results table, the page and its CSV/XLSX exports."""

from urllib.parse import urlencode

import django_tables2 as tables
from django import forms
from django.shortcuts import render

from .. import exports
from ..caching import public_cache
from ..models import BudgetLine
from ..plans import plan_or_404
from ..search import KIND_LABELS, MAX_QUERY_LENGTH, MAX_TERMS, SORTS, parse_query, search_plan
from ..site_url import absolute_url
from .errors import error_page, safe_methods_only


class SearchForm(forms.Form):
    """The search box and its filters; every parameter is validated before it reaches a query."""

    q = forms.CharField(label="搜尋", required=False, strip=True)
    kind = forms.ChoiceField(
        label="類型",
        required=False,
        choices=[("", "全部類型"), *KIND_LABELS.items()],
    )
    category = forms.ChoiceField(label="預算類別", required=False, choices=[("", "全部類別")])
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()))

    max_query_length = MAX_QUERY_LENGTH

    def __init__(self, data, *, categories):
        super().__init__(data)
        self.fields["category"].choices = [("", "全部類別")] + [
            (line.code, line.label) for line in categories
        ]

    def cleaned_or_default(self) -> dict:
        """Valid parameters as given; an invalid filter or sort falls back to its default."""
        self.is_valid()
        values = {"q": "", "kind": "", "category": "", "sort": ""}
        values.update({key: value for key, value in self.cleaned_data.items() if value})
        return values


class SearchResultsTable(tables.Table):
    """Search hits as the page shows them; sorting is done by plan.search (amount may be empty)."""

    kind = tables.Column(verbose_name="類型", accessor="kind_label", orderable=False)
    label = tables.Column(verbose_name="名稱與符合內容", orderable=False)
    path = tables.Column(verbose_name="所屬預算", accessor="path_text", orderable=False)
    amount = tables.Column(
        verbose_name="金額（千元）",
        orderable=False,
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )

    class Meta:
        template_name = "plan/_search_table.html"


EXPORT_HEADER = [
    "類型",
    "代碼",
    "名稱",
    "預算路徑",
    "類",
    "金額（千元）",
    "金額所屬預算項目",
    "符合欄位",
    "符合內容",
    "網址",
]


def export_rows(hits, build_url) -> list[list]:
    """The rows of the results table, in the same order, for CSV and XLSX."""
    return [
        [
            hit.kind_label,
            hit.code,
            hit.label,
            hit.path_text,
            hit.category_label,
            hit.amount,
            hit.amount_of,
            hit.field,
            hit.context_text,
            build_url(hit.url),
        ]
        for hit in hits
    ]


def _search(request, plan):
    categories = BudgetLine.objects.in_plan(plan).categories()
    form = SearchForm(request.GET, categories=categories)
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


def _notices(form, params, result) -> list[str]:
    """What the page tells the reader about the query: what was left out, why nothing matched."""
    query = result.query
    if "q" in form.errors:
        return ["搜尋字詞含有無法處理的字元，請重新輸入。"]
    if not params["q"]:
        return [
            "請輸入要搜尋的字詞，例如「監視器」「酒駕」「詐欺」；以空白分隔多個詞表示要同時符合。"
        ]
    notices = []
    if query.too_long:
        notices.append("搜尋字詞過長，只使用前 100 個字。")
    if query.ignored:
        ignored = "、".join(f"「{term}」" for term in query.ignored)
        notices.append(f"每個詞至少要兩個字，已略過：{ignored}。")
    if query.dropped:
        dropped = "、".join(f"「{term}」" for term in query.dropped)
        notices.append(f"一次最多搜尋 {MAX_TERMS} 個詞，已略過：{dropped}。")
    if not query.usable:
        notices.append("請輸入至少兩個字的詞。")
    elif not result.total and params["kind"] == "goal" and params["category"]:
        notices.append("施政提要不屬於任何預算類別；請取消「預算類別」篩選再搜尋提要。")
    elif not result.total:
        notices.append("找不到同時符合這些詞的資料；可以減少詞數或換個說法。")
    return notices


@safe_methods_only
@public_cache
def search(request):
    plan = plan_or_404(request)
    form, params, result = _search(request, plan)
    table = None
    if result.hits:
        table = SearchResultsTable(result.hits)
        table.sort = params["sort"]
        next_sort = "amount" if params["sort"] == "-amount" else "-amount"
        table.amount_sort_query = urlencode({**params, "sort": next_sort})
    context = {
        "plan": plan,
        "form": form,
        "params": params,
        "result": result,
        "table": table,
        "notices": _notices(form, params, result),
        "search_query": params["q"],
        "sorts": SORTS,
        "export_query": urlencode(params),
    }
    return render(request, "plan/search.html", context)


@safe_methods_only
@public_cache
def search_export(request, file_format):
    plan = plan_or_404(request)
    _form, _params, result = _search(request, plan)
    if not result.query.usable:
        return error_page(400, "請先輸入至少兩個字的搜尋詞，再下載結果。")
    rows = export_rows(result.hits, absolute_url)
    filename = exports.filename("search", result.query.terms, file_format)
    ascii_name = f"search-results.{file_format}"  # for clients that ignore filename*
    if file_format == "csv":
        content = exports.csv_bytes(EXPORT_HEADER, rows)
        return exports.download(content, exports.CSV_TYPE, filename, ascii_name=ascii_name)
    content = exports.xlsx_bytes("搜尋結果", EXPORT_HEADER, rows)
    return exports.download(content, exports.XLSX_TYPE, filename, ascii_name=ascii_name)
