"""The addresses the benchmark measures, and their names in the tables."""

# Every page of a plan lives under its fiscal year; an address without it is a redirect.
YEAR = "/114"
PAGES = {
    "home": f"{YEAR}/",
    "類 page": f"{YEAR}/budget/4/",
    "項 page": f"{YEAR}/budget/2-2/",
    "目 page": f"{YEAR}/budget/2-2-3/",
    "measure page": f"{YEAR}/measures/2-2-3-m1/",
    "budget tree": f"{YEAR}/budget/",
    "search 詐欺": f"{YEAR}/search/?q=%E8%A9%90%E6%AC%BA",
    "budget-lines.csv": f"{YEAR}/open-data/budget-lines.csv",
}
# The page compared with Datasette and profiled, and the budget line whose children it lists.
ITEM_PAGE, ITEM_CODE = PAGES["項 page"], "2-2"
LIVENESS = "/healthz/live"  # every middleware, no database, no template
# The static baseline: the 目 page's own bytes, served by whitenoise from the static root.
STATIC_COPY_OF = PAGES["目 page"]
STATIC_COPY = "/static/bench/page-2-2-3.html"
LABELS = {path: name for name, path in PAGES.items()} | {
    LIVENESS: "site: liveness",
    STATIC_COPY: "static: copy of 目 page",
}


def label(path: str) -> str:
    """The name and address of a row; the only unnamed path is the site CSS (hashed name)."""
    return f"{LABELS.get(path, 'static: site CSS')} `{path}`"
