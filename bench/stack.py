"""The production stack under load (`python -m bench.stack`, `make bench-stack`): Varnish in
front of two app servers, Redis, PostgreSQL (config/stack), started in a throwaway folder.

Measured in one run, so the ratios compare like with like: a budget page Varnish holds, a
static file Varnish holds, and the same page from an app server directly (its page cache in
Redis), each with wrk at 64 and 512 connections; the time from a publish committing to the
new value through Varnish; the memory (RSS) of each component's processes after the load.
Writes bench/RESULTS-stack.md.
"""

import argparse
import http.client
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from config.stack import HOST, Ports, Stack

from .wrk import run_wrk, version

PAGE = "/114/budget/2-2/"
CONNECTIONS = (64, 512)
RESULTS = Path(__file__).resolve().parent / "RESULTS-stack.md"
# Publishes a new 編者註 on 2-2-3 through a draft, as an editor's publish does, and prints
# the wall-clock time of the commit (the purge is sent right after it).
PUBLISH = """
import time
from django.contrib.auth.models import User
from plan.editing.drafts import open_draft
from plan.editing.publishing import publish
from plan.models import BudgetLine, Plan
plan = Plan.objects.get(published=True, fiscal_year=114)
user = User.objects.filter(is_superuser=True).first()
draft = open_draft(plan, user)
BudgetLine.objects.filter(plan=draft.plan, code="2-2-3").update(editor_note=NOTE)
publish(draft, user, "bench")
print("committed", time.time())
"""


def fetch(port: int, path: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def static_path(stack: Stack) -> str:
    """The stylesheet's hashed address, as the pages link it."""
    _status, html = fetch(stack.ports.varnish, PAGE, stack.site_host)
    return re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html)[1]


def load(stack: Stack, port: int, path: str, seconds: int, connections: int):
    url = f"http://{HOST}:{port}{path}"
    for _ in range(2):  # the first fills the caches on the way
        fetch(port, path, stack.site_host)
    return run_wrk(url, seconds=seconds, connections=connections, host=stack.site_host)


def save_to_visible(stack: Stack) -> float:
    """Seconds from a publish's commit to the new text through Varnish."""
    note = f"bench {time.time():.0f}"
    assert note not in fetch(stack.ports.varnish, "/114/budget/2-2-3/", stack.site_host)[1]
    output = stack.manage("shell", "-c", f"NOTE = {note!r}\n" + PUBLISH)
    committed = float(output.split("committed", 1)[1].split()[0])
    deadline = time.time() + 30
    while time.time() < deadline:
        if note in fetch(stack.ports.varnish, "/114/budget/2-2-3/", stack.site_host)[1]:
            return time.time() - committed
        time.sleep(0.02)
    raise RuntimeError("the published note did not show through Varnish within 30 s")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match[1]) if match else 0
    return total / 1024


def memory(stack: Stack) -> dict[str, float]:
    found = {}
    for component in ("varnish", "app-a", "app-b", "redis"):
        pid_file = stack.pid_file(component)
        if pid_file.exists():
            found[component] = tree_rss_mb(int(pid_file.read_text().split()[0]))
    postmaster = stack.root / "postgres" / "data" / "postmaster.pid"
    if postmaster.exists():
        found["postgres"] = tree_rss_mb(int(postmaster.read_text().split()[0]))
    return found


def report(rows, visible: list[float], rss: dict[str, float], seconds: int) -> str:
    lines = [
        "# The stack under load",
        "",
        f"`python -m bench.stack --seconds {seconds}` ({version()}, `-t2`, one machine: wrk,",
        "Varnish, both app servers, Redis and PostgreSQL share its cores). Written by",
        "bench/stack.py.",
        "",
        "| what | connections | req/s | p50 ms | p99 ms | errors | ÷ static through Varnish |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, connections, result, static in rows:
        ratio = result.requests_per_second / static.requests_per_second
        lines.append(
            f"| {name} | {connections} | {result.requests_per_second:,.0f} | "
            f"{result.p50_ms:.2f} | {result.p99_ms:.2f} | {result.errors_text()} | {ratio:.2f} |"
        )
    lines += [
        "",
        "Publish to visible through Varnish (s, from the commit): "
        + ", ".join(f"{each:.2f}" for each in visible),
        "",
        "| component | RSS MB (after the load) |",
        "|---|---:|",
        *(f"| {name} | {mb:.0f} |" for name, mb in rss.items()),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kcpd-bench-stack-"))
    root.chmod(0o755)  # PostgreSQL runs as postgres and must enter it
    stack = Stack(root=root, ports=Ports.free())
    try:
        print("==> starting the stack (about 40 s)")
        stack.start(say=lambda _line: None)
        static = static_path(stack)
        rows = []
        for connections in CONNECTIONS:
            print(f"==> {connections} connections")
            through_static = load(stack, stack.ports.varnish, static, args.seconds, connections)
            rows.append(
                ("static file through Varnish", connections, through_static, through_static)
            )
            page = load(stack, stack.ports.varnish, PAGE, args.seconds, connections)
            rows.append((f"{PAGE} through Varnish", connections, page, through_static))
            direct = load(stack, stack.app_port("a"), PAGE, args.seconds, connections)
            rows.append((f"{PAGE} from app server A", connections, direct, through_static))
        rss = memory(stack)
        print("==> publish to visible")
        visible = [save_to_visible(stack) for _ in range(3)]
        RESULTS.write_text(report(rows, visible, rss, args.seconds), encoding="utf-8")
        print(RESULTS.read_text())
    finally:
        stack.stop(say=lambda _line: None)
        subprocess.run(["rm", "-rf", str(root)], check=False)


if __name__ == "__main__":
    main()
