"""Production settings behind a TLS-terminating proxy, as the page-cache tests run the site:
the site's own host, HTTPS required and marked by the proxy, HSTS on."""

HOST = "plan.example.org"
PRODUCTION = {
    "DEBUG": False,
    "ALLOWED_HOSTS": [HOST, f".{HOST}"],
    "SITE_URL": f"https://{HOST}",
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 3600,
}
