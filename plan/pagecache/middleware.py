"""The page cache's two middlewares.

PageCacheMiddleware sits above sessions, CSRF, auth, messages and the views: it makes the
entries of a page it does not have, and answers every request for one it has (conditional
requests, stale pages). PageStoreMiddleware, the outermost, stores them with every header the
whole stack sent (CSP, frame options, HSTS, nosniff, referrer, COOP, permissions, content
type…), so a hit answers with exactly what the miss did. Most hits never reach Django at all:
the front door (plan/pagecache/front_door.py) answers them ahead of its handler.

A data change or a deploy changes the key, so the old entries are never served again and just
expire. Browsers and CDNs get an ETag (one per key) and Last-Modified for conditional requests
(304) and a short Cache-Control. When the database cannot be reached, pages already in the
cache are still served, marked stale; others get the 503 page from further in.
"""

import time

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from plan.content import published
from plan.content.published import safe_cache

from .entries import ENCODINGS, entry_of, last_modified_date, replay, stored_headers
from .keys import best_encoding, etag, normal_query, page_key, skipped_paths
from .spaces import page_cache, timeout


def _encoding(request) -> str:
    return best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(skipped_paths()):
            return self.get_response(request)
        # A disallowed or malformed Host was refused above (HostMiddleware, Django's 400), even
        # for a page in the cache: the answer never depends on the Host, but the refusal does.
        query = normal_query(request.META.get("QUERY_STRING", ""))
        snapshot = published.current()
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
        entry = safe_cache(page_cache(query).get, key) if use_cache else None
        if entry is not None:
            return self._finish(replay(entry), tag, version, stale, stored_at=entry[3])
        response = self.get_response(request)
        if not getattr(response, "public_cache", False) or stale or response.cookies:
            return response
        # Made once, in every encoding: the next reader's browser may ask another.
        made = ENCODINGS if use_cache else (encoding,)
        entries = {each: entry_of(response, each) for each in made}
        answer = self._finish(replay(entries[encoding]), tag, version, stale)
        if use_cache:  # PageStoreMiddleware stores them, once the middleware above has run
            answer.page_cache_entries = {
                page_key(request.path, query, version, each, request.scheme): entry
                for each, entry in entries.items()
            }
            answer.page_cache_query = query  # which space keeps them (spaces.py)
        return answer

    @staticmethod
    def _finish(response, tag, version, stale, stored_at=None):
        response["ETag"] = tag
        if version.modified is not None:
            response["Last-Modified"] = last_modified_date(version.modified)
        patch_vary_headers(response, ("Accept-Encoding",))
        if stale:
            # The database could not be asked: this is the last page it gave. Say so, and
            # let nobody keep it for long.
            response["Warning"] = '110 - "Response is Stale"'
            # Without its tags a proxy keeps it for s-maxage only, not until a purge.
            response.headers.pop(settings.CACHE_TAG_HEADER, None)
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
    """The outermost middleware: stores the entries PageCacheMiddleware made for a page,
    with the headers of the answer as it leaves the whole stack (the middleware above the page cache
    adds HSTS, nosniff, referrer, COOP and permissions), so that a hit, answered by
    PageCacheMiddleware or by the front door ahead of Django, sends exactly what this miss sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entries = getattr(response, "page_cache_entries", None)
        if entries:
            headers = stored_headers(response)
            query = response.page_cache_query
            safe_cache(
                page_cache(query).set_many,
                {key: (headers, *entry[1:]) for key, entry in entries.items()},
                timeout(query),
            )
        return response
