"""The benchmark's Markdown report: header, tables, and what limits throughput."""

import os
from dataclasses import dataclass
from pathlib import Path

import gunicorn

# A page whose cost grows less than this from the real plan to the largest is "flat".
FLAT_LIMIT = 1.5


@dataclass(frozen=True)
class Context:
    date: str
    command: str
    profile: object
    workers: int
    connections: int
    load_connections: int
    wrk_version: str
    python: str
    elapsed_seconds: float
    busy_before: float
    pages: tuple
    minimal: object
    static_copy: object
    static_copy_of: str


def failing_errors(runs) -> int:
    """Errors that fail the run: on the real plan and in the load run.

    On the 10x and 100x plans slow pages are expected to exceed wrk's timeout; those errors
    are reported, not failed.
    """
    real = runs[0]
    measured = [*real.cached.values(), *real.uncached.values()]
    if real.load_run:
        measured.append(real.load_run)
    return sum(m.wrk.errors for m in measured)


def render(context: Context, runs) -> str:
    real = runs[0]
    sections = [
        header(context, real),
        throughput_section(context, real),
        weight_section(context, real),
        uncached_section(context, real),
        load_section(context, real),
    ]
    if len(runs) > 1:
        sections.append(size_section(context, runs))
    sections.append(limits_section(context, runs))
    return "\n\n".join(sections) + "\n"


# Header


def header(context: Context, real) -> str:
    versions = real.inprocess["versions"]
    profile = context.profile
    sizes = ", ".join(f"{size}x" for size in profile.sizes)
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- date: {context.date} (the run took {context.elapsed_seconds / 60:.1f} min)",
            f"- machine: {machine()}",
            f"- software: Python {context.python}, Django {versions['django']}, "
            f"gunicorn {gunicorn.__version__} ({context.workers} sync workers, "
            f"WEB_CONCURRENCY), {context.wrk_version.split(' [')[0]}",
            f"- database: {versions['database']}, a fresh temp file per plan size; "
            "page cache: local memory, one per worker (the production default without REDIS_URL)",
            f"- machine load: {context.busy_before:.0%} of the cores were busy in the "
            "3 s before the run started (other processes); the tables show, per run, the "
            "share of all cores used by the server, by wrk and by anything else (other "
            "processes, and the kernel's loopback network work)",
            f"- command: {context.command}",
            f"- profile: {profile.name}: plan sizes {sizes}; wrk -t2 -c{context.connections} "
            f"-d{profile.target_seconds}s per URL on the real plan, -d{profile.other_seconds}s "
            f"on bigger plans and without the page cache; load run -c{context.load_connections} "
            f"-d{profile.load_seconds}s",
            "- every wrk run sends `Accept-Encoding: gzip, deflate, br` as a browser does "
            "(pages come back gzipped by Django, static files as whitenoise's .br), uses "
            "`--latency --timeout 2s`, and runs on the same machine as the server, over 127.0.0.1",
            "- server: `gunicorn config.wsgi` with PRODUCTION=1, a random SECRET_KEY, "
            "ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0 (no TLS on loopback), "
            "and STATIC_ROOT in the benchmark's temp directory",
        ]
    )


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    return f"{cores} CPU(s) (nproc), {cpu_model()}, {memory_gib():.1f} GiB memory"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "CPU model unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


# Tables


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def rate(value: float) -> str:
    return f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:,.1f}"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def size(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def run_cells(measured) -> list[str]:
    """The columns every wrk run shows: rate, latency, errors and the server's CPU."""
    result = measured.wrk
    return [
        rate(result.requests_per_second),
        ms(result.p50_ms),
        ms(result.p99_ms),
        result.errors_text(),
        ms(measured.server_cpu_ms_per_request),
        cpu_use(measured),
    ]


def cpu_use(measured) -> str:
    """Shares of all cores used by the server, wrk and everything else during a run."""
    return f"{measured.server_share:.0%} / {measured.wrk_share:.0%} / {measured.other_share:.0%}"


def throughput_section(context: Context, real) -> str:
    static = real.cached[context.static_copy.path].wrk
    minimal = real.cached[context.minimal.path].wrk
    rows = []
    for path, measured in real.cached.items():
        result = measured.wrk
        rows.append(
            [
                f"{label(context, path, real)} `{path}`",
                *run_cells(measured),
                f"{size(measured.wire_bytes)} {measured.content_encoding}",
                ratio(result.requests_per_second / static.requests_per_second),
                ratio(result.p50_ms / static.p50_ms),
                ratio(result.requests_per_second / minimal.requests_per_second),
            ]
        )
    return "\n".join(
        [
            "## 1. Throughput and latency: real plan, page cache on (as in production)",
            "",
            f"wrk -t2 -c{context.connections} -d{context.profile.target_seconds}s per row. "
            "*static* is the 目 page's own bytes written into the static root and served by "
            "whitenoise from the same server (same size, same compressibility); the *minimal "
            "view* is /healthz, a Django view that reads no table and renders no template. "
            "Server CPU is the CPU time of the gunicorn processes during the run, per request.",
            "",
            table(
                [
                    "target",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "errors",
                    "server CPU ms/req",
                    "CPU server / wrk / other",
                    "body on the wire",
                    "req/s ÷ static",
                    "p50 ÷ static p50",
                    "req/s ÷ minimal view",
                ],
                rows,
            ),
        ]
    )


def label(context: Context, path: str, run) -> str:
    for target in (*context.pages, context.minimal, context.static_copy):
        if target.path == path:
            return target.label
    return "static: hashed site CSS" if path == run.inprocess["css"]["url"] else path


def weight_section(context: Context, real) -> str:
    rows = []
    for path, page in real.inprocess["pages"].items():
        rows.append(
            [
                f"{label(context, path, real)} `{path}`",
                page["queries_cold"],
                page["queries_warm"],
                ms(page["ms_cold"]),
                ms(page["ms_warm"]),
                ms(page["ms_warm_gzip"]),
                size(page["bytes_raw"]),
                size(page["bytes_gzip"]),
                size(page["bytes_brotli"]),
            ]
        )
    for name, sizes in (
        (f"{context.static_copy.label} (.gz/.br by whitenoise)", real.inprocess["static_copy"]),
        ("static: hashed site CSS (.gz/.br by whitenoise)", real.inprocess["css"]),
    ):
        rows.append(
            [
                name,
                "–",
                "–",
                "–",
                "–",
                "–",
                size(sizes["bytes_raw"]),
                size(sizes["bytes_gzip"]),
                size(sizes["bytes_brotli"]),
            ]
        )
    return "\n".join(
        [
            "## 2. Database queries per request and page weight: real plan",
            "",
            "Measured in-process with Django's test client and CaptureQueriesContext on the same "
            "database and settings: *cold* right after clearing the page cache, *warm* the next "
            "request. *CPU ms* is the median CPU time of one request in-process (no HTTP; "
            "SQLite runs in the process, so its work is included); *warm, gzip* is a warm "
            "request that accepts gzip, as browsers (and wrk here) do. "
            "*gzip* is the compressed body sent to clients that accept gzip (the page cache "
            "stores it compressed); *brotli* is quality 11 computed here: Django does not send "
            "brotli, whitenoise does for static files.",
            "",
            table(
                [
                    "URL",
                    "queries cold",
                    "queries warm",
                    "CPU ms cold",
                    "CPU ms warm",
                    "CPU ms warm, gzip",
                    "bytes raw",
                    "gzip",
                    "brotli",
                ],
                rows,
            ),
        ]
    )


def uncached_section(context: Context, real) -> str:
    static = real.cached[context.static_copy.path].wrk
    rows = []
    for path, measured in real.uncached.items():
        result = measured.wrk
        cached = real.cached[path].wrk
        rows.append(
            [
                f"{label(context, path, real)} `{path}`",
                *run_cells(measured),
                ratio(result.requests_per_second / static.requests_per_second),
                ratio(result.requests_per_second / cached.requests_per_second),
            ]
        )
    return "\n".join(
        [
            "## 3. The same pages without the page cache (PAGE_CACHE_SECONDS=0)",
            "",
            "What every request costs when the cache cannot help: the first request after a "
            "data change, each worker's first request, and every distinct query string "
            "(search terms, ?sort=, tracking parameters) — each full path is its own cache key.",
            "",
            table(
                [
                    "URL",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "errors",
                    "server CPU ms/req",
                    "CPU server / wrk / other",
                    "req/s ÷ static",
                    "req/s ÷ cached",
                ],
                rows,
            ),
        ]
    )


def load_section(context: Context, real) -> str:
    measured = real.load_run
    result = measured.wrk
    verdict = "no errors" if not result.errors else f"**{result.errors_text()} errors**"
    paths = ", ".join(page.path for page in context.pages)
    return "\n".join(
        [
            f"## 4. Load run: {context.load_connections} connections for "
            f"{context.profile.load_seconds}s, page cache on",
            "",
            f"A wrk Lua script requests the six pages in turn ({paths}), "
            f"wrk -t2 -c{context.load_connections} -d{context.profile.load_seconds}s. Result: "
            f"{verdict}.",
            "",
            table(
                [
                    "requests",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "errors",
                    "server CPU ms/req",
                    "CPU server / wrk / other",
                ],
                [
                    [
                        f"{result.requests:,}",
                        *run_cells(measured),
                    ]
                ],
            ),
        ]
    )


def size_section(context: Context, runs) -> str:
    rows = [_size_row(target, run) for target in context.pages for run in runs]
    loads = ", ".join(f"{run.factor}x {run.load_seconds:.1f}s" for run in runs)
    return "\n".join(
        [
            "## 5. Does page cost grow with plan size?",
            "",
            "The real plan and synthetic plans 10x and 100x its size (`manage.py synthplan`: "
            "every 類 repeated with its subtree; the first copy keeps the real codes, so the "
            "same URLs show the same lines). Each plan alone in a fresh database, so it is the "
            f"site's plan. Loading took {loads}.",
            "",
            table(
                [
                    "URL",
                    "plan",
                    "bytes raw",
                    "queries cold",
                    "CPU ms cold (in-process)",
                    "cached req/s",
                    "uncached req/s",
                    "uncached server CPU ms/req",
                    "errors cached / uncached",
                    "other CPU (uncached run)",
                ],
                rows,
            ),
            "",
            _size_errors_note(context, runs),
            growth_table(context, runs),
        ]
    )


def _size_row(target, run) -> list:
    page = run.inprocess["pages"][target.path]
    counts = run.inprocess["counts"]
    cached, uncached = run.cached[target.path], run.uncached[target.path]
    return [
        f"{target.label} `{target.path}`",
        f"{run.factor}x ({counts['budget_lines']:,} lines, {counts['measures']:,} measures)",
        size(page["bytes_raw"]),
        page["queries_cold"],
        ms(page["ms_cold"]),
        rate(cached.wrk.requests_per_second),
        rate(uncached.wrk.requests_per_second),
        ms(uncached.server_cpu_ms_per_request),
        f"{cached.wrk.errors} / {uncached.wrk.errors}",
        f"{uncached.other_share:.0%}",
    ]


def _size_errors_note(context: Context, runs) -> str:
    measured = [m for run in runs[1:] for m in (*run.cached.values(), *run.uncached.values())]
    errors = sum(m.wrk.errors for m in measured)
    if not errors:
        return "No errors on the bigger plans.\n"
    timeouts = sum(m.wrk.socket_errors["timeout"] for m in measured)
    waiting = context.connections // context.workers
    return (
        f"Errors on the bigger plans: {errors}, of which {timeouts} are wrk timeouts (no "
        f"answer within 2 s): {context.connections} connections share {context.workers} sync "
        f"workers, so each request waits behind about {waiting - 1} others, and a page that "
        f"costs more than 2000 ÷ {waiting} = {2000 // waiting} ms of CPU cannot answer in time. "
        "They are a finding, not a failure of the run (the exit status counts only the real "
        "plan's runs and the load run).\n"
    )


def growth_table(context: Context, runs) -> str:
    first, last = runs[0], runs[-1]
    rows = [_growth_row(target, first, last) for target in context.pages]
    return "\n".join(
        [
            f"Growth from 1x to {last.factor}x. *flat* when the in-process CPU time of a cold "
            f"request grows less than {FLAT_LIMIT}×; the uncached server CPU per request says "
            "the same through gunicorn, but other work on the machine moves it more.",
            "",
            table(
                [
                    "URL",
                    "expected",
                    f"bytes 1x → {last.factor}x",
                    f"CPU ms cold 1x → {last.factor}x",
                    f"uncached server CPU ms/req 1x → {last.factor}x",
                    f"slowest cold query at {last.factor}x",
                    "observed",
                ],
                rows,
            ),
        ]
    )


def _query_text(query: dict | None) -> str:
    if query is None:
        return "no query"
    if query["ms"] < 1:
        return "all under 1 ms"
    return f"{query['table']} {query['ms']:.0f} ms"


def _growth_row(target, first, last) -> list:
    def change(before: float, after: float, show) -> str:
        return f"{show(before)} → {show(after)} ({ratio(after / before)})"

    page_first = first.inprocess["pages"][target.path]
    page_last = last.inprocess["pages"][target.path]
    observed = "flat" if page_last["ms_cold"] / page_first["ms_cold"] < FLAT_LIMIT else "grows"
    expected = target.expected_growth.split(":")[0]
    return [
        f"{target.label} `{target.path}`",
        target.expected_growth,
        change(page_first["bytes_raw"], page_last["bytes_raw"], size),
        change(page_first["ms_cold"], page_last["ms_cold"], ms),
        change(
            first.uncached[target.path].server_cpu_ms_per_request,
            last.uncached[target.path].server_cpu_ms_per_request,
            ms,
        ),
        _query_text(page_last["slowest_cold_query"]),
        observed if observed == expected else f"**{observed} (unexpected)**",
    ]


# What limits throughput


def limits_section(context: Context, runs) -> str:
    real = runs[0]
    sentences = [
        _saturation(real.cached[context.static_copy.path]),
        _cost_per_request(context, real),
        _why_cached_pages_cost_more(context, real),
        _queueing(context, real.load_run),
    ]
    other = max(m.other_share for m in _all_measured(runs))
    if other > 0.1:
        sentences.append(
            f"Other processes used up to {other:.0%} of the cores during some runs (column "
            "*other*): those rows understate what the server can do."
        )
    if len(runs) > 1:
        sentences.append(_growth_summary(context, runs))
    return "## What limits throughput\n\n" + " ".join(sentences)


def _all_measured(runs):
    for run in runs:
        yield from run.cached.values()
        yield from run.uncached.values()
        if run.load_run:
            yield run.load_run


def _saturation(static) -> str:
    total = static.server_share + static.wrk_share + static.other_share
    cores = len(os.sched_getaffinity(0))
    if total >= 0.8:
        return (
            f"CPU is the limit: during the static-file run the {cores} cores were "
            f"{total:.0%} busy (server {static.server_share:.0%}, wrk {static.wrk_share:.0%}, "
            f"other {static.other_share:.0%}); wrk runs on the same machine, so the server "
            "never has all of them."
        )
    return (
        f"The {cores} cores were only {total:.0%} busy during the static-file run, so "
        "something other than CPU (connection handling, the sync workers' one request at a "
        "time) limits throughput there."
    )


def _cost_per_request(context: Context, real) -> str:
    static = real.cached[context.static_copy.path]
    minimal = real.cached[context.minimal.path]
    cached = [real.cached[page.path] for page in context.pages]
    uncached = {page: real.uncached[page.path] for page in context.pages}
    dearest = max(uncached, key=lambda page: uncached[page].server_cpu_ms_per_request)
    cached_cpu = [m.server_cpu_ms_per_request for m in cached]
    uncached_cpu = [m.server_cpu_ms_per_request for m in uncached.values()]
    rates = [m.wrk.requests_per_second for m in cached]
    return (
        "Server CPU per request is the figure that carries over to other machines: "
        f"{ms(static.server_cpu_ms_per_request)} ms for the static file, "
        f"{ms(minimal.server_cpu_ms_per_request)} ms for the minimal Django view, "
        f"{ms(min(cached_cpu))}–{ms(max(cached_cpu))} ms for the cached pages "
        f"({rate(min(rates))}–{rate(max(rates))} req/s, "
        f"{min(rates) / static.wrk.requests_per_second:.0%}–"
        f"{max(rates) / static.wrk.requests_per_second:.0%} of the static file's), and "
        f"{ms(min(uncached_cpu))}–{ms(max(uncached_cpu))} ms without the page cache "
        f"({dearest.label} the dearest at {ms(uncached[dearest].server_cpu_ms_per_request)} ms, "
        f"{uncached[dearest].wrk.requests_per_second / static.wrk.requests_per_second:.0%} of "
        "the static file's throughput): the page cache is what keeps pages near static speed."
    )


def _why_cached_pages_cost_more(context: Context, real) -> str:
    page = real.inprocess["pages"][context.static_copy_of]
    minimal = real.inprocess["pages"][context.minimal.path]
    gzip_ms = page["ms_warm_gzip"] - page["ms_warm"]
    return (
        "A cached page still costs more than the minimal view: every hit looks up the plan "
        "(one query, for the data version in the cache key) and unpickles the stored response "
        "(stored already gzipped for clients that accept gzip). In-process, a cached "
        f"目 page costs {ms(page['ms_warm'])} ms of CPU uncompressed and "
        f"{ms(page['ms_warm_gzip'])} ms gzipped (a difference of {ms(gzip_ms)} ms), "
        f"against {ms(minimal['ms_warm'])} ms for the minimal view. A static file "
        "passes through the Python middleware above whitenoise too, but reads no table and "
        "compresses nothing (whitenoise sends the .br file made at collectstatic)."
    )


def _queueing(context: Context, load) -> str:
    if load is None:
        return ""
    result = load.wrk
    expected_ms = 1000 * context.load_connections / result.requests_per_second
    return (
        f"Gunicorn's {context.workers} sync workers answer one request at a time and close the "
        f"connection after it; at {context.load_connections} connections the server gave "
        f"{rate(result.requests_per_second)} req/s with p50 {ms(result.p50_ms)} ms, close to "
        f"connections ÷ throughput = {ms(expected_ms)} ms: requests wait in the listen backlog, "
        "latency grows with connections while throughput stays at what the CPU allows."
    )


def _growth_summary(context: Context, runs) -> str:
    first, last = runs[0], runs[-1]
    parts = []
    for page in context.pages:
        before = first.inprocess["pages"][page.path]["ms_cold"]
        after = last.inprocess["pages"][page.path]["ms_cold"]
        parts.append(f"{page.label} {after / before:.1f}×")
    slowest = min(
        context.pages,
        key=lambda page: (
            last.cached[page.path].wrk.requests_per_second
            / first.cached[page.path].wrk.requests_per_second
        ),
    )
    return (
        f"From the real plan to {last.factor}x, the cold cost of each page changed by: "
        + ", ".join(parts)
        + " (section 5). Cached pages slow down with their size too (a bigger body to "
        f"unpickle and send): the cached {slowest.label} went from "
        f"{rate(first.cached[slowest.path].wrk.requests_per_second)} to "
        f"{rate(last.cached[slowest.path].wrk.requests_per_second)} req/s as its body grew "
        f"from {size(first.inprocess['pages'][slowest.path]['bytes_raw'])} to "
        f"{size(last.inprocess['pages'][slowest.path]['bytes_raw'])} bytes."
    )
