"""CPU time from /proc: the whole machine's and a process group's."""

import os
import time
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


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


def busy_share(seconds: float) -> float:
    """The share of all cores in use over the next `seconds`, whoever uses them."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / (seconds * cores())
