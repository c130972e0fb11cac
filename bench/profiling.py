"""Where one request's CPU goes, in-process, through the WSGI application gunicorn calls:
run by bench/run.py, once for the site (a cached page, an uncached page) and once for the bare
Django view.

    python -m bench.profiling '{"path": "/114/budget/2-2/", "requests": 3000}'

The request is the one wrk sends (same headers), handed to the same WSGI callable as gunicorn
hands it, the body read and closed as gunicorn does; gunicorn's own work (the socket, parsing,
writing) is not in it. Prints JSON: the CPU time of one request without the profiler, then,
with cProfile on, the share of that time spent in each module (own time) and function, and the
cumulative time of named calls (`marks`).
"""

import cProfile
import importlib
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

from bench.wrk import ACCEPT_ENCODING

BASE_DIR = Path(__file__).resolve().parent.parent
WARM_UP_REQUESTS = 50
TOP = 12
# Calls whose cumulative time the report names: (label, file suffix, function name).
MARKS = (
    ("front door, ahead of Django", "plan/front_door.py", "cached_answer"),
    ("handler", "django/core/handlers/wsgi.py", "__call__"),
    ("middleware chain", "django/core/handlers/base.py", "get_response"),
    ("front door", "plan/caching.py", "__call__"),
    ("page cache read", "django/core/cache/backends/locmem.py", "get"),
    ("replay stored answer", "plan/caching.py", "_replay"),
    ("front door headers", "plan/caching.py", "_finish"),
    ("conditional request check", "django/utils/cache.py", "get_conditional_response"),
    ("data version", "plan/data_version.py", "current"),
    ("data version, if fresh", "plan/data_version.py", "fresh"),
    ("cache key", "plan/caching.py", "page_key"),
    ("host and scheme, as Django judges them", "plan/front_door.py", "_scheme"),
    ("hit headers", "plan/caching.py", "hit_headers"),
    ("request object", "django/core/handlers/wsgi.py", "__init__"),
    ("signals (request started/finished)", "django/dispatch/dispatcher.py", "send"),
    ("response close", "django/http/response.py", "close"),
    ("view", "plan/views/pages.py", "budget_line_detail"),
    ("view", "bench/hello/urls.py", "hello"),
    ("selector", "plan/selectors.py", "budget_line_page"),
    ("ORM (queries built and run, objects made)", "django/db/models/query.py", "_fetch_all"),
    ("SQLite", "django/db/backends/sqlite3/base.py", "execute"),
    ("template render", "django/shortcuts.py", "render"),
    ("children table (django-tables2)", "django_tables2/templatetags/django_tables2.py", "render"),
    ("URL reversing", "django/urls/base.py", "reverse"),
    ("URL reversing, remembered", "plan/url_cache.py", "cached_reverse"),
    ("compression", "plan/caching.py", "_compress"),
)


def main() -> None:
    job = json.loads(sys.argv[1])
    application = wsgi_application()
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
    print(json.dumps({"path": path, "ms_per_request": ms} | summary(profile, count)))


def wsgi_application():
    """The callable gunicorn is given: the site's config.wsgi (the front door ahead of
    Django's handler), or the bare view's own module, whichever the settings are."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings")
    module = "bench.hello.wsgi" if settings_module.startswith("bench.hello") else "config.wsgi"
    return importlib.import_module(module).application


def request(application, path: str) -> None:
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


def summary(profile: cProfile.Profile, count: int) -> dict:
    stats = pstats.Stats(profile).stats  # (file, line, function) -> (cc, nc, own, cum, callers)
    total = sum(own for _cc, _nc, own, _cum, _callers in stats.values())
    modules: dict[str, float] = {}
    for (file, _line, _function), (_cc, _nc, own, _cum, _callers) in stats.items():
        modules[module_name(file)] = modules.get(module_name(file), 0.0) + own
    functions = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:TOP]
    return {
        "modules": sorted(
            ([name, own / total] for name, own in modules.items()), key=lambda m: -m[1]
        )[:TOP],
        "functions": [
            [function_name(file, line, function), own / total, calls / count]
            for (file, line, function), (_cc, calls, own, _cum, _callers) in functions
        ],
        "marks": {
            label: share
            for label, suffix, function in MARKS
            if (share := cumulative(stats, suffix, function))
        },
        "total_profiled_ms": 1000 * total / count,
    }


def cumulative(stats, suffix: str, function: str) -> float:
    """The share of all profiled time spent in calls to `function` (in a file ending with
    `suffix`; of several such functions, the one with the most), counting each outermost call
    once."""
    total = sum(own for _cc, _nc, own, _cum, _callers in stats.values())
    found = [
        cum
        for (file, _line, name), (_cc, _nc, _own, cum, _callers) in stats.items()
        if name == function and file.endswith(suffix)
    ]
    return max(found) / total if found else 0.0


def function_name(file: str, line: int, function: str) -> str:
    """`django.http.response:48 _convert_to_charset`; `builtins.getattr` for a built-in."""
    if file == "~":
        return function.strip("<>").split()[-1]
    return f"{module_name(file)}:{line} {function}"


def module_name(file: str) -> str:
    """`django.http.response` for …/site-packages/django/http/response.py, `plan.caching` for
    the project's plan/caching.py, the module's own name for the standard library; built-in
    functions as "built-in"."""
    if file == "~":
        return "built-in"
    if file.startswith("<"):  # <frozen _collections_abc>
        return file.strip("<>").split()[-1]
    path = Path(file).with_suffix("")
    if path.is_relative_to(BASE_DIR) and "site-packages" not in path.parts:
        return ".".join(path.relative_to(BASE_DIR).parts)
    if "site-packages" in path.parts:
        return ".".join(path.parts[path.parts.index("site-packages") + 1 :])
    return path.name


if __name__ == "__main__":
    main()
