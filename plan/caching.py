"""Caching of public responses, keyed on the data version.

The published data changes only when an admin saves or `loadplan` runs; both move the plan's
`data_updated_at` (plan/signals.py, plan/loader.py). That timestamp is the data version:
every cached page and file is stored under a key that contains it, so a change is visible on
the very next request, and the old entries simply expire. Browsers and CDNs get an ETag and
Last-Modified for conditional requests (304) and a short Cache-Control.

The gzipped body is cached too, so a hit is not compressed again. Public pages carry no
secret (no CSRF token, no session), so BREACH padding, which GZipMiddleware adds for every
page, is not needed for them.
"""

import gzip
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from .plans import current_plan


def data_version(request) -> str:
    plan = current_plan(request)
    if plan is None or plan.data_updated_at is None:
        return "none"
    return f"{plan.pk}:{plan.data_updated_at.timestamp()}"


MIN_COMPRESS_BYTES = 200


def _etag(request, version: str, encoding: str) -> str:
    # Each encoding of a page is its own representation, with its own strong ETag.
    seed = f"{version}|{encoding}|{request.get_full_path()}"
    return quote_etag(hashlib.sha256(seed.encode()).hexdigest()[:32])


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _compress(response) -> None:
    if response.streaming or response.has_header("Content-Encoding"):
        return
    if len(response.content) < MIN_COMPRESS_BYTES:
        return
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    if len(compressed) < len(response.content):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(compressed))


def public_cache(view):
    """Serve a public GET/HEAD view from the cache until the data version changes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        use_gzip = _accepts_gzip(request)
        etag = _etag(request, data_version(request), "gzip" if use_gzip else "identity")
        plan = current_plan(request)
        # Whole seconds: HTTP dates have no fractions, so If-Modified-Since can match.
        modified = int(plan.data_updated_at.timestamp()) if plan and plan.data_updated_at else None
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        if response is None:
            key = f"page:{etag}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # TemplateResponse (the sitemap) must be rendered to cache
                if use_gzip:
                    _compress(response)
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        response["ETag"] = etag
        patch_vary_headers(response, ("Accept-Encoding",))
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PUBLIC_MAX_AGE,
            s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
        )
        return response

    return wrapper
