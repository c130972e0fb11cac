"""The benchmark's Markdown file: a header saying how the figures were made, then their tables.
What the columns mean: bench/README.md."""

import subprocess
from pathlib import Path

from bench.cpu import cores
from bench.profiling import MARKS
from bench.results import Measured, SizeRun
from bench.urls import ITEM_PAGE, PAGES, STATIC_COPY, label

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_HEADERS = ["req/s", "p50 ms", "p99 ms", "errors", "server CPU ms/req", "CPU server/wrk/other"]
YARDSTICK_HEADERS = ["body on the wire", "req/s ÷ bare", "bare CPU ÷ CPU", "req/s ÷ static"]


def render(header: dict[str, str], runs: list[SizeRun]) -> str:
    real = runs[0]
    sections = [
        "# Benchmark results\n\n" + "\n".join(f"- {name}: {text}" for name, text in header.items()),
        cached_section(real),
        uncached_section(real),
        datasette_section(real),
        warm_section(real),
        load_section(real),
        inprocess_section(real),
        size_section(runs),
        profile_section(real),
    ]
    return "\n\n".join(sections) + "\n"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    meminfo = Path("/proc/meminfo").read_text().split()
    memory = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    return f"{cores()} CPU(s), {model}, {memory:.1f} GiB memory"


def commit() -> str:
    """The commit measured, and whether tracked files had changes on top of it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=BASE_DIR, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = " with uncommitted changes" if git("status", "--porcelain", "-uno") else ""
    return (git("rev-parse", "--short", "HEAD") or "not a git checkout") + changed


def table(headers: list[str], rows: list[list]) -> str:
    lines = [headers, ["---"] * len(headers), *rows]
    return "\n".join("| " + " | ".join(str(cell) for cell in line) + " |" for line in lines)


def section(title: str, headers: list[str], rows: list[list]) -> str:
    return f"## {title}\n\n{table(headers, rows)}"


def ms(value: float) -> str:
    if value < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 10 else f"{value:,.1f}"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def size(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def run_cells(measured: Measured) -> list[str]:
    result = measured.wrk
    return [
        f"{result.requests_per_second:,.0f}",
        ms(result.p50_ms),
        ms(result.p99_ms),
        result.errors_text(),
        ms(measured.server_cpu_ms_per_request),
        " / ".join(f"{share:.0%}" for share in measured.shares()),
    ]


def wire(measured: Measured) -> str:
    return f"{measured.wire_bytes:,} {measured.content_encoding}"


def yardstick_cells(run: SizeRun, key: str) -> list[str]:
    """A row's median run, and its ratios to the bare view and to the static copy."""
    static = f"cached:{STATIC_COPY}"
    return [
        *run_cells(run.median(key)),
        wire(run.median(key)),
        ratio(run.ratio(key, "bare:")),
        ratio(run.ratio(key, "bare:", by_cpu=True)),
        ratio(run.ratio(key, static)),
    ]


def cached_section(real: SizeRun) -> str:
    rows = [("gunicorn alone (bench/hello/floor.py) `/`", "floor:")]
    rows += [("bare Django view (bench/hello) `/`", "bare:")]
    rows += [(label(path), f"cached:{path}") for path in real.kind("cached")]
    cells = [[name, *yardstick_cells(real, key)] for name, key in rows]
    return section("Real plan, page cache on", ["URL", *RUN_HEADERS, *YARDSTICK_HEADERS], cells)


def uncached_section(real: SizeRun) -> str:
    rows = []
    for path in real.kind("uncached"):
        key = f"uncached:{path}"
        by_cached = ratio(real.ratio(key, f"cached:{path}"))
        rows.append([label(path), *yardstick_cells(real, key), by_cached])
    headers = ["URL", *RUN_HEADERS, *YARDSTICK_HEADERS, "req/s ÷ cached"]
    return section("Real plan, page cache off (PAGE_CACHE_SECONDS=0)", headers, rows)


def datasette_section(real: SizeRun) -> str:
    key = f"uncached:{ITEM_PAGE}"
    item = real.median(key)
    rows = [[f"site, uncached {label(ITEM_PAGE)}", *run_cells(item), wire(item), "1.00×", "1.00×"]]
    for name, measured in real.kind("datasette").items():
        ratios = [real.ratio(key, f"datasette:{name}", by_cpu=by_cpu) for by_cpu in (False, True)]
        rows += [[f"Datasette, {name}", *run_cells(measured), wire(measured), *map(ratio, ratios)]]
    title = f"{real.datasette_version} on the {real.datasette_rows} rows the 項 page lists"
    headers = ["server", *RUN_HEADERS, "body on the wire", "項 req/s ÷ this", "this CPU ÷ 項 CPU"]
    return section(f"{title}: `{real.datasette_path}`", headers, rows)


def warm_section(real: SizeRun) -> str:
    rows = []
    for each in real.warms:
        server_cpu = "–" if each.server_cpu_seconds is None else f"{each.server_cpu_seconds:.2f}"
        times = [f"{each.seconds:.2f}", f"{each.command_seconds:.2f}", server_cpu]
        rows.append([each.where, each.pages, *times, ms(1000 * each.seconds / each.pages)])
    headers = ["warm", "pages", "seconds", "the command, s", "server CPU s", "ms per page"]
    return section("Full warm of every public page (manage.py warmcache)", headers, rows)


def load_section(real: SizeRun) -> str:
    title = f"Load run: the {len(PAGES)} pages in turn, page cache on"
    row = [f"{real.load_run.wrk.requests:,}", *run_cells(real.load_run)]
    return section(title, ["requests", *RUN_HEADERS], [row])


def inprocess_section(real: SizeRun) -> str:
    timings = ("ms_cold", "ms_warm", "ms_warm_browser")
    rows = [
        [label(path), page["queries_cold"], page["queries_warm"]]
        + [ms(page[timing]) for timing in timings]
        + byte_sizes(page)
        for path, page in real.inprocess["pages"].items()
    ]
    for path, sizes in real.inprocess["static"].items():
        rows.append([f"{label(path)} (whitenoise)", *["–"] * 5, *byte_sizes(sizes)])
    headers = ["URL", "queries cold", "queries warm", "CPU ms cold", "CPU ms warm"]
    headers += ["CPU ms warm, browser", "bytes raw", "gzip", "br"]
    return section("Real plan, in-process: queries, CPU per request, page weight", headers, rows)


def byte_sizes(sizes: dict) -> list[str]:
    return [size(sizes[key]) for key in ("bytes_raw", "bytes_gzip", "bytes_brotli")]


def size_section(runs: list[SizeRun]) -> str:
    """A row per page; each cell the page's figure on each plan size in turn."""
    plans = [
        f"- {run.factor}x: {run.inprocess['counts']['budget_lines']:,} budget lines, "
        f"{run.inprocess['counts']['measures']:,} measures, loaded in {run.load_seconds:.1f} s"
        for run in runs
    ]
    rows = []
    for path in PAGES.values():
        pages = [run.inprocess["pages"][path] for run in runs]
        cached = [run.median(f"cached:{path}") for run in runs]
        uncached = [run.median(f"uncached:{path}") for run in runs]
        errors = [f"{c.wrk.errors}/{u.wrk.errors}" for c, u in zip(cached, uncached, strict=True)]
        rows.append(
            [
                label(path),
                across([page["bytes_raw"] for page in pages], size, growth=True),
                across([page["queries_cold"] for page in pages], str),
                across([page["ms_cold"] for page in pages], ms, growth=True),
                across([m.wrk.requests_per_second for m in cached], "{:,.0f}".format),
                across([m.wrk.requests_per_second for m in uncached], "{:,.0f}".format),
                across([m.server_cpu_ms_per_request for m in uncached], ms, growth=True),
                across(errors, str),
                across([m.shares()[2] for m in uncached], "{:.0%}".format),
            ]
        )
    headers = ["URL", "bytes raw", "queries cold", "CPU ms cold"]
    headers += ["cached req/s", "uncached req/s", "uncached server CPU ms/req"]
    headers += ["errors cached/uncached", "other CPU, uncached run"]
    title = "Plan sizes: " + " → ".join(f"{run.factor}x" for run in runs)
    return f"## {title}\n\n" + "\n".join(plans) + "\n\n" + table(headers, rows)


def across(values: list, show, *, growth: bool = False) -> str:
    """Values in turn, and with `growth` the last ÷ the first when there are several."""
    text = " → ".join(show(value) for value in values)
    return f"{text} ({ratio(values[-1] / values[0])})" if growth and len(values) > 1 else text


def profile_section(real: SizeRun) -> str:
    profiles = real.profiles.values()  # cached hit, uncached, bare view
    rows = [["CPU per request, without the profiler", "", *(us(p, 1) for p in profiles)]]
    for number, (name, suffix, function) in enumerate(MARKS):
        shares = [us(p, p["marks"][number]) for p in profiles]
        rows.append([name, f"`{suffix} {function}`", *shares])
    headers = ["call", "where", *(f"{name}, µs" for name in real.profiles)]
    return section(f"Profile of {ITEM_PAGE}, in-process (cProfile)", headers, rows)


def us(profile: dict, share: float) -> str:
    """Microseconds per request: a share of the profile times the CPU time of a request
    measured without the profiler (which inflates many small calls)."""
    return f"{1000 * share * profile['ms_per_request']:,.0f}"
