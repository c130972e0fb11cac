"""What a run measured: wrk runs with the CPU they cost, warms, all of one plan size."""

import statistics
from dataclasses import dataclass, field

from bench.cpu import cores
from bench.wrk import WrkResult


@dataclass
class Measured:
    """One wrk run, and the CPU the server and the whole machine spent during it."""

    wrk: WrkResult
    server_cpu_seconds: float
    machine_cpu_seconds: float
    content_encoding: str = ""
    wire_bytes: int = 0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(self.wrk.requests, 1)

    def shares(self) -> tuple[float, float, float]:
        """The shares of all cores used by the server, by wrk and by anything else."""
        other = self.machine_cpu_seconds - self.server_cpu_seconds - self.wrk.wrk_cpu_seconds
        seconds = (self.server_cpu_seconds, self.wrk.wrk_cpu_seconds, max(other, 0.0))
        return tuple(each / (self.wrk.seconds * cores()) for each in seconds)


@dataclass
class Warm:
    """One `manage.py warmcache`: what it reported, and the whole command's wall time."""

    where: str
    pages: int
    seconds: float
    command_seconds: float
    server_cpu_seconds: float | None = None


@dataclass
class SizeRun:
    """Everything measured on one plan size; rows of wrk runs are keyed "kind:path" with kind
    floor, bare, cached, uncached or datasette."""

    factor: int
    load_seconds: float
    inprocess: dict
    rounds: dict[str, list[Measured]] = field(default_factory=dict)  # one run per round
    load_run: Measured | None = None
    # The real plan only:
    datasette_path: str = ""
    datasette_rows: int = 0
    datasette_version: str = ""
    warms: list[Warm] = field(default_factory=list)
    profiles: dict[str, dict] = field(default_factory=dict)

    def median(self, key: str) -> Measured:
        """The round with the median requests/s (the lower middle one of an even number)."""
        runs = sorted(self.rounds[key], key=lambda m: m.wrk.requests_per_second)
        return runs[(len(runs) - 1) // 2]

    def ratio(self, key: str, reference: str, *, by_cpu: bool = False) -> float:
        """Median over rounds of this row's req/s ÷ the reference's in the same round; with
        `by_cpu`, of the reference's server CPU per request ÷ this row's."""

        def speed(m: Measured) -> float:
            return 1 / m.server_cpu_ms_per_request if by_cpu else m.wrk.requests_per_second

        pairs = zip(self.rounds[key], self.rounds[reference], strict=True)
        return statistics.median(speed(this) / speed(other) for this, other in pairs)

    def kind(self, kind: str) -> dict[str, Measured]:
        """The median run of every row of a kind, by path or name, in the order measured."""
        prefix = f"{kind}:"
        keys = [key for key in self.rounds if key.startswith(prefix)]
        return {key.removeprefix(prefix): self.median(key) for key in keys}

    def failing_errors(self) -> int:
        """Errors of the site and the yardsticks on the real plan, the load run included."""
        runs = [
            m for key, ms in self.rounds.items() if not key.startswith("datasette:") for m in ms
        ]
        return sum(m.wrk.errors for m in [*runs, self.load_run])
