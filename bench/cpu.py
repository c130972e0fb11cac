"""CPU time from /proc: the whole machine's, and a process group's (gunicorn and its workers)."""

import os
import time
from pathlib import Path

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# Other processes using more of the cores than this move the figures: the run waits for them,
# measures again, and the report marks the runs they still touched.
BUSY_LIMIT = 0.10
PROBE_SECONDS = 0.5  # long enough for /proc/stat's 10 ms ticks to say how busy the cores are


def cores() -> int:
    return len(os.sched_getaffinity(0))


def machine_busy_seconds() -> float:
    """CPU seconds the machine has spent on anything but idle and I/O wait, all cores."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / _TICKS_PER_SECOND


def machine_busy_share(seconds: float) -> float:
    """The share of all cores in use over the next `seconds` (whoever uses them)."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / (seconds * cores())


def process_group_cpu_seconds(group: int) -> float:
    return sum(_cpu_seconds(pid) for pid in _members(group))


def _members(group: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _stat_fields(entry.name)[2] == str(group)
    ]


def _stat_fields(pid: str) -> list[str]:
    """/proc/PID/stat after the command name: state, ppid, pgrp, …; blanks if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ["", "", ""]
    return text.rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    fields = _stat_fields(str(pid))
    if len(fields) < 13:
        return 0.0
    # utime and stime: the 14th and 15th fields of the stat line, 12th and 13th after ")".
    return (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND


class Quiet:
    """Waits for other work on the machine to stop before a measurement, within a budget of
    seconds for the whole run (another engineer's tests may share the cores for minutes)."""

    def __init__(self, *, limit: float, patience_seconds: float, budget_seconds: float):
        self.limit = limit  # the share of all cores others may use
        self.patience_seconds = patience_seconds  # the longest wait before one measurement
        self.budget_seconds = budget_seconds
        self.spent_seconds = 0.0
        self.measured_again = 0

    def has_budget(self) -> bool:
        return self.spent_seconds < self.budget_seconds

    def spend(self, seconds: float) -> None:
        self.spent_seconds += seconds

    def wait(self) -> None:
        """Return once the machine is quiet, or after patience_seconds, or with no budget left.

        Call it with no measurement running: all the CPU in use is then someone else's.
        """
        started = time.monotonic()
        while self.has_budget() and time.monotonic() - started < self.patience_seconds:
            if machine_busy_share(PROBE_SECONDS) <= self.limit:
                break
        self.spend(time.monotonic() - started)
