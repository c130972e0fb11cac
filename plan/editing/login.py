"""The client's address as the site may believe it, for login throttling (django-axes).

Behind the reverse proxy of docs/operating.md every connection comes from 127.0.0.1; the proxy
appends the address it saw connecting to X-Forwarded-For. Entries further left were written by
the client (or by proxies we do not run) and can say anything, so only the trusted hops are read,
counted from the right. Hand-written rather than django-ipware: axes needs one function, not a
package.
"""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request) -> str | None:
    """The address the outermost of `settings.TRUSTED_PROXY_HOPS` proxies saw connecting, or the
    connection's own address when no proxy is trusted or the header is not what they write."""
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ip_address(forwarded[-hops]))
    except ValueError:
        return remote
