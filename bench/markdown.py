"""Markdown tables and the number formats the report uses."""

from bench.cpu import BUSY_LIMIT


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def rate(value: float) -> str:
    return f"{value:,.0f}"


def ms(value: float) -> str:
    if value < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 10 else f"{value:,.1f}"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def size(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def share(value: float) -> str:
    return f"{value:.0%}"


RUN_HEADERS = [
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "server CPU ms/req",
    "CPU server / wrk / other",
]


def run_cells(measured) -> list[str]:
    """The columns every wrk run shows: rate, latency, errors and the server's CPU."""
    result = measured.wrk
    return [
        rate(result.requests_per_second),
        ms(result.p50_ms),
        ms(result.p99_ms),
        result.errors_text(),
        ms(measured.server_cpu_ms_per_request),
        cpu_use(measured),
    ]


def cpu_use(measured) -> str:
    """Shares of all cores used by the server, wrk and everything else during a run; the last
    in bold when other work was busy enough to move the figures."""
    other = f"{measured.other_share:.0%}"
    if measured.other_share > BUSY_LIMIT:
        other = f"**{other}**"
    return f"{measured.server_share:.0%} / {measured.wrk_share:.0%} / {other}"
