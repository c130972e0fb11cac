"""Open data: the index page with each file's columns, the files, the Data Package and a
budget line's subtree as CSV."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from plan.addresses.links import absolute_url
from plan.content.published import plan_or_404
from plan.open_data import formats
from plan.open_data.contents import datapackage_content, file_content, subtree_csv
from plan.open_data.files import DATAPACKAGE, resource_named, resources
from plan.pagecache.entries import public_cache
from plan.search.downloads import SEARCH_RESULTS
from plan.web.errors import safe_methods_only


def _datapackage(plan) -> bytes:
    return datapackage_content(plan, absolute_url(reverse("plan:home")))


@safe_methods_only
@public_cache
def open_data_index(request):
    plan = plan_or_404(request)
    files = [
        (
            resource,
            len(file_content(plan, resource)[0]),
            reverse("plan:open-data-file", args=[resource.filename]),
        )
        for resource in resources(plan)
    ]
    files.append((DATAPACKAGE, len(_datapackage(plan)), reverse("plan:datapackage")))
    context = {"plan": plan, "files": files, "search_results": SEARCH_RESULTS}
    return render(request, "plan/open_data.html", context)


@safe_methods_only
@public_cache
def open_data_file(request, filename):
    plan = plan_or_404(request)
    resource = resource_named(plan, filename)
    if resource is None:
        raise Http404(gettext("沒有這個檔案"))
    content, content_type = file_content(plan, resource)
    return formats.download(content, content_type, resource.filename)


@safe_methods_only
@public_cache
def datapackage_json(request):
    plan = plan_or_404(request)
    return formats.download(_datapackage(plan), formats.JSON_TYPE, "datapackage.json", inline=True)


@safe_methods_only
@public_cache
def budget_line_csv(request, code):
    plan = plan_or_404(request)
    content = subtree_csv(plan, code)
    if content is None:
        raise Http404(gettext("找不到這個預算項目"))
    return formats.download(content, formats.CSV_TYPE, f"budget-lines-{code}.csv")
