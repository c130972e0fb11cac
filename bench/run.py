"""Benchmark the site as production runs it: gunicorn, PRODUCTION=1, whitenoise, SQLite.

    make bench          # python -m bench.run; about 25 minutes: writes bench/RESULTS.md
    make bench-quick    # a few minutes: the real plan only, one round of short runs;
                        # writes bench/RESULTS-quick.md (not in git)

bench/README.md says what is measured and what the columns mean. Exit status 1 if any wrk run
against the site or the yardsticks on the real plan (the load run included) saw an error.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import django
import gunicorn

from bench import cpu, datasette, report, urls, wrk
from bench.results import Measured, SizeRun, Warm
from bench.server import Server, fetch

BASE_DIR = Path(__file__).resolve().parent.parent

RESULTS_FILE = BASE_DIR / "bench" / "RESULTS.md"
QUICK_RESULTS_FILE = BASE_DIR / "bench" / "RESULTS-quick.md"  # not in git
# The yardsticks, served by the same gunicorn binary, config file and workers as the site: the
# smallest Django site, and a WSGI callable with no framework at all.
BARE = {"DJANGO_SETTINGS_MODULE": "bench.hello.settings"}
BARE_APP, FLOOR_APP = "bench.hello.wsgi", "bench.hello.floor:application"
CONNECTIONS, LOAD_CONNECTIONS = 16, 64
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
WARM_UP_REQUESTS = 8
NO_CACHE = {"PAGE_CACHE_SECONDS": "0"}
PROFILE_REQUESTS = {"cached hit": 3000, "uncached": 200, "bare view": 3000}
# Settings the benchmark fixes itself; the caller's values would measure something else.
UNSET = {"DATABASE_URL", "REDIS_URL", "DEBUG", "PAGE_CACHE_SECONDS", "STATICFILES_BACKEND"}
UNSET |= {"SITE_URL", "RELEASE"}


@dataclass(frozen=True)
class Profile:
    sizes: tuple[int, ...]  # the real plan, then synthetic plans this many times its size
    # On the real plan every row is measured once per round, all rows in turn, so that a burst
    # of other work hits one round of every row rather than every round of one row.
    rounds: int
    seconds: int  # each wrk run
    load_seconds: int


FULL = Profile((1, 10, 100), rounds=3, seconds=5, load_seconds=60)
QUICK = Profile((1,), rounds=1, seconds=3, load_seconds=10)


class Row(NamedTuple):
    """A row of wrk runs: its key in SizeRun.rounds, the server and the path."""

    key: str
    server: Server
    path: str


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so cleanup runs on SIGTERM too
    profile = chosen_profile()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (Debian: apt-get install wrk)")
    busy_before = cpu.busy_share(3)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kcpd-bench-") as temp:
        runs = run_all(Path(temp), profile)
    header = describe(profile, runs, busy_before, time.monotonic() - started)
    text = report.render(header, runs)
    output = RESULTS_FILE if profile == FULL else QUICK_RESULTS_FILE
    output.write_text(text, encoding="utf-8")
    print(f"{text}\nwrote {output.relative_to(BASE_DIR)}")
    errors = runs[0].failing_errors()
    if errors:
        print(f"bench: {errors} error(s) on the real plan (see the tables)", file=sys.stderr)
    return 1 if errors else 0


def describe(profile: Profile, runs: list[SizeRun], busy_before: float, seconds: float) -> dict:
    """The header of the results: how the figures were made."""
    return {
        "date": f"{datetime.now().astimezone().isoformat(timespec='seconds')} (the run took "
        f"{seconds / 60:.1f} min)",
        "machine": report.machine(),
        "commit": report.commit(),
        "software": f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__} ({WORKERS} sync workers), SQLite "
        f"{sqlite3.sqlite_version}, {wrk.version()}, {runs[0].datasette_version}",
        "command": command_line(),
        "settings": f"plan sizes {', '.join(f'{size}x' for size in profile.sizes)}; wrk -t2 "
        f"-c{CONNECTIONS} -d{profile.seconds}s per row, {profile.rounds} round(s) on the real "
        f"plan, 1 on the others; load run -c{LOAD_CONNECTIONS} -d{profile.load_seconds}s",
        "machine load": f"{busy_before:.0%} of the cores busy in the 3 s before the run",
    }


def chosen_profile() -> Profile:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the real plan only, short runs")
    parser.add_argument("--seconds", type=int, help="every wrk run this long (a smoke test)")
    arguments = parser.parse_args()
    profile = QUICK if arguments.quick else FULL
    if seconds := arguments.seconds:
        profile = replace(profile, seconds=seconds, load_seconds=seconds)
    return profile


def command_line() -> str:
    python = os.path.relpath(sys.executable, BASE_DIR)
    via_make = " (run by make)" if os.environ.get("MAKELEVEL") else ""
    return f"`{' '.join([python, '-m', 'bench.run', *sys.argv[1:]])}`{via_make}"


def run_all(workdir: Path, profile: Profile) -> list[SizeRun]:
    runs = []
    for factor in profile.sizes:
        real_plan = not runs
        env = bench_env(workdir, factor)
        if real_plan:
            progress("collectstatic into the temp static root")
            manage(env, "collectstatic", "--noinput")
        load_seconds = prepare_database(workdir, env, factor)
        progress(f"{factor}x: in-process queries, timings and page weights")
        run = SizeRun(factor, load_seconds, measure_in_process(env, workdir, real_plan))
        if real_plan:
            benchmark_real_plan(run, env, workdir, profile)
        else:
            benchmark_bigger_plan(run, env, workdir, profile)
        runs.append(run)
    return runs


def bench_env(workdir: Path, factor: int) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in UNSET}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STATIC_ROOT": str(workdir / "static"),
        "CACHE_DIR": str(workdir / "cache"),
        "DATABASE_URL": f"sqlite:///{database_file(workdir, factor)}",
        "PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # no TLS on loopback; in production the proxy has it
        "PYTHONPATH": str(BASE_DIR),
    }


def database_file(workdir: Path, factor: int) -> Path:
    return workdir / f"db-{factor}x.sqlite3"


def manage(env: dict, *args: str) -> str:
    return run_python(env, "manage.py", *args)


def run_python(env: dict, *args: str) -> str:
    command = [sys.executable, *args]
    done = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


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


def measure_in_process(env: dict, workdir: Path, real_plan: bool) -> dict:
    """Queries, CPU and page weights in-process; on the real plan, also writes the static copy
    of the 目 page and measures it and the site CSS as whitenoise serves them."""
    job: dict = {"paths": [*urls.PAGES.values(), urls.LIVENESS]}
    static = workdir / "static"
    copy = static / urls.STATIC_COPY.removeprefix("/static/")
    if real_plan:
        job["static_copy"] = {"path": urls.STATIC_COPY_OF, "file": str(copy)}
    result = json.loads(run_python(env, "-m", "bench.inprocess", json.dumps(job)))
    if real_plan:
        # whitenoise's own compressor, as collectstatic would have run it on this file.
        run_python(env, "-m", "whitenoise.compress", "-q", str(copy.parent))
        css = json.loads((static / "staticfiles.json").read_text())["paths"]["css/site.css"]
        sizes = {urls.STATIC_COPY: file_sizes(copy), f"/static/{css}": file_sizes(static / css)}
        result["static"] = sizes
    return result


def file_sizes(path: Path) -> dict:
    files = {"raw": path, "gzip": Path(f"{path}.gz"), "brotli": Path(f"{path}.br")}
    return {f"bytes_{name}": file.stat().st_size for name, file in files.items()}


def benchmark_real_plan(run: SizeRun, env: dict, workdir: Path, profile: Profile):
    progress("full warm in-process (manage.py warmcache)")
    run.warms.append(warm(env, "in-process"))
    run.profiles = profile_item_page(env)
    with ExitStack() as servers:
        site = servers.enter_context(start_server(env, workdir))
        progress("full warm over HTTP against the fresh server (warmcache --base-url)")
        run.warms.append(warm(env, "over HTTP, fresh gunicorn", site))
        floor = servers.enter_context(start_server(env | BARE, workdir, app=FLOOR_APP))
        hello = servers.enter_context(start_server(env | BARE, workdir, app=BARE_APP))
        rows = [Row("floor:", floor, "/"), Row("bare:", hello, "/")]
        paths = [*run.inprocess["static"], urls.LIVENESS, *urls.PAGES.values()]
        rows += [Row(f"cached:{path}", site, path) for path in paths]
        run.rounds |= measure_rounds(rows, profile.rounds, profile.seconds)
        progress(f"load run: {LOAD_CONNECTIONS} connections, {profile.load_seconds}s")
        script = wrk.mix_script(list(urls.PAGES.values()), workdir)
        run.load_run = measure(site, "", profile.load_seconds, LOAD_CONNECTIONS, script)
    with ExitStack() as servers:
        site = servers.enter_context(start_server(env | NO_CACHE, workdir))
        rows = [Row(f"uncached:{path}", site, path) for path in urls.PAGES.values()]
        rows += start_datasettes(run, workdir, servers)
        run.rounds |= measure_rounds(rows, profile.rounds, profile.seconds)


def start_datasettes(run: SizeRun, workdir: Path, servers: ExitStack) -> list[Row]:
    """Datasette on the real plan's database, with each of its settings: a row each."""
    progress(f"install {datasette.REQUIREMENT} into a throwaway venv")
    command, run.datasette_version = datasette.install(workdir / "datasette-venv")
    database = database_file(workdir, run.factor)
    run.datasette_path, run.datasette_rows = datasette.children_page(database, urls.ITEM_CODE)
    rows = []
    for name, settings in datasette.SETTINGS.items():
        server = datasette.Datasette(command, database, settings, log=workdir / "datasette.log")
        rows.append(Row(f"datasette:{name}", servers.enter_context(server), run.datasette_path))
    return rows


def benchmark_bigger_plan(run: SizeRun, env: dict, workdir: Path, profile: Profile):
    for kind, kind_env in (("cached", env), ("uncached", env | NO_CACHE)):
        with start_server(kind_env, workdir) as site:
            rows = [Row(f"{kind}:{path}", site, path) for path in urls.PAGES.values()]
            run.rounds |= measure_rounds(rows, 1, profile.seconds)


def warm(env: dict, where: str, server: Server | None = None) -> Warm:
    """Time `manage.py warmcache` (against `server` over HTTP when given)."""
    args = ["warmcache", "--base-url", server.base_url] if server else ["warmcache"]
    cpu_before = server.cpu_seconds() if server else 0.0
    started = time.monotonic()
    output = manage(env, *args)
    command_seconds = time.monotonic() - started
    found = re.search(r"(\d+) pages in ([\d.]+) s", output)
    if found is None:
        raise RuntimeError(f"warmcache printed no summary:\n{output}")
    server_cpu = server.cpu_seconds() - cpu_before if server else None
    return Warm(where, int(found.group(1)), float(found.group(2)), command_seconds, server_cpu)


def profile_item_page(env: dict) -> dict[str, dict]:
    progress("profiles of a cached and an uncached 項 page and of the bare view, in-process")
    jobs = {
        "cached hit": (env, "config.wsgi", urls.ITEM_PAGE),
        "uncached": (env | NO_CACHE, "config.wsgi", urls.ITEM_PAGE),
        "bare view": (env | BARE, BARE_APP, "/"),
    }
    profiles = {}
    for name, (job_env, app, path) in jobs.items():
        job = json.dumps({"app": app, "path": path, "requests": PROFILE_REQUESTS[name]})
        profiles[name] = json.loads(run_python(job_env, "-m", "bench.profiling", job))
    return profiles


def start_server(env: dict, workdir: Path, app: str = "config.wsgi") -> Server:
    """The site's server, or the same gunicorn command serving another WSGI app."""
    return Server(
        gunicorn=Path(sys.executable).parent / "gunicorn",
        project=BASE_DIR,
        workers=WORKERS,
        app=app,
        env=env,
        log=workdir / "gunicorn.log",
    )


def measure_rounds(rows: list[Row], rounds: int, seconds: int) -> dict[str, list[Measured]]:
    """Every row once per round, in turn; each row's runs, by key."""
    answers = {row.key: warm_up(row.server, row.path) for row in rows}
    results: dict[str, list[Measured]] = {row.key: [] for row in rows}
    for number in range(1, rounds + 1):
        for row in rows:
            progress(f"round {number}/{rounds}: {row.key} for {seconds}s")
            result = measure(row.server, row.path, seconds, CONNECTIONS)
            result.content_encoding, result.wire_bytes = answers[row.key]
            results[row.key].append(result)
    return results


def warm_up(server: Server, path: str) -> tuple[str, int]:
    """Fill each worker's page cache (the kernel spreads the requests); check the answer."""
    for _ in range(WARM_UP_REQUESTS):
        status, headers, body = fetch(server.port, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return headers.get("Content-Encoding", "identity"), len(body)


def measure(server: Server, path: str, seconds: int, connections: int, script=None) -> Measured:
    server_before, machine_before = server.cpu_seconds(), cpu.machine_busy_seconds()
    url = server.base_url + path
    result = wrk.run_wrk(url, seconds=seconds, connections=connections, script=script)
    server_cpu = server.cpu_seconds() - server_before
    return Measured(result, server_cpu, cpu.machine_busy_seconds() - machine_before)


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
