"""Open data: the index page with each file's columns, the files, the Data Package and a
budget line's subtree as CSV."""

import json

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import exports, open_data
from ..caching import public_cache
from ..document import dump, from_database
from ..plans import plan_or_404
from ..query_exports import SEARCH_RESULTS
from ..site_url import absolute_url
from .errors import safe_methods_only


def _file(plan, resource) -> tuple[bytes, str]:
    if resource is open_data.PLAN_JSON:
        return dump(from_database(plan)).encode(), exports.JSON_TYPE
    rows = open_data.ROW_BUILDERS[resource.name](plan=plan)
    return exports.csv_bytes(open_data.header(resource), rows), exports.CSV_TYPE


def _datapackage_bytes(request, plan) -> bytes:
    document = open_data.datapackage(plan=plan, base_url=absolute_url(reverse("plan:home")))
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@safe_methods_only
@public_cache
def open_data_index(request):
    plan = plan_or_404(request)
    files = [
        (
            resource,
            len(_file(plan, resource)[0]),
            reverse("plan:open-data-file", args=[resource.filename]),
        )
        for resource in open_data.resources(plan)
    ]
    files.append(
        (
            open_data.DATAPACKAGE,
            len(_datapackage_bytes(request, plan)),
            reverse("plan:datapackage"),
        )
    )
    context = {"plan": plan, "files": files, "search_results": SEARCH_RESULTS}
    return render(request, "plan/open_data.html", context)


@safe_methods_only
@public_cache
def open_data_file(request, filename):
    plan = plan_or_404(request)
    resource = open_data.resource_named(plan, filename)
    if resource is None:
        raise Http404("沒有這個檔案")
    content, content_type = _file(plan, resource)
    return exports.download(content, content_type, resource.filename)


@safe_methods_only
@public_cache
def datapackage_json(request):
    plan = plan_or_404(request)
    content = _datapackage_bytes(request, plan)
    return exports.download(content, exports.JSON_TYPE, "datapackage.json", inline=True)


@safe_methods_only
@public_cache
def budget_line_csv(request, code):
    plan = plan_or_404(request)
    rows = open_data.budget_line_rows(plan=plan, root_code=code)
    if not rows:
        raise Http404("找不到這個預算項目")
    content = exports.csv_bytes(open_data.header(open_data.resources(plan)[0]), rows)
    return exports.download(content, exports.CSV_TYPE, f"budget-lines-{code}.csv")
