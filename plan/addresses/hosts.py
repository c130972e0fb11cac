"""The request's Host, as Django judges it and one rule more: a port must be a port.

Django's `HttpRequest.get_host()` refuses a host that is not in ALLOWED_HOSTS or is not a
host name, but takes any digits after the colon: `plan.example.org:99999` passes. No server
listens there, so such a request was not made by a browser following a link; it is refused
like a disallowed host (DisallowedHost: Django answers 400 and logs one line), by the
middleware for every request and by the page cache's front door before it answers a hit
(plan/pagecache/front_door.py), so that a cached page is never the answer to it.
"""

from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port

HIGHEST_PORT = 65535


def checked_host(request) -> str:
    """`request.get_host()`, also refusing a port outside 1–65535."""
    host = request.get_host()
    _domain, port = split_domain_port(host)
    if port and not 1 <= int(port) <= HIGHEST_PORT:
        raise DisallowedHost(f"Invalid port in HTTP_HOST header: {host!r}.")
    return host
