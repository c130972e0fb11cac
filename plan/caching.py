"""The page cache, as the site's front door.

Views marked `@public_cache` (public pages and data files: the same bytes for every reader)
are stored as bytes, body and a few headers, under a key made of the release (plan/release.py),
the data version (plan/data_version.py), the site's host, the path, the normalised query and
the content encoding and the scheme. FrontDoorCacheMiddleware sits above sessions, CSRF, auth,
messages and the views: it makes the entries of a page it does not have, and answers every
request for one it has (conditional requests, stale pages). PageStoreMiddleware, the outermost,
stores them with every header the whole stack sent (CSP, frame options, HSTS, nosniff,
referrer, COOP, permissions, content type…), so a hit answers with exactly what the miss did.
Most hits never reach Django at all: plan/front_door.py answers them ahead of its handler.

A data change or a deploy changes the key, so the old entries are never served again and just
expire. Browsers and CDNs get an ETag (one per key) and Last-Modified for conditional requests
(304) and a short Cache-Control. When the database cannot be reached, pages already in the
cache are still served, marked stale; others get the 503 page from further in.

Public pages carry no secret (no CSRF token, no session), so BREACH padding, which Django's
GZipMiddleware adds to every page, is not needed for them.
"""

import gzip
import hashlib
import re
import time
from functools import lru_cache, wraps
from urllib.parse import parse_qsl, urlencode, urlsplit

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from . import data_version
from .data_version import safe_cache
from .release import release

ENCODINGS = ("br", "gzip", "identity")
MIN_COMPRESS_BYTES = 200
BROTLI_QUALITY = 5  # most of quality 11's gain at a fraction of its CPU, paid once per page
# Query parameters that tell where a reader came from and change nothing on the page: a link
# shared on Facebook or LINE carries a new fbclid each time.
TRACKING_PARAMETER = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid)$")
# Headers the front door sets itself on every answer, or that must never be replayed.
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
_ENCODING_TOKEN = re.compile(r"(?:^|,)\s*(br|gzip)\s*(?:;\s*q\s*=\s*([0-9.]+))?", re.I)


def public_cache(view):
    """Mark a view's successful answers as public: the same for every reader, cacheable by the
    front door, browsers and CDNs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.public_cache = True
        return response

    return wrapper


def _encoding(request) -> str:
    return best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


# Browsers send a handful of distinct Accept-Encoding values; worked out once each.
@lru_cache(maxsize=64)
def best_encoding(header: str) -> str:
    """The best encoding an Accept-Encoding header accepts: brotli, then gzip, else none."""
    accepted = {
        name.lower()
        for name, quality in _ENCODING_TOKEN.findall(header)
        if quality == "" or float(quality or 0) > 0
    }
    return next((name for name in ("br", "gzip") if name in accepted), "identity")


def _compress(body: bytes, encoding: str) -> tuple[bytes, str]:
    if encoding == "identity" or len(body) < MIN_COMPRESS_BYTES:
        return body, "identity"
    if encoding == "br":
        packed = brotli.compress(body, quality=BROTLI_QUALITY)
    else:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
    return (packed, encoding) if len(packed) < len(body) else (body, "identity")


def normal_query(query: str) -> str | None:
    """The query in one canonical form (sorted, tracking parameters left out), or None when
    it cannot be read (e.g. more fields than Django accepts: Django answers that with a 400)."""
    if not query:
        return ""
    try:
        pairs = parse_qsl(
            query,
            keep_blank_values=True,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:
        return None
    kept = [(name, value) for name, value in pairs if not TRACKING_PARAMETER.match(name)]
    return urlencode(sorted(kept))


def page_key(path: str, query: str, version, encoding: str, scheme: str) -> str:
    """The cache key (and, from it, the ETag) of one page in one encoding. The scheme is in it
    because the answer differs by it (HSTS is sent over HTTPS only); the host is the site's,
    never the request's."""
    parts = (release(), version.key, _host(settings.SITE_URL), path, query, encoding, scheme)
    return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


@lru_cache(maxsize=4)
def _host(site_url: str) -> str:
    return urlsplit(site_url).netloc


def etag(key: str) -> str:
    return f'"{key[5:37]}"'


def skipped_paths() -> tuple[str, ...]:
    """Paths the page cache never looks at: static files (whitenoise) and the admin."""
    return _skipped_paths(settings.STATIC_URL, settings.ADMIN_URL)


@lru_cache(maxsize=4)
def _skipped_paths(static_url: str, admin_url: str) -> tuple[str, ...]:
    return (f"/{static_url.strip('/')}/", f"/{admin_url}")


class FrontDoorCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(skipped_paths()):
            return self.get_response(request)
        # A disallowed or malformed Host is refused here as further in (Django's 400), even
        # for a page in the cache: the answer never depends on the Host, but the refusal does.
        request.get_host()
        query = normal_query(request.META.get("QUERY_STRING", ""))
        snapshot = data_version.current()
        version, stale = snapshot.version, snapshot.stale
        if query is None or version is None:
            return self.get_response(request)
        encoding = _encoding(request)
        key = page_key(request.path, query, version, encoding, request.scheme)
        tag = etag(key)
        not_modified = get_conditional_response(request, etag=tag, last_modified=version.modified)
        if not_modified is not None:
            return self._finish(not_modified, tag, version, stale)
        use_cache = settings.PAGE_CACHE_SECONDS > 0
        entry = safe_cache(cache.get, key) if use_cache else None
        if entry is not None:
            return self._finish(_replay(entry), tag, version, stale, stored_at=entry[3])
        response = self.get_response(request)
        if not getattr(response, "public_cache", False) or stale or response.cookies:
            return response
        # Made once, in every encoding: the next reader's browser may ask another.
        made = ENCODINGS if use_cache else (encoding,)
        entries = {each: _entry(response, each) for each in made}
        answer = self._finish(_replay(entries[encoding]), tag, version, stale)
        if use_cache:  # PageStoreMiddleware stores them, once the middleware above has run
            answer.page_cache_entries = {
                page_key(request.path, query, version, each, request.scheme): entry
                for each, entry in entries.items()
            }
        return answer

    @staticmethod
    def _finish(response, tag, version, stale, stored_at=None):
        response["ETag"] = tag
        if version.modified is not None:
            response["Last-Modified"] = _http_date(version.modified)
        patch_vary_headers(response, ("Accept-Encoding",))
        if stale:
            # The database could not be asked: this is the last page it gave. Say so, and
            # let nobody keep it for long.
            response["Warning"] = '110 - "Response is Stale"'
            if stored_at is not None:
                response["Age"] = str(max(int(time.time() - stored_at), 0))
            patch_cache_control(response, public=True, max_age=0, s_maxage=30)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_MAX_AGE,
                s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
            )
        return response


class PageStoreMiddleware:
    """The outermost middleware: stores the entries FrontDoorCacheMiddleware made for a page,
    with the headers of the answer as it leaves the whole stack (the middleware above the
    front door adds HSTS, nosniff, referrer, COOP and permissions), so that a hit, answered
    by the front door or ahead of Django, sends exactly what this miss sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entries = getattr(response, "page_cache_entries", None)
        if entries:
            headers = _stored_headers(response)
            safe_cache(
                cache.set_many,
                {key: (headers, *entry[1:]) for key, entry in entries.items()},
                settings.PAGE_CACHE_SECONDS,
            )
        return response


def hit_headers(entry: tuple, tag: str, version) -> list[tuple[str, str]]:
    """A fresh hit's headers, as FrontDoorCacheMiddleware._finish sets them on the same entry
    (tests/test_front_door.py compares the two)."""
    headers, body, encoding, _stored_at = entry
    answer = [*headers, ("ETag", tag)]
    if version.modified is not None:
        answer.append(("Last-Modified", _http_date(version.modified)))
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
def _http_date(modified: int) -> str:
    return http_date(modified)


@lru_cache(maxsize=8)
def _public_cache_control(max_age: int, s_maxage: int) -> str:
    """What patch_cache_control(public=True, ...) writes on a response that has none."""
    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    return response["Cache-Control"]


def _entry(response, encoding: str) -> tuple:
    """What the cache stores: plain values, no response object (headers, body, encoding,
    when)."""
    body, encoding = _compress(response.content, encoding)
    return _stored_headers(response), body, encoding, time.time()


def _stored_headers(response) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
    )


def _replay(entry: tuple) -> HttpResponse:
    headers, body, encoding, _stored_at = entry
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    return response
