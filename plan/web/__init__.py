"""What every response shares, whatever the page: the middleware (security headers, the year
in the path, the page for a database outage), the editors' preview of a draft under /preview/
(preview.py), the error pages (errors.py, also the log filter for a client's bad request) and
the static files' storage in production (static_files.py).

May import: plan.addresses, plan.models (the drafts a preview shows), plan.content,
plan.reading (a plan's English title, for the error pages).
"""
