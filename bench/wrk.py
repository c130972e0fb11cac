"""Run wrk against a loopback URL and read its summary."""

import re
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

# What a browser sends: pages come back as the page cache's brotli, static files as .br.
ACCEPT_ENCODING = "gzip, deflate, br"
# wrk's limit for one request is 2 s; slower answers count as timeout errors.
OPTIONS = ["-t2", "--timeout=2s", "--latency", "-H", f"Accept-Encoding: {ACCEPT_ENCODING}"]
MS_PER_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors_by_kind: dict[str, int]  # non-2xx/3xx answers and socket errors
    wrk_cpu_seconds: float

    @property
    def errors(self) -> int:
        return sum(self.errors_by_kind.values())

    def errors_text(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.errors_by_kind.items() if count)
        return f"{self.errors} ({kinds})" if kinds else "0"


def version() -> str:
    # wrk prints its version line and usage, then exits 1.
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    return (output.stdout or output.stderr).splitlines()[0].split(" [")[0].strip()


def run_wrk(
    url: str, *, seconds: int, connections: int, script: Path | None = None, host: str = ""
):
    command = ["wrk", *OPTIONS, f"-c{connections}", f"-d{seconds}s"]
    command += ["-H", f"Host: {host}"] if host else []
    command += ["-s", str(script), url] if script else [url]
    before = children_cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(done.stdout, wrk_cpu_seconds=children_cpu_seconds() - before)


def children_cpu_seconds() -> float:
    # wrk is reaped before this is read again; the servers are not, so only wrk is counted.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_wrk(output: str, *, wrk_cpu_seconds: float = 0.0) -> WrkResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if total is None:
        raise ValueError(f"wrk printed no request count:\n{output}")
    errors = {"non-2xx/3xx": count(r"Non-2xx or 3xx responses: (\d+)", output)}
    for kind in ("connect", "read", "write", "timeout"):
        errors[kind] = count(rf"Socket errors:.*\b{kind} (\d+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * MS_PER_UNIT[total.group(3)] / 1000,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=percentile_ms(output, "50"),
        p99_ms=percentile_ms(output, "99"),
        errors_by_kind=errors,
        wrk_cpu_seconds=wrk_cpu_seconds,
    )


def count(pattern: str, output: str) -> int:
    found = re.search(pattern, output)
    return int(found.group(1)) if found else 0


def percentile_ms(output: str, percent: str) -> float:
    found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if found is None:
        raise ValueError(f"wrk printed no {percent}% latency (was --latency given?)")
    return float(found.group(1)) * MS_PER_UNIT[found.group(2)]


def mix_script(paths: list[str], directory: Path) -> Path:
    """A wrk Lua script that requests `paths` in turn (each wrk thread keeps its own turn)."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = directory / "mix.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal turn = 0\nrequest = function()\n"
        "  turn = turn % #paths + 1\n  return wrk.format(nil, paths[turn])\nend\n",
        encoding="utf-8",
    )
    return script
