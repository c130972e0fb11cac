"""The page cache, as the site's front door.

Views marked `@public_cache` (public pages and data files: the same bytes for every reader)
are stored as bytes, body and a few headers, under a key made of the release (plan/release.py),
the data version (plan/data_version.py), the site's host, the path, the normalised query and
the content encoding. FrontDoorCacheMiddleware sits above sessions, CSRF, auth, messages and
the views: a hit is answered before any of them run, with the headers the full stack set when
the page was made (CSP, frame options, content type…); the middleware above it adds the rest
(HSTS, nosniff, referrer, COOP, permissions) to hits and misses alike.

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
    """The best encoding the client accepts: brotli, then gzip, else none."""
    return _best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


# Browsers send a handful of distinct Accept-Encoding values; worked out once each.
@lru_cache(maxsize=64)
def _best_encoding(header: str) -> str:
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


def _normal_query(query: str) -> str | None:
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


def _key(path: str, query: str, version, encoding: str) -> str:
    parts = (release(), version.key, _host(settings.SITE_URL), path, query, encoding)
    return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


@lru_cache(maxsize=4)
def _host(site_url: str) -> str:
    return urlsplit(site_url).netloc


def _etag(key: str) -> str:
    return f'"{key[5:37]}"'


class FrontDoorCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = (f"/{settings.STATIC_URL.strip('/')}/", f"/{settings.ADMIN_URL}")

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.skipped):
            return self.get_response(request)
        # A disallowed or malformed Host is refused here as further in (Django's 400), even
        # for a page in the cache: the answer never depends on the Host, but the refusal does.
        request.get_host()
        query = _normal_query(request.META.get("QUERY_STRING", ""))
        snapshot = data_version.current()
        version, stale = snapshot.version, snapshot.stale
        if query is None or version is None:
            return self.get_response(request)
        encoding = _encoding(request)
        key = _key(request.path, query, version, encoding)
        etag = _etag(key)
        not_modified = get_conditional_response(request, etag=etag, last_modified=version.modified)
        if not_modified is not None:
            return self._finish(not_modified, etag, version, stale)
        use_cache = settings.PAGE_CACHE_SECONDS > 0
        entry = safe_cache(cache.get, key) if use_cache else None
        if entry is not None:
            return self._finish(_replay(entry), etag, version, stale, stored_at=entry[3])
        response = self.get_response(request)
        if not getattr(response, "public_cache", False) or stale or response.cookies:
            return response
        if not use_cache:
            return self._finish(_replay(_entry(response, encoding)), etag, version, stale)
        # Made once, stored in every encoding: the next reader's browser may ask another.
        entries = {each: _entry(response, each) for each in ENCODINGS}
        safe_cache(
            cache.set_many,
            {_key(request.path, query, version, each): entry for each, entry in entries.items()},
            settings.PAGE_CACHE_SECONDS,
        )
        return self._finish(_replay(entries[encoding]), etag, version, stale)

    @staticmethod
    def _finish(response, etag, version, stale, stored_at=None):
        # Every hit sets these: the usual case (no Vary or Cache-Control yet, the last change
        # already formatted) skips Django's parsing and merging of the headers.
        response["ETag"] = etag
        if version.modified is not None:
            response["Last-Modified"] = _http_date(version.modified)
        if response.has_header("Vary"):
            patch_vary_headers(response, ("Accept-Encoding",))
        else:
            response["Vary"] = "Accept-Encoding"
        if stale:
            # The database could not be asked: this is the last page it gave. Say so, and
            # let nobody keep it for long.
            response["Warning"] = '110 - "Response is Stale"'
            if stored_at is not None:
                response["Age"] = str(max(int(time.time() - stored_at), 0))
            patch_cache_control(response, public=True, max_age=0, s_maxage=30)
        elif response.has_header("Cache-Control"):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_MAX_AGE,
                s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
            )
        else:
            response["Cache-Control"] = _public_cache_control(
                settings.PUBLIC_MAX_AGE, settings.PUBLIC_SHARED_MAX_AGE
            )
        return response


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
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
    )
    return headers, body, encoding, time.time()


def _replay(entry: tuple) -> HttpResponse:
    headers, body, encoding, _stored_at = entry
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    return response
