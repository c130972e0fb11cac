"""Measure pages in-process, against the benchmark's database: run by bench/run.py.

    python -m bench.inprocess '{"paths": [...], "static_copy": {"path": ..., "file": ...}}'

For each path: database queries per request with a cold and with a warm page cache (Django's
test client and CaptureQueriesContext), the median CPU time to answer cold and warm, and the
response's size raw and as the site sends it to clients that accept gzip or brotli. Prints JSON.
"""

import json
import re
import statistics
import sys
import time
from pathlib import Path

import django

# Each timing loop stops after this many seconds (but not before MIN_RUNS) or MAX_RUNS runs.
TIMING_BUDGET_SECONDS = 2.0
MIN_RUNS, MAX_RUNS = 3, 25
GZIP = {"accept-encoding": "gzip"}
BROTLI = {"accept-encoding": "br"}
BROWSER = {"accept-encoding": "gzip, deflate, br"}  # what browsers and wrk send


def main() -> None:
    job = json.loads(sys.argv[1])
    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    pages = {path: measure_page(client, path) for path in job["paths"]}
    if job.get("static_copy"):
        copy = job["static_copy"]
        write_static_copy(client, copy["path"], Path(copy["file"]))
    result = {"pages": pages, "css": css_sizes(), "counts": counts(), "versions": versions()}
    print(json.dumps(result))


def measure_page(client, path: str) -> dict:
    _get(client, path)  # first use of templates, lru caches and the connection: not counted
    forget_everything()
    cold_queries, response = _capture_queries(client, path)
    warm_queries, _ = _capture_queries(client, path)
    return {
        "status": response.status_code,
        "queries_cold": len(cold_queries),
        "queries_warm": len(warm_queries),
        "slowest_cold_query": _slowest(cold_queries),
        "ms_cold": _median_cpu_ms(client, path, cold=True),
        "ms_warm": _median_cpu_ms(client, path, cold=False),
        "ms_warm_browser": _median_cpu_ms(client, path, cold=False, headers=BROWSER),
        "bytes_raw": len(_body(response)),
        "bytes_gzip": _encoded_size(client, path, GZIP, "gzip"),
        "bytes_brotli": _encoded_size(client, path, BROTLI, "br"),
    }


def forget_everything() -> None:
    """Cold, as the first request after a data change: no page in the cache, and the data
    version (looked up at most once a second) to be read again."""
    from django.core.cache import cache

    from plan import data_version

    cache.clear()
    data_version.forget()


def _encoded_size(client, path: str, headers: dict, encoding: str) -> int | None:
    response = _get(client, path, headers=headers)
    return len(_body(response)) if response.get("Content-Encoding") == encoding else None


def _get(client, path: str, headers: dict | None = None):
    response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise SystemExit(f"inprocess: {path} answered {response.status_code}")
    return response


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _capture_queries(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = _get(client, path)
    return queries.captured_queries, response


def _slowest(queries: list[dict]) -> dict | None:
    """The slowest query's first table and time (Django records it to the millisecond)."""
    if not queries:
        return None
    slowest = max(queries, key=lambda query: float(query["time"]))
    table = re.search(r'FROM "(\w+)"', slowest["sql"])
    return {"table": table.group(1) if table else "?", "ms": 1000 * float(slowest["time"])}


def _median_cpu_ms(client, path: str, *, cold: bool, headers: dict | None = None) -> float:
    """Median CPU time of one request; CPU rather than wall time, which other work inflates.

    SQLite runs in this process, so its work is counted too.
    """
    times = []
    deadline = time.monotonic() + TIMING_BUDGET_SECONDS
    for _ in range(MAX_RUNS):
        if cold:
            forget_everything()
        start = time.process_time()
        _body(_get(client, path, headers))
        times.append((time.process_time() - start) * 1000)
        if len(times) >= MIN_RUNS and time.monotonic() > deadline:
            break
    return statistics.median(times)


def write_static_copy(client, path: str, file: Path) -> None:
    """The page's exact bytes as a static file, so whitenoise can serve the same content."""
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(_body(_get(client, path)))


def css_sizes() -> dict:
    from django.conf import settings
    from django.templatetags.static import static

    root = Path(settings.STATIC_ROOT)
    manifest = json.loads((root / "staticfiles.json").read_text(encoding="utf-8"))
    name = manifest["paths"]["css/site.css"]
    return {
        "url": static("css/site.css"),
        "bytes_raw": (root / name).stat().st_size,
        "bytes_gzip": (root / f"{name}.gz").stat().st_size,
        "bytes_brotli": (root / f"{name}.br").stat().st_size,
    }


def counts() -> dict:
    from plan.models import BudgetLine, Measure

    return {"budget_lines": BudgetLine.objects.count(), "measures": Measure.objects.count()}


def versions() -> dict:
    import sqlite3

    from django.db import connection

    return {
        "django": django.get_version(),
        "database": f"{connection.vendor} {sqlite3.sqlite_version}"
        if connection.vendor == "sqlite"
        else connection.vendor,
    }


if __name__ == "__main__":
    main()
