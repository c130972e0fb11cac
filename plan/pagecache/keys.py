"""What names a page in the page cache: the release, the data version, the site's host, the
path, the query in a normal form, the encoding and the scheme; the ETag is made from the key.

The release is a fingerprint of everything that shapes a page but is not data (templates,
code, static files, the plan folders' plan.toml, who runs the site), so that a deploy changes
every cache key and ETag. It is computed once per process from the files' contents (not their
dates), so that every machine running the same release agrees on it (they may share one
Redis). `RELEASE` in the environment (e.g. the deployed commit) takes its place.
"""

import hashlib
import os
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings

from plan.addresses.year_prefix import PREVIEW_PREFIX

# Query parameters that tell where a reader came from and change nothing on the page: a link
# shared on Facebook or LINE carries a new fbclid each time.
TRACKING_PARAMETER = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid)$")
_ENCODING_TOKEN = re.compile(r"(?:^|,)\s*(br|gzip)\s*(?:;\s*q\s*=\s*([0-9.]+))?", re.I)


# What a page is made of, besides the data.
SOURCES = ("templates", "plan", "config", "static")
SUFFIXES = {".html", ".py", ".css", ".js", ".svg", ".png", ".ico", ".webmanifest", ".txt"}


@cache
def release() -> str:
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"][:40]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    # Every page's footer names who runs the site (settings) and how to reach the agency
    # (each plan folder's plan.toml), which are neither data nor among the files above.
    digest.update(repr((settings.SITE_OPERATOR, settings.SITE_CONTACT_EMAIL)).encode())
    for path in sorted(Path(settings.PLANS_DIR).glob("*/plan.toml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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
    """Paths the page cache never looks at: static files (whitenoise), the admin and the
    editors' preview of a draft."""
    return _skipped_paths(settings.STATIC_URL, settings.ADMIN_URL)


@lru_cache(maxsize=4)
def _skipped_paths(static_url: str, admin_url: str) -> tuple[str, ...]:
    return (f"/{static_url.strip('/')}/", f"/{admin_url}", PREVIEW_PREFIX)
