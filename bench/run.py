"""Benchmark the site as production runs it: gunicorn, PRODUCTION=1, whitenoise, SQLite.

    make bench          # full run: 25-30 minutes on a shared machine; writes bench/RESULTS.md
    make bench-quick    # a few minutes: the real plan only, one round of short runs;
                        # writes bench/RESULTS-quick.md (not in git)

For the real plan, then synthetic plans 10x and 100x its size (`manage.py synthplan`), each in
a fresh throwaway SQLite file: migrate, load, measure every URL in-process (queries with a cold
and a warm page cache, CPU, page weight), start gunicorn on 127.0.0.1, run wrk against each URL
with the page cache on (as in production) and again with it off (PAGE_CACHE_SECONDS=0).

On the real plan, in the same run and with the same wrk settings, also: the bare Django view
(bench/hello: no middleware, no database) and a plain WSGI callable under the same gunicorn
binary, config file and worker count; static files; Datasette serving the rows of the 項 page
from the same database file; a full warm of the page cache (`manage.py warmcache`, in-process
and against the fresh server); a profile of a cached and an uncached 項 page; and a
64-connection load run. Prints the tables and the targets of issue #11 and writes them to
bench/RESULTS.md.

Needs wrk (Debian package `wrk`): when it is missing it is installed with apt-get if this runs
as root; otherwise the apt-get command is printed and the script exits 1. Datasette is installed
from PyPI into a venv in the temp directory. Servers are stopped and the temp directory is
removed on every exit. Exit status 1 if any wrk run against the site or the bare view on the
real plan (the load run included) saw an error; on the 10x and 100x plans errors are reported
only.
"""

import argparse
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))  # run as a script: bench/ is a package of the project

from bench import cpu, datasette, report  # noqa: E402
from bench.results import Measured, SizeRun, Warm, row  # noqa: E402
from bench.server import Server, fetch  # noqa: E402
from bench.wrk import ensure_wrk, mix_script, run_wrk, wrk_version  # noqa: E402

RESULTS_FILE = BASE_DIR / "bench" / "RESULTS.md"
# A quick run is for iterating: it never replaces the full run's record (not in git).
QUICK_RESULTS_FILE = BASE_DIR / "bench" / "RESULTS-quick.md"
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    expected_growth: str = ""


# Every page of a plan lives under its fiscal year; an address without it is a redirect.
YEAR = "/114"
PAGES = (
    Target("home", f"{YEAR}/", "grows: lists every 類"),
    Target("類 page", f"{YEAR}/budget/4/", "flat: its own 項 only"),
    Target("項 page", f"{YEAR}/budget/2-2/", "flat: its own 目 only"),
    Target("目 page", f"{YEAR}/budget/2-2-3/", "flat: its own measures only"),
    Target("measure page", f"{YEAR}/measures/2-2-3-m1/", "flat: one measure"),
    Target("budget tree", f"{YEAR}/budget/", "grows: the whole tree"),
    Target("search 詐欺", f"{YEAR}/search/?q=%E8%A9%90%E6%AC%BA", "grows: every copy matches"),
    Target("budget-lines.csv", f"{YEAR}/open-data/budget-lines.csv", "grows: every line"),
)
# The page Datasette is compared with, and the budget line whose children it lists.
ITEM_PAGE = PAGES[2]
ITEM_CODE = "2-2"
# The smallest Django site (bench/hello), served by the same gunicorn as the site.
BARE_VIEW = Target("bare Django view (bench/hello)", "/")
BARE_SETTINGS = "bench.hello.settings"
# gunicorn with no framework: what any answer costs before Django runs.
FLOOR = Target("gunicorn alone: a plain WSGI callable (bench/hello/floor.py)", "/")
FLOOR_APP = "bench.hello.floor:application"
BARE_APP = "bench.hello.wsgi"
# The site's liveness check: the whole middleware stack, no database, no template.
LIVENESS = Target("site: /healthz/live", "/healthz/live")
# The static baseline is the 目 page's own bytes, served by whitenoise from the static root.
STATIC_COPY_OF = f"{YEAR}/budget/2-2-3/"
STATIC_COPY_NAME = "bench/page-2-2-3.html"
STATIC_COPY = Target("static: copy of 目 page", f"/static/{STATIC_COPY_NAME}")

CONNECTIONS = 16
LOAD_CONNECTIONS = 64
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
COMMAND_TIMEOUT_SECONDS = 600
WARM_UP_REQUESTS = 8
QUIET_CHECK_SECONDS = 3
PROFILE_REQUESTS = {"cached": 3000, "uncached": 200, "bare": 3000}
# Other processes (another engineer's tests) take CPU from the server and wrk, and on shared
# cores slow down what they leave. Before each measurement the run waits for them to stop, and
# a wrk run during which they still used more than `limit` of the cores is measured again, up
# to RETRIES times, keeping the quietest; all of it within the budget.
QUIET = cpu.Quiet(limit=cpu.BUSY_LIMIT, patience_seconds=60, budget_seconds=900)
RETRIES = 3
# Settings the benchmark fixes itself; the caller's values would measure something else
# (REDIS_URL could even point off the machine).
UNSET = (
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "PAGE_CACHE_SECONDS",
    "STATICFILES_BACKEND",
    "SITE_URL",
    "RELEASE",
)


@dataclass(frozen=True)
class Profile:
    name: str
    sizes: tuple[int, ...]
    # On the real plan every row is measured once per round, all rows in turn with all their
    # servers up, so that a burst of other work on the machine hits one round of every row
    # rather than every round of one row.
    rounds: int
    real_seconds: int  # each wrk run on the real plan
    bigger_seconds: int  # each page on the bigger plans, with the page cache on and off
    load_seconds: int
    quiet_budget_seconds: int  # the longest the run waits for other work, in all (QUIET)


FULL = Profile(
    "full",
    sizes=(1, 10, 100),
    rounds=3,
    real_seconds=5,
    bigger_seconds=5,
    load_seconds=60,
    quiet_budget_seconds=900,
)
# For iterating: a few minutes even on a busy machine (it waits for quiet 1 minute at most).
QUICK = Profile(
    "quick",
    sizes=(1,),
    rounds=1,
    real_seconds=3,
    bigger_seconds=2,
    load_seconds=10,
    quiet_budget_seconds=60,
)


@dataclass(frozen=True)
class Row:
    """A row of wrk runs: its key in SizeRun.rounds, the server and the path."""

    key: str
    server: object
    path: str


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so cleanup runs on SIGTERM too
    arguments = parse_arguments()
    profile = QUICK if arguments.quick else FULL
    QUIET.budget_seconds = profile.quiet_budget_seconds
    wrk = ensure_wrk()
    # Other work on the machine takes CPU from the server and wrk; the report says how much.
    busy_before = cpu.machine_busy_share(QUIET_CHECK_SECONDS)
    progress(f"the machine was {busy_before:.0%} busy before the run")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kcpd-bench-") as temp:
        runs = run_all(Path(temp), profile, wrk)
    context = report.Context(
        date=datetime.now().astimezone().isoformat(timespec="seconds"),
        command=command_line(),
        profile=profile,
        workers=WORKERS,
        connections=CONNECTIONS,
        load_connections=LOAD_CONNECTIONS,
        wrk_version=wrk_version(wrk),
        python=platform.python_version(),
        elapsed_seconds=time.monotonic() - started,
        busy_before=busy_before,
        pages=PAGES,
        item_page=ITEM_PAGE,
        item_code=ITEM_CODE,
        bare=BARE_VIEW,
        floor=FLOOR,
        liveness=LIVENESS,
        static_copy=STATIC_COPY,
        static_copy_of=STATIC_COPY_OF,
        quiet=QUIET,
    )
    text = report.render(context, runs)
    output = QUICK_RESULTS_FILE if arguments.quick else RESULTS_FILE
    output.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {output.relative_to(BASE_DIR)}")
    errors = report.failing_errors(runs)
    if errors:
        print(f"bench: {errors} error(s) on the real plan (see the tables)", file=sys.stderr)
        return 1
    return 0


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="real plan only, short runs; writes bench/RESULTS-quick.md",
    )
    return parser.parse_args()


def command_line() -> str:
    python = os.path.relpath(sys.executable, BASE_DIR)
    script = os.path.relpath(__file__, BASE_DIR)
    via_make = "`make bench` → " if os.environ.get("MAKELEVEL") else ""
    return f"{via_make}`{' '.join([python, script, *sys.argv[1:]])}`"


def run_all(workdir: Path, profile: Profile, wrk: str) -> list[SizeRun]:
    static_root = workdir / "static"
    runs = []
    for factor in profile.sizes:
        env = bench_env(workdir, factor, static_root)
        real_plan = not runs
        if real_plan:
            progress("collectstatic into the temp static root")
            manage(env, "collectstatic", "--noinput")
        load_seconds = prepare_database(workdir, env, factor)
        progress(f"{factor}x: in-process queries, timings and page weights")
        inprocess = measure_in_process(env, static_root if real_plan else None)
        run = SizeRun(factor=factor, load_seconds=load_seconds, inprocess=inprocess)
        if real_plan:
            benchmark_real_plan(run, env, workdir, profile, wrk)
        else:
            benchmark_bigger_plan(run, env, workdir, profile, wrk)
        runs.append(run)
    return runs


def bench_env(workdir: Path, factor: int, static_root: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{database_file(workdir, factor)}",
        "PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # No TLS on loopback; in production the proxy terminates it.
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(BASE_DIR),
    }


def database_file(workdir: Path, factor: int) -> Path:
    return workdir / f"db-{factor}x.sqlite3"


def manage(env: dict, *args: str) -> str:
    return run_python(env, "manage.py", *args)


def run_python(env: dict, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def prepare_database(workdir: Path, env: dict, factor: int) -> float:
    """Migrate a fresh database and load the plan (synthetic beyond 1x); return load seconds."""
    progress(f"{factor}x: migrate and load the plan")
    manage(env, "migrate", "--noinput")
    started = time.monotonic()
    if factor == 1:
        manage(env, "loadplan")
    else:
        document = workdir / f"kcpd-114-x{factor}.json"
        manage(env, "synthplan", "--factor", str(factor), "--output", str(document), "--load")
    seconds = time.monotonic() - started
    manage(env, "loadsynonyms")  # search reads as it does in production
    manage(env, "checkplan")
    return seconds


def measure_in_process(env: dict, static_root: Path | None) -> dict:
    job: dict = {"paths": [target.path for target in (*PAGES, LIVENESS)]}
    if static_root is not None:
        job["static_copy"] = {"path": STATIC_COPY_OF, "file": str(static_root / STATIC_COPY_NAME)}
    QUIET.wait()
    result = json.loads(run_python(env, "-m", "bench.inprocess", json.dumps(job)))
    if static_root is not None:
        # whitenoise's own compressor, as collectstatic would have run it on this file.
        copy_dir = (static_root / STATIC_COPY_NAME).parent
        run_python(env, "-m", "whitenoise.compress", "-q", str(copy_dir))
        result["static_copy"] = file_sizes(static_root / STATIC_COPY_NAME)
    return result


def file_sizes(path: Path) -> dict:
    return {
        "bytes_raw": path.stat().st_size,
        "bytes_gzip": Path(f"{path}.gz").stat().st_size,
        "bytes_brotli": Path(f"{path}.br").stat().st_size,
    }


def benchmark_real_plan(run: SizeRun, env: dict, workdir: Path, profile: Profile, wrk: str):
    progress("full warm in-process (manage.py warmcache)")
    QUIET.wait()
    run.warms.append(warm(env, "in-process"))
    progress("profiles of a cached and an uncached 項 page and of the bare view, in-process")
    bare_env = env | {"DJANGO_SETTINGS_MODULE": BARE_SETTINGS}
    run.profiles = {
        "cached": profile_path(env, ITEM_PAGE.path, PROFILE_REQUESTS["cached"]),
        "uncached": profile_path(
            env | {"PAGE_CACHE_SECONDS": "0"}, ITEM_PAGE.path, PROFILE_REQUESTS["uncached"]
        ),
        "bare": profile_path(bare_env, BARE_VIEW.path, PROFILE_REQUESTS["bare"]),
    }
    datasette_command = install_datasette(run, workdir)
    log = workdir / "gunicorn.log"
    with ExitStack() as servers:
        site = servers.enter_context(start_server(env, log))
        progress("full warm over HTTP against the fresh server (warmcache --base-url)")
        QUIET.wait()
        run.warms.append(warm(env, "over HTTP, fresh gunicorn", site))
        floor = servers.enter_context(start_server(bare_env, log, app=FLOOR_APP))
        bare = servers.enter_context(start_server(bare_env, log, app=BARE_APP))
        css = run.inprocess["css"]["url"]
        rows = [Row(row("floor"), floor, FLOOR.path), Row(row("bare"), bare, BARE_VIEW.path)]
        rows += [
            Row(row("cached", path), site, path)
            for path in (STATIC_COPY.path, css, LIVENESS.path, *(page.path for page in PAGES))
        ]
        run.rounds |= measure_rounds(rows, profile.rounds, profile.real_seconds, wrk)
        progress(f"load run: {LOAD_CONNECTIONS} connections, {profile.load_seconds}s")
        QUIET.wait()
        script = mix_script([target.path for target in PAGES], workdir)
        run.load_run = measure(site, wrk, "", profile.load_seconds, LOAD_CONNECTIONS, script)
    with ExitStack() as servers:
        site = servers.enter_context(start_server(env | {"PAGE_CACHE_SECONDS": "0"}, log))
        rows = [Row(row("uncached", page.path), site, page.path) for page in PAGES]
        for name, settings in datasette.SETTINGS.items():
            server = datasette.Datasette(
                datasette=datasette_command,
                database=database_file(workdir, run.factor),
                settings=settings,
                log=workdir / "datasette.log",
            )
            rows.append(
                Row(row("datasette", name), servers.enter_context(server), run.datasette_path)
            )
        run.rounds |= measure_rounds(rows, profile.rounds, profile.real_seconds, wrk)


def benchmark_bigger_plan(run: SizeRun, env: dict, workdir: Path, profile: Profile, wrk: str):
    log = workdir / "gunicorn.log"
    for kind, extra in (("cached", {}), ("uncached", {"PAGE_CACHE_SECONDS": "0"})):
        with start_server(env | extra, log) as site:
            rows = [Row(row(kind, page.path), site, page.path) for page in PAGES]
            run.rounds |= measure_rounds(rows, 1, profile.bigger_seconds, wrk)


def warm(env: dict, where: str, server: Server | None = None) -> Warm:
    """Time `manage.py warmcache` (against `server` over HTTP when given)."""
    args = ["warmcache"] + (["--base-url", server.base_url] if server else [])
    cpu_before = server.cpu_seconds() if server else 0.0
    started = time.monotonic()
    output = manage(env, *args)
    command_seconds = time.monotonic() - started
    found = re.search(r"(\d+) pages in ([\d.]+) s", output)
    if found is None:
        raise RuntimeError(f"warmcache printed no summary:\n{output}")
    return Warm(
        where=where,
        pages=int(found.group(1)),
        seconds=float(found.group(2)),
        command_seconds=command_seconds,
        server_cpu_seconds=server.cpu_seconds() - cpu_before if server else None,
    )


def profile_path(env: dict, path: str, requests: int) -> dict:
    job = {"path": path, "requests": requests}
    QUIET.wait()
    return json.loads(run_python(env, "-m", "bench.profiling", json.dumps(job)))


def install_datasette(run: SizeRun, workdir: Path) -> Path:
    progress(f"install {datasette.REQUIREMENT} into a throwaway venv")
    started = time.monotonic()
    command = datasette.install(workdir / "datasette-venv")
    run.datasette_install_seconds = time.monotonic() - started
    run.datasette_version = datasette.version(command)
    run.datasette_path, run.datasette_parent_id, run.datasette_rows = datasette.children_page(
        database_file(workdir, run.factor), ITEM_CODE
    )
    return command


def start_server(env: dict, log: Path, app: str | None = None) -> Server:
    """The site's server, or with `app` the same gunicorn command serving another WSGI app."""
    extra = {"app": app, "ready_path": "/"} if app else {}
    return Server(
        gunicorn=VENV_BIN / "gunicorn",
        project=BASE_DIR,
        env=env,
        workers=WORKERS,
        log=log,
        **extra,
    )


def measure_rounds(rows: list[Row], rounds: int, seconds: int, wrk: str) -> dict:
    """Every row once per round, in turn; each row's runs, by key."""
    answers = {each.key: warm_up(each.server, each.path) for each in rows}
    results: dict[str, list[Measured]] = {each.key: [] for each in rows}
    for number in range(1, rounds + 1):
        for each in rows:
            progress(f"round {number}/{rounds}: {each.key} for {seconds}s")
            result = measure_quietly(each.server, wrk, each.path, seconds)
            result.content_encoding, result.wire_bytes = answers[each.key]
            results[each.key].append(result)
    return results


def measure_quietly(server, wrk: str, path: str, seconds: int) -> Measured:
    QUIET.wait()
    result = measure(server, wrk, path, seconds, CONNECTIONS)
    for _ in range(RETRIES):
        if result.other_share <= QUIET.limit or not QUIET.has_budget():
            break
        progress(f"other processes used {result.other_share:.0%} of the cores: again")
        QUIET.measured_again += 1
        QUIET.wait()
        again = measure(server, wrk, path, seconds, CONNECTIONS)
        QUIET.spend(seconds)
        if again.other_share < result.other_share:
            result = again
    return result


def warm_up(server, path: str) -> tuple[str, int]:
    """Fill each worker's page cache (the kernel spreads the requests); check the answer."""
    for _ in range(WARM_UP_REQUESTS):
        status, headers, body = fetch(server.base_url + path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return headers.get("Content-Encoding", "identity"), len(body)


def measure(server, wrk: str, path: str, seconds: int, connections: int, script=None):
    server_before, machine_before = server.cpu_seconds(), cpu.machine_busy_seconds()
    result = run_wrk(
        wrk, server.base_url + path, seconds=seconds, connections=connections, script=script
    )
    return Measured(
        wrk=result,
        server_cpu_seconds=server.cpu_seconds() - server_before,
        machine_cpu_seconds=cpu.machine_busy_seconds() - machine_before,
    )


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
