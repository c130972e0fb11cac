"""The API for people: the OpenAPI document (/api/openapi.json) and a page that explains it
(/<year>/open-data/api/), rendered on the server from the same document, with no script."""

import json

from django.shortcuts import render

from .. import exports
from ..api.document import openapi_document, operations, schemas
from ..caching import public_cache
from ..plans import plan_or_404
from ..site_url import absolute_url
from .errors import safe_methods_only


@safe_methods_only
@public_cache
def openapi_json(request):
    content = json.dumps(openapi_document(), ensure_ascii=False, indent=2).encode()
    return exports.download(content, exports.JSON_TYPE, "openapi.json", inline=True)


@safe_methods_only
@public_cache
def api_page(request):
    plan = plan_or_404(request)
    document = openapi_document()
    context = {
        "plan": plan,
        "document": document,
        "operations": operations(document, plan.fiscal_year),
        "schemas": schemas(document),
        "openapi_url": absolute_url("/api/openapi.json"),
        "site_url_base": absolute_url(""),
    }
    return render(request, "plan/api.html", context)
