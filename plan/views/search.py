"""Search: the form, the results (a row per record, or grouped by budget line), the page and its
CSV/XLSX formats."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from plan.addresses.languages import is_english
from plan.addresses.links import absolute_url
from plan.budget_table.filters import category_choice
from plan.content import tags
from plan.content.outline import line_tree
from plan.content.published import plan_or_404
from plan.open_data import formats
from plan.pagecache.entries import public_cache
from plan.search.downloads import SEARCH_RESULTS, header, search_rows
from plan.search.engine import (
    EXAMPLE_QUERIES,
    MAX_QUERY_LENGTH,
    flatten_groups,
    group_hits,
    parse_query,
    search_plan,
)
from plan.search.notices import notices
from plan.search.terms import is_latin_query
from plan.search.wording import CHINESE_EXAMPLES, EXAMPLE_MEANINGS, GROUPS, KIND_NAMES, SORTS
from plan.web.errors import error_page, safe_methods_only


class SearchForm(forms.Form):
    """The search box and its filters; every parameter is validated before it reaches a query."""

    q = forms.CharField(label=gettext_lazy("搜尋"), required=False, strip=True)
    kind = forms.ChoiceField(
        label=gettext_lazy("類型"),
        required=False,
        choices=[("", gettext_lazy("全部類型")), *KIND_NAMES.items()],
    )
    category = forms.ChoiceField(
        label=gettext_lazy("預算類別"),
        required=False,
        choices=[("", gettext_lazy("全部類別"))],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("排序"), required=False, choices=list(SORTS.items())
    )
    group = forms.ChoiceField(
        label=gettext_lazy("呈現"), required=False, choices=list(GROUPS.items())
    )

    max_query_length = MAX_QUERY_LENGTH

    def __init__(self, data, *, plan, categories):
        super().__init__(data)
        self.fields["category"].choices = [("", gettext_lazy("全部類別"))] + [
            (line.code, category_choice(plan, line)) for line in categories
        ]

    def cleaned_or_default(self) -> dict:
        """Valid parameters as given; an invalid filter or sort falls back to its default."""
        self.is_valid()
        values = dict.fromkeys(self.fields, "")
        values.update({key: value for key, value in self.cleaned_data.items() if value})
        return values


def _search(request, plan):
    form = SearchForm(request.GET, plan=plan, categories=line_tree(plan).categories)
    params = form.cleaned_or_default()
    query = parse_query(params["q"])
    tags.shows(request, extra=[tags.SYNONYMS])
    result = search_plan(
        plan=plan,
        query=query,
        kind=params["kind"],
        category=params["category"],
        sort=params["sort"],
    )
    groups = group_hits(result.hits) if params["group"] == "line" else None
    hits = flatten_groups(groups) if groups is not None else result.hits
    return form, params, result, groups, hits


@safe_methods_only
@public_cache
def search(request):
    plan = plan_or_404(request)
    form, params, result, groups, hits = _search(request, plan)
    next_sort = "amount" if params["sort"] == "-amount" else "-amount"
    # A reader of the English pages typing English: the plan is in Chinese (the page says so).
    latin_query = is_english() and is_latin_query(params["q"])
    context = {
        "plan": plan,
        "form": form,
        "params": params,
        "result": result,
        "hits": hits,
        "groups": groups,
        "notices": notices(
            q=params["q"],
            q_invalid="q" in form.errors,
            kind=params["kind"],
            category=params["category"],
            result=result,
            latin_query=latin_query,
        ),
        "latin_query": latin_query,
        "search_query": params["q"],
        "sorts": SORTS,
        "group_choices": GROUPS,
        "examples": [(example, EXAMPLE_MEANINGS[example]) for example in EXAMPLE_QUERIES],
        "chinese_examples": [(example, EXAMPLE_MEANINGS[example]) for example in CHINESE_EXAMPLES],
        "export_query": urlencode(params),
        "amount_sort_query": urlencode({**params, "sort": next_sort}),
        "grouped_query": urlencode({**params, "group": "" if groups is not None else "line"}),
    }
    return render(request, "plan/search.html", context)


@safe_methods_only
@public_cache
def search_download(request, file_format):
    plan = plan_or_404(request)
    _form, _params, result, _groups, hits = _search(request, plan)
    if not result.query.usable:
        return error_page(400, gettext("請先輸入至少兩個字的搜尋詞，再下載結果。"))
    rows = search_rows(hits, absolute_url)
    filename = formats.filename("search", result.query.terms, file_format)
    ascii_name = f"search-results.{file_format}"  # for clients that ignore filename*
    columns = header(SEARCH_RESULTS)
    if file_format == "csv":
        content = formats.csv_bytes(columns, rows)
        return formats.download(content, formats.CSV_TYPE, filename, ascii_name=ascii_name)
    content = formats.xlsx_bytes("搜尋結果", columns, rows)
    return formats.download(content, formats.XLSX_TYPE, filename, ascii_name=ascii_name)
