"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Everything can be overridden on the command line (e.g. `--bind`) or by environment variables
(WEB_CONCURRENCY, GUNICORN_BIND).
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Requests with more or longer header fields than a browser sends are refused by gunicorn itself
# with its own 400 (these are gunicorn's defaults, stated here so that docs/operating.md can
# point at them).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# gunicorn names itself in a Server header on every response, its own 400/414 included; the
# proxy replaces it (docs/operating.md, "Behind a reverse proxy"), and this keeps the name out
# for requests that reach gunicorn directly.
gunicorn.http.wsgi.SERVER = "kcpd-plan"
