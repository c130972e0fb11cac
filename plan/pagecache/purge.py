"""Telling the proxies in front (Varnish with xkey) what a change purges.

Once a change of published data commits, plan/content/tags.py sends `purge_requested` with the
keys it touches; each proxy of settings.CACHE_PURGE_URLS gets one request: method PURGE, path
/, `xkey-purge: <keys>` and `X-Purge-Secret`. It is sent from a thread of its own, so that the
editor's request is never held up by a proxy, and retried a few times; a proxy that still does
not answer is logged and the edit stands: its pages show the change within their s-maxage.

Each proxy is purged twice: at once, and again once every app server has seen the change (each
process looks at the data version again within `check_seconds()`, a quarter of a second with a
shared cache: plan/content/published.py). Between the two, the proxy may fetch a page from a
process that has not looked yet and store the old page; the second purge removes it, so that no
old page is kept for the proxy's hours.

The threads are not daemons: a management command (loadplan) waits for its purges before the
process exits.
"""

import http.client
import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import receiver

from plan.content.published import check_seconds
from plan.content.tags import purge_requested

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = (0.2, 1.0)  # before the second and third attempts
TIMEOUT_SECONDS = 3
# After how long the second purge goes (None: no second purge): once every process has
# looked at the data version again, with a margin.
CONFIRM_MARGIN_SECONDS: float | None = 0.25
KEYS_HEADER = "xkey-purge"
SECRET_HEADER = "X-Purge-Secret"

_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


@receiver(purge_requested)
def purge_proxies(sender, keys, **kwargs) -> None:
    if not keys:
        return
    value = " ".join(sorted(keys))
    for base_url in settings.CACHE_PURGE_URLS:
        thread = threading.Thread(
            target=_purge, args=(base_url, value, settings.CACHE_PURGE_SECRET), name="cache-purge"
        )
        with _running_lock:
            _running.add(thread)
        thread.start()


def _purge(base_url: str, keys: str, secret: str) -> None:
    try:
        _purge_once(base_url, keys, secret)
        if CONFIRM_MARGIN_SECONDS is not None:
            time.sleep(check_seconds() + CONFIRM_MARGIN_SECONDS)
            _purge_once(base_url, keys, secret)
    finally:
        with _running_lock:
            _running.discard(threading.current_thread())


def _purge_once(base_url: str, keys: str, secret: str) -> None:
    for attempt in range(1, ATTEMPTS + 1):
        problem = _send(base_url, keys, secret)
        if problem is None:
            logger.info("cache purge: varnish %s purged %s", base_url, keys)
            return
        if attempt < ATTEMPTS:
            logger.warning(
                "cache purge: varnish %s attempt %d of %d failed (%s); retrying",
                base_url,
                attempt,
                ATTEMPTS,
                problem,
            )
            time.sleep(BACKOFF_SECONDS[attempt - 1])
    logger.error(
        "cache purge: varnish %s failed %d times (%s); keys %s: its pages show the change "
        "within s-maxage (%ss)",
        base_url,
        ATTEMPTS,
        problem,
        keys,
        settings.PUBLIC_SHARED_MAX_AGE,
    )


def _send(base_url: str, keys: str, secret: str) -> str | None:
    """None when the proxy purged, else what went wrong."""
    address = urlsplit(base_url)
    kind = http.client.HTTPSConnection if address.scheme == "https" else http.client.HTTPConnection
    try:
        connection = kind(address.hostname, address.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(
                "PURGE", address.path or "/", headers={KEYS_HEADER: keys, SECRET_HEADER: secret}
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}: {error}"
    if not 200 <= response.status < 300:
        return f"HTTP {response.status}"
    return None


def wait(timeout: float = 30) -> bool:
    """Wait for the purges under way; whether they all finished."""
    deadline = time.monotonic() + timeout
    while True:
        with _running_lock:
            threads = list(_running)
        if not threads:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        threads[0].join(remaining)
