"""/api/ answers any origin (CORS: the data is public and needs no credentials), and only at
its own address, never under a year's (/114/api/…)."""

from django.http import HttpResponse

from plan.web.errors import json_error

ALLOWED = "GET, HEAD, OPTIONS"


class ApiMiddleware:
    """Below the page cache, so a cached answer keeps its CORS header. A preflight (OPTIONS)
    is answered here; HEAD is answered as GET (the server sends no body), as the pages are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        if request.path != request.path_info:
            # Reached through a year (/114/api/…): the API's year is in its own path.
            response = json_error(404, "API 的年度在網址之中：/api/v1/<年度>/…")
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED
            response["Access-Control-Allow-Methods"] = ALLOWED
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        else:
            if request.method == "HEAD":
                request.method = "GET"
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        return response
