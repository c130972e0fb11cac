"""Where one request's CPU goes: cProfile, in-process, of the WSGI application gunicorn calls,
given the request wrk sends (the body read and closed as gunicorn does). Run by bench/run.py.

    python -m bench.profiling '{"app": "config.wsgi", "path": "/114/budget/2-2/", "requests": 3000}'

Prints JSON: the CPU time of one request without the profiler; with it, the share of the
profile spent in each call of MARKS.
"""

import cProfile
import importlib
import io
import json
import pstats
import sys
import time

from bench.wrk import ACCEPT_ENCODING

# The calls whose cumulative time is reported: (label, file path ending, function name). A call
# that matches nothing (a module moved or renamed) is reported as 0.
MARKS = (
    ("front door, ahead of Django", "plan/pagecache/front_door.py", "cached_answer"),
    ("host and scheme, as Django judges them", "plan/pagecache/front_door.py", "_scheme"),
    ("page cache read", "django/core/cache/backends/locmem.py", "get"),
    ("cache key", "plan/pagecache/keys.py", "page_key"),
    ("hit headers", "plan/pagecache/entries.py", "hit_headers"),
    ("data version", "plan/content/published.py", "current"),
    ("data version, if fresh", "plan/content/published.py", "fresh"),
    ("Django's WSGI handler", "django/core/handlers/wsgi.py", "__call__"),
    ("request object", "django/core/handlers/wsgi.py", "__init__"),
    ("signals (request started/finished)", "django/dispatch/dispatcher.py", "send"),
    ("middleware chain", "django/core/handlers/base.py", "get_response"),
    ("page cache middleware", "plan/pagecache/middleware.py", "__call__"),
    ("replay stored answer", "plan/pagecache/entries.py", "replay"),
    ("page cache headers", "plan/pagecache/middleware.py", "_finish"),
    ("conditional request check", "django/utils/cache.py", "get_conditional_response"),
    ("view", "plan/views/pages.py", "budget_line_detail"),
    ("view", "bench/hello/urls.py", "hello"),
    ("selector", "plan/content/selectors.py", "budget_line_page"),
    ("ORM (queries built and run, objects made)", "django/db/models/query.py", "_fetch_all"),
    ("SQLite", "django/db/backends/sqlite3/base.py", "execute"),
    ("template render", "django/shortcuts.py", "render"),
    ("children table (django-tables2)", "django_tables2/templatetags/django_tables2.py", "render"),
    ("URL reversing", "django/urls/base.py", "reverse"),
    ("URL reversing, remembered", "plan/addresses/links.py", "remembered_reverse"),
    ("compression", "plan/pagecache/entries.py", "_compress"),
    ("response close", "django/http/response.py", "close"),
)
WARM_UP_REQUESTS = 50


def main() -> None:
    job = json.loads(sys.argv[1])
    application = importlib.import_module(job["app"]).application  # what gunicorn is given
    path, count = job["path"], job["requests"]
    for _ in range(WARM_UP_REQUESTS):
        request(application, path)
    started = time.process_time()
    for _ in range(count):
        request(application, path)
    ms = 1000 * (time.process_time() - started) / count
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        request(application, path)
    profile.disable()
    stats = pstats.Stats(profile).stats  # (file, line, function) -> (cc, nc, own, cum, callers)
    print(json.dumps({"ms_per_request": ms, "marks": mark_shares(stats)}))


def request(application, path: str) -> None:
    """One GET as wrk sends it, handed over as gunicorn hands it over."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path.partition("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": ACCEPT_ENCODING,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        if hasattr(body, "close"):  # as gunicorn does: a plain list has none
            body.close()
    if not statuses[0].startswith("200"):
        raise SystemExit(f"profiling: {path} answered {statuses[0]}")


def mark_shares(stats: dict) -> list[float]:
    """The share of the profile spent in each call of MARKS."""
    total = sum(own for _cc, _nc, own, _cum, _callers in stats.values())
    return [cumulative(stats, suffix, function) / total for _label, suffix, function in MARKS]


def cumulative(stats, suffix: str, function: str) -> float:
    """Seconds spent in calls to `function` in a file ending with `suffix` (of several, the one
    with the most), counting each outermost call once."""
    found = [
        cum
        for (file, _line, name), (_cc, _nc, _own, cum, _callers) in stats.items()
        if name == function and file.endswith(suffix)
    ]
    return max(found, default=0.0)


if __name__ == "__main__":
    main()
