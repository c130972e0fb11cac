"""Run wrk against a loopback URL and read its summary."""

import os
import re
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# What a browser sends: pages come back gzipped by Django, static files as whitenoise's .br.
ACCEPT_ENCODING = "gzip, deflate, br"
THREADS = 2
# wrk's own limit for one request; slower answers count as timeout errors.
REQUEST_TIMEOUT = "2s"
APT_COMMAND = ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]
    wrk_cpu_seconds: float

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())

    def errors_text(self) -> str:
        if not self.errors:
            return "0"
        parts = [f"{name} {count}" for name, count in self.socket_errors.items() if count]
        if self.non_2xx_3xx:
            parts.insert(0, f"non-2xx/3xx {self.non_2xx_3xx}")
        return f"{self.errors} ({', '.join(parts)})"


def ensure_wrk() -> str:
    """The path of wrk; installed with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit(f"bench: wrk is missing; install it with: sudo {' '.join(APT_COMMAND)}")
    print(f"bench: wrk is missing; running {' '.join(APT_COMMAND)}", flush=True)
    if subprocess.run(APT_COMMAND, timeout=600).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True, timeout=600)
        subprocess.run(APT_COMMAND, check=True, timeout=600)
    found = shutil.which("wrk")
    if not found:
        sys.exit("bench: apt-get installed wrk but it is not on PATH")
    return found


def wrk_version(wrk: str) -> str:
    # wrk prints its version line and usage, then exits 1; only the first line matters.
    output = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    return (output.stdout or output.stderr).splitlines()[0].strip()


def run_wrk(
    wrk: str, url: str, *, seconds: int, connections: int, script: Path | None = None
) -> WrkResult:
    command = [
        wrk,
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={REQUEST_TIMEOUT}",
        "--latency",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    if script is not None:
        command += ["-s", str(script)]
    before = _children_cpu_seconds()
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    return parse_wrk(completed.stdout, wrk_cpu_seconds=_children_cpu_seconds() - before)


def _children_cpu_seconds() -> float:
    # wrk is reaped before this is read again; the servers are not, so only wrk is counted.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_wrk(output: str, *, wrk_cpu_seconds: float = 0.0) -> WrkResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if total is None:
        raise ValueError(f"wrk printed no request count:\n{output}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = dict(
        zip(
            ("connect", "read", "write", "timeout"),
            (int(n) for n in sockets.groups()) if sockets else (0, 0, 0, 0),
            strict=True,
        )
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=_ms(total.group(2), total.group(3)) / 1000,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_percentile(output, "50"),
        p99_ms=_percentile(output, "99"),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=socket_errors,
        wrk_cpu_seconds=wrk_cpu_seconds,
    )


def _percentile(output: str, percent: str) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if found is None:
        raise ValueError(f"wrk printed no {percent}% latency (was --latency given?)")
    return _ms(found.group(1), found.group(2))


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def mix_script(paths: list[str], directory: Path) -> Path:
    """A wrk Lua script that requests `paths` in turn (each wrk thread keeps its own turn)."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = directory / "mix.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local turn = 0\n"
        "request = function()\n"
        "  turn = turn % #paths + 1\n"
        "  return wrk.format(nil, paths[turn])\n"
        "end\n",
        encoding="utf-8",
    )
    return script
