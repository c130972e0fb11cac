"""Production settings behind a TLS-terminating proxy, as the page-cache tests run the site:
the site's own host, HTTPS required and marked by the proxy, HSTS on; and whether the page
cache's front door would answer a request itself."""

from plan.content import published
from plan.pagecache.front_door import cached_answer

HOST = "plan.example.org"
PRODUCTION = {
    "DEBUG": False,
    "ALLOWED_HOSTS": [HOST, f".{HOST}"],
    "SITE_URL": f"https://{HOST}",
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 3600,
}


def answered_from_cache(environ: dict) -> bool:
    """Whether the front door would answer this request from the page cache.

    The data version is looked up first: the front door trusts a lookup for a second (a quarter
    of one with a shared cache, the file-based one included), and on a busy machine the
    requests a test made before asking can take longer than that."""
    published.current()
    return cached_answer(environ) is not None
