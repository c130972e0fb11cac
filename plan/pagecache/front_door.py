"""The page cache's fast path: a WSGI wrapper that answers plain cache hits before Django's
handler runs (config/wsgi.py wraps the application in it).

A plain hit is a GET or HEAD without conditional headers, from a host Django allows, over HTTPS
wherever Django would redirect to it, while this process's data version was looked up less than a
second ago, for a page whose entry is in the cache. It is answered with the entry
PageStoreMiddleware stored (the headers the whole stack sent on the miss) and the headers the front
door sets on every hit (plan/pagecache/entries.py `hit_headers`). Everything else (misses, a Host
Django would refuse, the HTTPS redirect, conditional requests, the first request after the data
version is due to be looked up again, a database outage) goes to Django unchanged, where
PageCacheMiddleware and the rest answer it. What a request may be is never decided here in a way
Django would decide otherwise: the host and the scheme are judged by Django's own HttpRequest
methods, and the path is read as WSGIRequest reads it.
"""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest

from plan.addresses.hosts import checked_host
from plan.content import published
from plan.content.published import safe_cache

from . import keys
from .entries import hit_headers
from .spaces import page_cache

CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# What Django reads to tell the host and the scheme (HttpRequest.get_host, .scheme).
HOST_KEYS = (
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
)


class FrontDoor:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = cached_answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        headers, body = answer
        start_response("200 OK", headers)
        return [body]


def cached_answer(environ) -> tuple[list[tuple[str, str]], bytes] | None:
    """The headers and body of a plain hit, or None: Django answers."""
    if settings.PAGE_CACHE_SECONDS <= 0 or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if any(header in environ for header in CONDITIONAL_HEADERS):
        return None
    snapshot = published.fresh()
    if snapshot is None:
        return None
    scheme = _scheme(
        tuple(environ.get(key) for key in HOST_KEYS),
        environ.get("wsgi.url_scheme", "http"),
        environ.get(_proxy_ssl_header()),
    )
    if scheme is None:
        return None
    path = request_path(environ)
    query = keys.normal_query(environ.get("QUERY_STRING", ""))
    if query is None or path.startswith(keys.skipped_paths()):
        return None
    encoding = keys.best_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""))
    key = keys.page_key(path, query, snapshot.version, encoding, scheme)
    entry = safe_cache(page_cache(query).get, key)
    if entry is None:
        return None
    return hit_headers(entry, keys.etag(key), snapshot.version), entry[1]


def request_path(environ) -> str:
    """request.path, as WSGIRequest makes it from the same environ."""
    path_info = get_path_info(environ) or "/"
    script_name = get_script_name(environ).rstrip("/")
    return f"{script_name}/{path_info.replace('/', '', 1)}"


class _Probe(HttpRequest):
    """Just enough of a request for Django's own get_host() and scheme."""

    def __init__(self, meta: dict, url_scheme: str):
        super().__init__()
        self.META = meta
        self._url_scheme = url_scheme

    def _get_scheme(self):
        return self._url_scheme


@lru_cache(maxsize=512)
def _scheme(host_values: tuple, url_scheme: str, proxy_ssl_value: str | None) -> str | None:
    """ "https" or "http" for a request Django would answer itself; None where Django would
    refuse the host (400) or redirect to HTTPS."""
    pairs = zip(HOST_KEYS, host_values, strict=True)
    meta = {key: value for key, value in pairs if value is not None}
    header = _proxy_ssl_header()
    if header and proxy_ssl_value is not None:
        meta[header] = proxy_ssl_value
    probe = _Probe(meta, url_scheme)
    try:
        checked_host(probe)
    except DisallowedHost:
        return None
    if settings.SECURE_SSL_REDIRECT and not probe.is_secure():
        return None
    return probe.scheme


@lru_cache(maxsize=1)
def _proxy_ssl_header() -> str | None:
    """The environ key of the header a proxy marks HTTPS with (SECURE_PROXY_SSL_HEADER)."""
    configured = settings.SECURE_PROXY_SSL_HEADER
    return configured[0] if configured else None


@receiver(setting_changed)
def _forget_judgements(**kwargs):
    """Tests change the settings these were judged by."""
    _scheme.cache_clear()
    _proxy_ssl_header.cache_clear()
