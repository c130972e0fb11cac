"""Markdown tables and the number formats the report uses."""


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
