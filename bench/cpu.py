"""CPU time from /proc: the whole machine's and a process group's; waiting for a quiet machine."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PROBE_SECONDS = 0.5  # long enough for /proc/stat's 10 ms ticks to say how busy the cores are


def cores() -> int:
    return len(os.sched_getaffinity(0))


def machine_busy_seconds() -> float:
    """CPU seconds the machine has spent on anything but idle and I/O wait, all cores."""
    user, nice, system, _idle, _iowait, *rest = Path("/proc/stat").read_text().split()[1:9]
    return sum(int(ticks) for ticks in (user, nice, system, *rest)) / TICKS_PER_SECOND


def process_group_cpu_seconds(group: int) -> float:
    """User and system CPU seconds of the live processes of a process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command name: state, ppid, pgrp, …, utime (12th), stime (13th).
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process is gone
            continue
        if fields[2] == str(group):
            total += int(fields[11]) + int(fields[12])
    return total / TICKS_PER_SECOND


@dataclass
class Quiet:
    """Waits for other work on the machine to use at most `limit` of the cores, up to
    `patience_seconds` each time and `budget_seconds` in all."""

    limit: float
    patience_seconds: float
    budget_seconds: float
    spent_seconds: float = 0.0

    def wait(self) -> None:
        """Call it with no measurement running: all the CPU in use is then someone else's."""
        started = time.monotonic()
        patience = min(self.patience_seconds, self.budget_seconds - self.spent_seconds)
        while time.monotonic() - started < patience:
            if busy_share(PROBE_SECONDS) <= self.limit:
                break
        self.spent_seconds += time.monotonic() - started


def busy_share(seconds: float) -> float:
    """The share of all cores in use over the next `seconds`, whoever uses them."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / (seconds * cores())
