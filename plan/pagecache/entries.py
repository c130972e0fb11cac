"""What the page cache stores for a page and how it answers with it.

Views marked `@public_cache` (public pages and data files: the same bytes for every reader)
are stored as bytes, body and headers, once in each encoding (brotli, gzip, none), under the
key of plan/pagecache/keys.py. A hit answers with the headers the whole stack sent on the miss
(`PageStoreMiddleware` stores them) and the cache headers every hit gets (`hit_headers`).

Each answer also names what it shows in the cache tag header (settings.CACHE_TAG_HEADER, keys
of plan/content/tags.py), stored and replayed with the other headers, so that a proxy in front
can keep it until a change purges one of its keys.

Public pages carry no secret (no CSRF token, no session), so BREACH padding, which Django's
GZipMiddleware adds to every page, is not needed for them.
"""

import gzip
import time
from functools import lru_cache, wraps

import brotli
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from plan.addresses.year_prefix import previewing
from plan.comparison.lines import previous_plan
from plan.content import published, tags

ENCODINGS = ("br", "gzip", "identity")
MIN_COMPRESS_BYTES = 200
BROTLI_QUALITY = 5  # most of quality 11's gain at a fraction of its CPU, paid once per page
# Headers the page cache sets itself on every answer, or that must never be replayed.
NOT_STORED = {
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "cache-control",
    "vary",
    "set-cookie",
    "date",
    "expires",
    "warning",
    "age",
}


def public_cache(view):
    """Mark a view's successful answers as public: the same for every reader, cacheable by the
    page cache, browsers and CDNs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.public_cache = True
            if not previewing():  # a draft's preview is no page to keep
                response[settings.CACHE_TAG_HEADER] = " ".join(tag_keys(request, kwargs))
        return response

    return wrapper


def tag_keys(request, kwargs) -> list[str]:
    """The cache tags of a public answer: its year's (from the path: /114/… or the API's
    /api/v1/114/…), what its view said it shows (tags.shows), or, for a page of no year, every
    year's lists."""
    plan = published.current_plan(request)
    if plan is None and str(kwargs.get("year", "")).isdigit():
        plan = published.plan_of_year(int(kwargs["year"]))
    records, extra = getattr(request, "shown_records", ((), ()))
    if plan is None:
        return tags.page_keys(None, plans=published.published_plans(), extra=extra)
    earlier = previous_plan(plan)
    compared = earlier.fiscal_year if earlier is not None else None
    return tags.page_keys(plan, records, compared=compared, extra=extra)


def _compress(body: bytes, encoding: str) -> tuple[bytes, str]:
    if encoding == "identity" or len(body) < MIN_COMPRESS_BYTES:
        return body, "identity"
    if encoding == "br":
        packed = brotli.compress(body, quality=BROTLI_QUALITY)
    else:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
    return (packed, encoding) if len(packed) < len(body) else (body, "identity")


def hit_headers(entry: tuple, tag: str, version) -> list[tuple[str, str]]:
    """A fresh hit's headers, as PageCacheMiddleware._finish sets them on the same entry
    (tests/pagecache/test_front_door.py compares the two)."""
    headers, body, encoding, _stored_at = entry
    answer = [*headers, ("ETag", tag)]
    if version.modified is not None:
        answer.append(("Last-Modified", last_modified_date(version.modified)))
    answer.append(("Vary", "Accept-Encoding"))
    answer.append(
        (
            "Cache-Control",
            _public_cache_control(settings.PUBLIC_MAX_AGE, settings.PUBLIC_SHARED_MAX_AGE),
        )
    )
    if encoding != "identity":
        answer.append(("Content-Encoding", encoding))
    answer.append(("Content-Length", str(len(body))))
    return answer


@lru_cache(maxsize=8)
def last_modified_date(modified: int) -> str:
    return http_date(modified)


@lru_cache(maxsize=8)
def _public_cache_control(max_age: int, s_maxage: int) -> str:
    """What patch_cache_control(public=True, ...) writes on a response that has none."""
    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    return response["Cache-Control"]


def entry_of(response, encoding: str) -> tuple:
    """What the cache stores: plain values, no response object (headers, body, encoding,
    when)."""
    body, encoding = _compress(response.content, encoding)
    return stored_headers(response), body, encoding, time.time()


def stored_headers(response) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
    )


def replay(entry: tuple) -> HttpResponse:
    headers, body, encoding, _stored_at = entry
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    return response
