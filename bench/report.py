"""The benchmark's Markdown report: header and the measurement tables (bench/findings.py
holds the targets, the profile and what limits throughput)."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import gunicorn

from bench import findings
from bench.findings import FLAT_LIMIT
from bench.markdown import RUN_HEADERS, ms, rate, ratio, run_cells, size, table
from bench.results import row


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
    item_page: object
    item_code: str
    bare: object
    floor: object
    liveness: object
    static_copy: object
    static_copy_of: str
    quiet: object


def failing_errors(runs) -> int:
    """Errors that fail the run: the site and the bare view on the real plan, the load run.

    On the 10x and 100x plans slow pages are expected to exceed wrk's timeout; those errors
    are reported, not failed; so are Datasette's.
    """
    real = runs[0]
    datasette = [
        m for key, runs in real.rounds.items() if key.startswith("datasette:") for m in runs
    ]
    return sum(m.wrk.errors for m in real.every_run() if m not in datasette)


def render(context: Context, runs) -> str:
    real = runs[0]
    sections = [
        header(context, real),
        findings.targets_section(context, real),
        throughput_section(context, real),
        uncached_section(context, real),
        findings.datasette_section(context, real),
        findings.warm_section(context, real),
        weight_section(context, real),
        load_section(context, real),
    ]
    if len(runs) > 1:
        sections.append(size_section(context, runs))
    sections.append(findings.profile_section(context, real))
    sections.append(findings.limits_section(context, runs))
    return "\n\n".join(sections) + "\n"


# Header


def header(context: Context, real) -> str:
    versions = real.inprocess["versions"]
    profile = context.profile
    quiet = context.quiet
    sizes = ", ".join(f"{size}x" for size in profile.sizes)
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- date: {context.date} (the run took {context.elapsed_seconds / 60:.1f} min)",
            f"- machine: {machine()}",
            f"- code: {code_version()}",
            f"- software: Python {context.python}, Django {versions['django']}, "
            f"gunicorn {gunicorn.__version__} ({context.workers} sync workers, "
            f"WEB_CONCURRENCY), {context.wrk_version.split(' [')[0]}, "
            f"{findings.datasette_name(real.datasette_version)} (for comparison only)",
            f"- database: {versions['database']}, a fresh temp file per plan size; "
            "page cache: local memory, one per worker (the production default without REDIS_URL)",
            f"- machine load: {context.busy_before:.0%} of the cores were busy in the "
            "3 s before the run started (other processes); the tables show, per run, the "
            "share of all cores used by the server, by wrk and by anything else (other "
            "processes, and the kernel's loopback network work)",
            f"- quiet: before each measurement the run waited up to "
            f"{quiet.patience_seconds:.0f} s for other processes to use at most "
            f"{quiet.limit:.0%} of the cores, and measured a wrk run again (keeping the "
            f"quietest) when they used more during it: {quiet.measured_again} run(s) measured "
            f"again, {quiet.spent_seconds:.0f} s spent on it (of {quiet.budget_seconds:.0f} s "
            "allowed)",
            f"- command: {context.command}",
            f"- profile: {profile.name}: plan sizes {sizes}; every wrk run on the real plan "
            f"(site, bare view, gunicorn alone, static files, Datasette) is wrk -t2 "
            f"-c{context.connections} -d{profile.real_seconds}s, repeated in "
            f"{profile.rounds} round(s): each round runs every row once, in turn, with all "
            "the servers of a table up, so that a burst of other work hits one round of every "
            "row; a table shows each row's round with the median req/s, and each ratio is the "
            "median of that row's per-round ratios. -d"
            f"{profile.bigger_seconds}s, one round, on bigger plans; load run "
            f"-c{context.load_connections} -d{profile.load_seconds}s",
            "- every wrk run sends `Accept-Encoding: gzip, deflate, br` as a browser does "
            "(cached pages come back as the page cache's brotli, static files as whitenoise's "
            ".br), uses `--latency --timeout 2s`, and runs on the same machine as the server, "
            "over 127.0.0.1",
            "- site: `gunicorn -c config/gunicorn.py config.wsgi` with PRODUCTION=1, a random "
            "SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0 (no TLS on loopback), "
            "and STATIC_ROOT in the benchmark's temp directory; bare view: "
            "`gunicorn -c config/gunicorn.py bench.hello.wsgi`, the same binary, config file "
            "and worker count",
        ]
    )


def code_version() -> str:
    """The commit measured, and whether the work tree had changes on top of it."""
    base = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            completed = subprocess.run(
                ["git", *args], cwd=base, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return completed.stdout.strip() if completed.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h %s")
    if not commit:
        return "not a git checkout"
    changed = (
        " (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else ""
    )
    sha, _, subject = commit.partition(" ")
    return f"commit {sha} ({subject}){changed}"


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


def label(context: Context, path: str, run) -> str:
    for target in (*context.pages, context.liveness, context.static_copy):
        if target.path == path:
            return target.label
    return "static: hashed site CSS" if path == run.inprocess["css"]["url"] else path


def throughput_section(context: Context, real) -> str:
    static, bare = row("cached", context.static_copy.path), row("bare")
    rows = []
    for name, key in [
        (f"{context.floor.label} `{context.floor.path}`", row("floor")),
        (f"{context.bare.label} `{context.bare.path}`", bare),
        *((f"{label(context, path, real)} `{path}`", row("cached", path)) for path in real.cached),
    ]:
        measured = real.median(key)
        rows.append(
            [
                name,
                *run_cells(measured),
                f"{size(measured.wire_bytes)} {measured.content_encoding}",
                ratio(real.ratio(key, bare)),
                ratio(real.ratio(key, bare, by_cpu=True)),
                ratio(real.ratio(key, static)),
            ]
        )
    return "\n".join(
        [
            "## 1. Throughput and latency: real plan, page cache on (as in production)",
            "",
            f"wrk -t2 -c{context.connections} -d{context.profile.real_seconds}s per row and "
            f"round ({context.profile.rounds} rounds). The "
            "*bare Django view* is bench/hello: one view returning `hello`, no middleware, no "
            "database, no template, under the same gunicorn command and workers; *gunicorn "
            "alone* is a WSGI callable with no framework under the same command, the cost of "
            "any answer before Django runs. *static* is "
            "the 目 page's own bytes written into the static root and served by whitenoise "
            "from the site's server (same size, same compressibility). */healthz/live* is the "
            "site's own cheapest view: every middleware, no database, no page cache. Server CPU "
            "is the CPU time of the gunicorn processes during the run, per request; *bare CPU "
            "÷ CPU* is the throughput ratio CPU alone predicts, less moved by other work on "
            "the machine than req/s.",
            "",
            table(
                [
                    "target",
                    *RUN_HEADERS,
                    "body on the wire",
                    "req/s ÷ bare view",
                    "bare CPU ÷ CPU",
                    "req/s ÷ static copy",
                ],
                rows,
            ),
        ]
    )


def uncached_section(context: Context, real) -> str:
    static, bare = row("cached", context.static_copy.path), row("bare")
    rows = []
    for path, measured in real.uncached.items():
        key = row("uncached", path)
        rows.append(
            [
                f"{label(context, path, real)} `{path}`",
                *run_cells(measured),
                ratio(real.ratio(key, bare)),
                ratio(real.ratio(key, static)),
                ratio(real.ratio(key, row("cached", path))),
            ]
        )
    return "\n".join(
        [
            "## 2. The same pages without the page cache (PAGE_CACHE_SECONDS=0)",
            "",
            "What a request costs when the cache cannot help: the first request after a data "
            "change or a deploy (until `warmcache` has run), each worker's first request, and "
            "every distinct query string (search terms, ?sort=) — each normalised query is its "
            "own cache key. Same wrk settings as section 1.",
            "",
            table(
                ["URL", *RUN_HEADERS, "req/s ÷ bare view", "req/s ÷ static copy", "÷ cached"],
                rows,
            ),
        ]
    )


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
                ms(page["ms_warm_browser"]),
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
                *(["–"] * 5),
                size(sizes["bytes_raw"]),
                size(sizes["bytes_gzip"]),
                size(sizes["bytes_brotli"]),
            ]
        )
    return "\n".join(
        [
            "## 5. Database queries, CPU per request and page weight: real plan, in-process",
            "",
            "Django's test client and CaptureQueriesContext on the same database and settings: "
            "*cold* with nothing cached (the page cache cleared and the data version to be read "
            "again, as on the first request after a data change), *warm* the next request. "
            "*CPU ms* is the median CPU time of one request in-process (no HTTP; SQLite runs in "
            "the process, so its work is included); *warm, as browsers ask* sends "
            "`Accept-Encoding: gzip, deflate, br`. *gzip* and *br* are the bodies the site "
            "sends to clients that accept only that encoding: the page cache stores every page "
            "in both (brotli quality 5, made once per page) and as is; pages it does not cache "
            "are gzipped by Django's GZipMiddleware and never sent as brotli. For static files "
            "they are whitenoise's .gz and .br (brotli quality 11), made at collectstatic.",
            "",
            table(
                [
                    "URL",
                    "queries cold",
                    "queries warm",
                    "CPU ms cold",
                    "CPU ms warm",
                    "CPU ms warm, as browsers ask",
                    "bytes raw",
                    "gzip",
                    "br",
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
            f"## 6. Load run: {context.load_connections} connections for "
            f"{context.profile.load_seconds}s, page cache on",
            "",
            f"A wrk Lua script requests the {len(context.pages)} pages in turn ({paths}), "
            f"wrk -t2 -c{context.load_connections} -d{context.profile.load_seconds}s. Result: "
            f"{verdict}.",
            "",
            table(
                ["requests", *RUN_HEADERS],
                [[f"{result.requests:,}", *run_cells(measured)]],
            ),
        ]
    )


def size_section(context: Context, runs) -> str:
    rows = [_size_row(target, run) for target in context.pages for run in runs]
    loads = ", ".join(f"{run.factor}x {run.load_seconds:.1f}s" for run in runs)
    return "\n".join(
        [
            "## 7. Does page cost grow with plan size?",
            "",
            "The real plan and synthetic plans 10x and 100x its size (`manage.py synthplan`: "
            "every 類 repeated with its subtree; the first copy keeps the real codes, so the "
            "same URLs show the same lines). Each plan alone in a fresh database, so it is the "
            f"site's plan. Loading took {loads}. wrk -d{context.profile.bigger_seconds}s per "
            "row on the bigger plans.",
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
