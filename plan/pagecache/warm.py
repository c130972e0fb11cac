"""Warm the page cache: ask for every public page, in both languages, so that the first
readers after a change or a deploy get cached pages."""

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse

from plan.addresses.languages import ENGLISH, localized
from plan.addresses.links import API_PREFIX
from plan.addresses.year_prefix import in_year
from plan.content.published import published_plans
from plan.content.selectors import public_pages
from plan.open_data.files import resources


@dataclass
class WarmReport:
    pages: int
    failed: list[str]
    seconds: float


def public_paths() -> list[str]:
    """Every page of the sitemap; for each plan its open-data files, revision feed and the
    API's lists; the API's own description."""
    paths = ["/", "/en/", reverse("sitemap"), reverse("openapi"), f"{API_PREFIX}/plans/"]
    for plan in published_plans():
        pages = public_pages(plan=plan)
        paths += pages + [localized(page, ENGLISH) for page in pages]
        with in_year(plan.fiscal_year):
            paths += [reverse("plan:open-data-file", args=[f.filename]) for f in resources(plan)]
            paths += [reverse("plan:datapackage"), reverse("plan:revisions-feed")]
        year = f"{API_PREFIX}/{plan.fiscal_year}"
        paths += [f"{year}/", f"{year}/goals/", f"{year}/budget-lines/", f"{year}/measures/"]
    return paths


def warm_in_process(paths: list[str]) -> WarmReport:
    """Through the whole stack in this process: fills the cache this process shares with the
    server (Redis); with the default per-process cache it only shows what a warm costs."""
    origin = urlsplit(settings.SITE_URL)
    client = Client(
        HTTP_HOST=origin.netloc,
        HTTP_X_FORWARDED_PROTO=origin.scheme,
        HTTP_ACCEPT_ENCODING="gzip, deflate, br",
    )
    return _warm(paths, lambda path: client.get(path).status_code)


# Requests in flight at once over HTTP: enough to keep every worker of a small server busy
# (gunicorn's default here is two) while one waits on the network.
HTTP_JOBS = 4


def warm_over_http(paths: list[str], base_url: str, jobs: int = HTTP_JOBS) -> WarmReport:
    """Through a running server, `jobs` requests at a time: each request warms the worker
    that answers it."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    host = urlsplit(settings.SITE_URL)

    def fetch(path: str) -> int:
        request = urllib.request.Request(
            base_url.rstrip("/") + path,
            headers={
                "Host": host.netloc,
                "X-Forwarded-Proto": host.scheme,
                "Accept-Encoding": "gzip, deflate, br",
            },
        )
        try:
            with opener.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        statuses = list(pool.map(fetch, paths))
    failed = [path for path, status in zip(paths, statuses, strict=True) if status != 200]
    return WarmReport(len(paths), failed, time.perf_counter() - started)


def _warm(paths, fetch) -> WarmReport:
    started = time.perf_counter()
    failed = [path for path in paths if fetch(path) != 200]
    return WarmReport(len(paths), failed, time.perf_counter() - started)
