"""What a benchmark run measured: wrk runs with their CPU, repeated in rounds on the real plan,
and the other figures of one plan size."""

import statistics
from dataclasses import dataclass, field

from bench import cpu
from bench.wrk import WrkResult


@dataclass
class Measured:
    """One wrk run, and the CPU the server, wrk and the whole machine spent during it."""

    wrk: WrkResult
    server_cpu_seconds: float
    machine_cpu_seconds: float
    content_encoding: str = ""
    wire_bytes: int = 0

    @property
    def server_cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_seconds / max(self.wrk.requests, 1)

    @property
    def server_share(self) -> float:
        return self._share(self.server_cpu_seconds)

    @property
    def wrk_share(self) -> float:
        return self._share(self.wrk.wrk_cpu_seconds)

    @property
    def other_share(self) -> float:
        """Cores used by neither the server nor wrk: other work on the machine."""
        other = self.machine_cpu_seconds - self.server_cpu_seconds - self.wrk.wrk_cpu_seconds
        return self._share(max(other, 0.0))

    def _share(self, seconds: float) -> float:
        return seconds / (self.wrk.seconds * cpu.cores())


@dataclass
class Warm:
    """One `manage.py warmcache`: what it reported, and the whole command's wall time."""

    where: str
    pages: int
    seconds: float
    command_seconds: float
    server_cpu_seconds: float | None = None


def row(kind: str, name: str = "") -> str:
    """The key of a row of wrk runs: kind "floor", "bare", "cached", "uncached" or
    "datasette", and the path or name."""
    return f"{kind}:{name}"


@dataclass
class SizeRun:
    factor: int
    load_seconds: float
    inprocess: dict
    # Every wrk run of a row, one per round (one round on the bigger plans).
    rounds: dict[str, list[Measured]] = field(default_factory=dict)
    load_run: Measured | None = None
    # The real plan only:
    datasette_path: str = ""
    datasette_parent_id: int = 0
    datasette_rows: int = 0
    datasette_version: str = ""
    datasette_install_seconds: float = 0.0
    warms: list[Warm] = field(default_factory=list)
    profiles: dict[str, dict] = field(default_factory=dict)

    def median(self, key: str) -> Measured:
        """The round with the median requests/s (the lower middle one of an even number)."""
        runs = sorted(self.rounds[key], key=lambda m: m.wrk.requests_per_second)
        return runs[(len(runs) - 1) // 2]

    def ratio(self, key: str, reference: str, *, by_cpu: bool = False) -> float:
        """Median over rounds of this row's requests/s ÷ the reference's in the same round;
        `by_cpu`: of the reference's server CPU per request ÷ this row's (the ratio CPU alone
        predicts)."""
        pairs = zip(self.rounds[key], self.rounds[reference], strict=True)
        if by_cpu:
            return statistics.median(
                other.server_cpu_ms_per_request / this.server_cpu_ms_per_request
                for this, other in pairs
            )
        return statistics.median(
            this.wrk.requests_per_second / other.wrk.requests_per_second for this, other in pairs
        )

    def kind(self, kind: str) -> dict[str, Measured]:
        """The median run of every row of a kind, by path or name, in the order measured."""
        prefix = row(kind)
        return {
            key.removeprefix(prefix): self.median(key)
            for key in self.rounds
            if key.startswith(prefix)
        }

    @property
    def cached(self) -> dict[str, Measured]:
        return self.kind("cached")

    @property
    def uncached(self) -> dict[str, Measured]:
        return self.kind("uncached")

    @property
    def datasette(self) -> dict[str, Measured]:
        return self.kind("datasette")

    @property
    def floor(self) -> Measured | None:
        return self.median(row("floor")) if row("floor") in self.rounds else None

    @property
    def bare(self) -> Measured | None:
        return self.median(row("bare")) if row("bare") in self.rounds else None

    def every_run(self):
        for runs in self.rounds.values():
            yield from runs
        if self.load_run is not None:
            yield self.load_run
