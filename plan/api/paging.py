"""Pages of a list, with links to the pages around it (absolute, from SITE_URL)."""

from math import ceil

from ninja.errors import HttpError

from ..site_url import absolute_url


def _link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{absolute_url(request.path)}?{query.urlencode()}"


def page_of(request, items: list, page: int, page_size: int, render) -> dict:
    """Page `page` of `items`, each made into its answer by `render`; a page after the last is
    a 404 (the first page of nothing is an empty page)."""
    pages = max(ceil(len(items) / page_size), 1)
    if page > pages:
        raise HttpError(404, f"沒有第 {page} 頁：共 {pages} 頁。")
    start = (page - 1) * page_size
    return {
        "count": len(items),
        "next": _link(request, page + 1) if page < pages else None,
        "previous": _link(request, page - 1) if page > 1 else None,
        "results": [render(item) for item in items[start : start + page_size]],
    }
