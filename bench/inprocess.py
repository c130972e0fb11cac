"""Measure pages in-process, against the benchmark's database: run by bench/run.py.

    python -m bench.inprocess '{"paths": [...], "static_copy": {"path": ..., "file": ...}}'

For each path: queries with a cold and a warm page cache, the median CPU time cold and warm, and
the body's size raw and as sent to clients that accept gzip or brotli. Prints JSON.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import django

# Each timing loop stops after this many seconds (but not before MIN_RUNS) or MAX_RUNS runs.
TIMING_BUDGET_SECONDS = 2.0
MIN_RUNS, MAX_RUNS = 3, 25
BROWSER = {"accept-encoding": "gzip, deflate, br"}  # what browsers and wrk send


def main() -> None:
    job = json.loads(sys.argv[1])
    django.setup()
    from django.test import Client

    from plan.models import BudgetLine, Measure

    client = Client(SERVER_NAME="127.0.0.1")
    pages = {path: measure_page(client, path) for path in job["paths"]}
    if copy := job.get("static_copy"):
        # The page's exact bytes as a static file, so whitenoise can serve the same content.
        Path(copy["file"]).parent.mkdir(parents=True, exist_ok=True)
        Path(copy["file"]).write_bytes(body(get(client, copy["path"])))
    counts = {"budget_lines": BudgetLine.objects.count(), "measures": Measure.objects.count()}
    print(json.dumps({"pages": pages, "counts": counts}))


def measure_page(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(client, path)  # first use of templates, lru caches and the connection: not counted
    forget_everything()
    with CaptureQueriesContext(connection) as cold:
        response = get(client, path)
    with CaptureQueriesContext(connection) as warm:
        get(client, path)
    return {
        "queries_cold": len(cold),
        "queries_warm": len(warm),
        "ms_cold": median_cpu_ms(client, path, cold=True),
        "ms_warm": median_cpu_ms(client, path, cold=False),
        "ms_warm_browser": median_cpu_ms(client, path, cold=False, headers=BROWSER),
        "bytes_raw": len(body(response)),
        "bytes_gzip": encoded_size(client, path, "gzip"),
        "bytes_brotli": encoded_size(client, path, "br"),
    }


def forget_everything() -> None:
    """Cold, as the first request after a data change: no page in the cache, and the data
    version (looked up at most once a second) to be read again."""
    from django.core.cache import cache

    from plan.content import published

    cache.clear()
    published.forget()


def get(client, path: str, headers: dict | None = None):
    response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise SystemExit(f"inprocess: {path} answered {response.status_code}")
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def encoded_size(client, path: str, encoding: str) -> int | None:
    """The body's size for a client that accepts only `encoding`; None if not sent so."""
    response = get(client, path, headers={"accept-encoding": encoding})
    return len(body(response)) if response.get("Content-Encoding") == encoding else None


def median_cpu_ms(client, path: str, *, cold: bool, headers: dict | None = None) -> float:
    """Median CPU time of one request (CPU rather than wall time, which other work inflates;
    SQLite runs in this process, so its work is counted too)."""
    times = []
    deadline = time.monotonic() + TIMING_BUDGET_SECONDS
    for _ in range(MAX_RUNS):
        if cold:
            forget_everything()
        start = time.process_time()
        body(get(client, path, headers))
        times.append((time.process_time() - start) * 1000)
        if len(times) >= MIN_RUNS and time.monotonic() > deadline:
            break
    return statistics.median(times)


if __name__ == "__main__":
    main()
