"""The parts of the report that judge: issue #11's targets, Datasette, the full warm, the
profile of a hit, and what limits throughput."""

import os

from bench.markdown import RUN_HEADERS, ms, rate, ratio, run_cells, share, table
from bench.results import row

CACHED_TARGET = 0.8  # cached pages, req/s ÷ the bare view's
DATASETTE_TARGET = 5.0  # the uncached 項 page, req/s ÷ Datasette's for the same rows
WARM_TARGET_SECONDS = 2.0
# Named calls of an uncached page's profile (bench/profiling.py MARKS), outermost first.
UNCACHED_MARKS = (
    "view",
    "selector",
    "ORM (queries built and run, objects made)",
    "SQLite",
    "template render",
    "children table (django-tables2)",
    "URL reversing",
    "compression",
)
# A page whose cold cost grows less than this from the real plan to the largest is "flat".
FLAT_LIMIT = 1.5
# What issue #11 measured before the page cache was rebuilt, for comparison.
BEFORE = {"cached_vs_bare": 0.35, "cached_vs_css": 0.43, "uncached_vs_datasette": 2.2}
# The Datasette run the target is judged on (bench/datasette.py SETTINGS).
FAIR_DATASETTE = "no facet suggestions"


def _verdict(met: bool, shortfall: str) -> str:
    return "**met**" if met else f"**missed**: {shortfall}"


def _cached_ratios(context, real, *, by_cpu: bool = False) -> dict:
    return {
        page: real.ratio(row("cached", page.path), row("bare"), by_cpu=by_cpu)
        for page in context.pages
    }


def _item_vs_datasette(context, real, name: str = FAIR_DATASETTE, *, by_cpu=False) -> float:
    item = row("uncached", context.item_page.path)
    return real.ratio(item, row("datasette", name), by_cpu=by_cpu)


def targets_section(context, real) -> str:
    ratios = _cached_ratios(context, real)
    lowest = min(ratios, key=ratios.get)
    highest = max(ratios, key=ratios.get)
    bare = real.bare
    needed_cpu = bare.server_cpu_ms_per_request / CACHED_TARGET
    lowest_cpu = real.cached[lowest.path].server_cpu_ms_per_request
    cpu_ratios = _cached_ratios(context, real, by_cpu=True).values()
    item_vs_css = real.ratio(
        row("cached", context.item_page.path), row("cached", real.inprocess["css"]["url"])
    )
    rows = [
        [
            f"cached pages ≥ {CACHED_TARGET}× the bare view (req/s)",
            f"{ratio(ratios[lowest])} ({lowest.label}) to {ratio(ratios[highest])} "
            f"({highest.label}); 項 page {ratio(ratios[context.item_page])}. From CPU per "
            f"request: {ratio(min(cpu_ratios))} to {ratio(max(cpu_ratios))}",
            f"{BEFORE['cached_vs_bare']}× (項 page)",
            _verdict(
                ratios[lowest] >= CACHED_TARGET,
                f"the lowest is {CACHED_TARGET - ratios[lowest]:.2f} short: it needs "
                f"{CACHED_TARGET / ratios[lowest] - 1:.0%} more req/s, i.e. about "
                f"{ms(needed_cpu)} ms of server CPU per hit instead of {ms(lowest_cpu)}",
            ),
        ],
        [
            "(for comparison) cached 項 page ÷ static CSS (req/s)",
            ratio(item_vs_css),
            f"{BEFORE['cached_vs_css']}×",
            "–",
        ],
    ]
    fair = _item_vs_datasette(context, real)
    default = _item_vs_datasette(context, real, "default")
    cpu_fair = _item_vs_datasette(context, real, by_cpu=True)
    rows.append(
        [
            f"uncached 項 page ≥ {DATASETTE_TARGET:g}× Datasette, same rows (req/s)",
            f"{ratio(fair)} (Datasette {FAIR_DATASETTE}); {ratio(default)} (Datasette's "
            f"defaults). From CPU per request: {ratio(cpu_fair)}",
            f"{BEFORE['uncached_vs_datasette']}×",
            _verdict(
                fair >= DATASETTE_TARGET,
                f"{DATASETTE_TARGET - fair:.1f}× short: the page needs "
                f"{DATASETTE_TARGET / fair:.1f}× its req/s",
            ),
        ]
    )
    for each in real.warms:
        rows.append(
            [
                f"full warm of every public page ≤ {WARM_TARGET_SECONDS:g} s ({each.where})",
                f"{each.pages} pages in {each.seconds:.2f} s (the command: "
                f"{each.command_seconds:.1f} s with start-up)",
                "–",
                _verdict(
                    each.seconds <= WARM_TARGET_SECONDS,
                    f"{each.seconds - WARM_TARGET_SECONDS:.2f} s over "
                    f"({each.seconds / WARM_TARGET_SECONDS - 1:.0%})",
                ),
            ]
        )
    load = real.load_run.wrk
    rows.append(
        [
            f"{context.load_connections} connections × {context.profile.load_seconds} s, 0 errors",
            f"{load.errors_text()} errors in {load.requests:,} requests",
            "–",
            _verdict(load.errors == 0, f"{load.errors_text()} errors"),
        ]
    )
    note = ""
    if context.profile.load_seconds < 60:
        note = (
            f"\n\nThis is a --quick run: the load run lasted {context.profile.load_seconds} s, "
            "not 60, and every run was shorter; run `make bench` for the figures that count."
        )
    return (
        "\n".join(
            [
                "## Targets (issue #11)",
                "",
                "All figures from this run; *before* is what the issue reported before the "
                "page cache was rebuilt as a front door.",
                "",
                table(["target", "measured", "before", "verdict"], rows),
            ]
        )
        + note
    )


def datasette_name(version: str) -> str:
    """ "Datasette 0.65.5" from `datasette --version` ("datasette, version 0.65.5")."""
    return "Datasette " + version.rsplit(" ", 1)[-1]


def datasette_section(context, real) -> str:
    item = real.uncached[context.item_page.path]
    item_key = row("uncached", context.item_page.path)
    rows = [
        [
            f"site, uncached {context.item_page.label} `{context.item_page.path}`",
            *run_cells(item),
            f"{item.wire_bytes:,} {item.content_encoding}",
            "1.00×",
            "1.00×",
        ]
    ]
    for name, measured in real.datasette.items():
        rows.append(
            [
                f"Datasette, {name}",
                *run_cells(measured),
                f"{measured.wire_bytes:,} {measured.content_encoding}",
                ratio(real.ratio(item_key, row("datasette", name))),
                ratio(real.ratio(item_key, row("datasette", name), by_cpu=True)),
            ]
        )
    return "\n".join(
        [
            "## 3. The uncached 項 page against Datasette serving the same rows",
            "",
            f"{datasette_name(real.datasette_version)} (installed from PyPI into a throwaway venv "
            f"in {real.datasette_install_seconds:.0f} s, never a dependency of the site) runs "
            "as `datasette serve <db> --host 127.0.0.1 --port <port>` on the benchmark's "
            "real-plan SQLite file, the very file the site's server reads, and serves "
            f"`{real.datasette_path}`: its HTML table page of `plan_budgetline` filtered by "
            f"`parent_id = {real.datasette_parent_id}`, the id of budget line "
            f"{context.item_code} in that file. The 項 page `{context.item_page.path}` lists "
            f"the children of line {context.item_code} (`line.children.all()` in "
            "`plan/selectors.py` `budget_line_page`), which are exactly the rows of "
            f"`plan_budgetline` with that `parent_id`: the same {real.datasette_rows} rows. "
            "Datasette's page shows every column of them (expanding the two foreign keys to "
            "labels) and counts them; the 項 page shows code, name, amount and share, and "
            "adds the line itself, its path, its measures, a chart and the source excerpt. "
            "Neither caches the page: Datasette has no page cache, and the site runs with "
            "PAGE_CACHE_SECONDS=0. Datasette's defaults also suggest facets on every table "
            "page (several extra queries the 項 page has nothing like), so the target is "
            f"judged against `--setting suggest_facets off` ({FAIR_DATASETTE}); the defaults "
            "are shown too. Datasette is one process (an asyncio server with a pool of SQL "
            f"threads; it has no worker option) where gunicorn runs {context.workers} workers, "
            "and it writes an access-log line per request: the CPU-per-request ratio compares "
            f"the work regardless of processes. Same wrk settings as section 1.",
            "",
            table(
                [
                    "server",
                    *RUN_HEADERS,
                    "body on the wire",
                    "項 page req/s ÷ this",
                    "this CPU ÷ 項 page CPU",
                ],
                rows,
            ),
        ]
    )


def warm_section(context, real) -> str:
    rows = []
    for each in real.warms:
        rows.append(
            [
                each.where,
                each.pages,
                f"{each.seconds:.2f}",
                f"{each.command_seconds:.2f}",
                "–" if each.server_cpu_seconds is None else f"{each.server_cpu_seconds:.2f}",
                ms(1000 * each.seconds / each.pages),
            ]
        )
    return "\n".join(
        [
            "## 4. A full warm of the page cache: every public page",
            "",
            "`manage.py warmcache` asks for every page of the sitemap, every open-data file, "
            "the data package, the revision feed and the sitemap itself, one after another. "
            "*In-process* renders them through the whole stack in the command's own process "
            "(production settings, the benchmark's database), storing each page in all three "
            "encodings; with the default per-process cache that shows what a warm costs, with "
            "Redis it fills the cache every worker shares. *Over HTTP* is `warmcache "
            "--base-url` against the site's gunicorn right after it started, before any other "
            "request: each page warms the worker that answers it. *seconds* is what the "
            "command reports for the pages; *the command* adds Python's and Django's start-up.",
            "",
            table(
                [
                    "warm",
                    "pages",
                    "seconds",
                    "the command, s",
                    "server CPU s",
                    "ms per page",
                ],
                rows,
            ),
        ]
    )


# The profile


def _us(profile: dict, mark: str) -> float:
    """Microseconds per request in a named call: its share of the profile times the request's
    CPU time measured without the profiler."""
    return 1000 * profile["marks"].get(mark, 0.0) * profile["ms_per_request"]


def layers(profile: dict) -> list[tuple[str, float]]:
    """An in-process request split into layers, in microseconds."""
    ahead = _us(profile, "front door, ahead of Django")
    handler = _us(profile, "handler") + _us(profile, "response close")
    chain = _us(profile, "middleware chain")
    front_door = _us(profile, "front door")
    above = chain - front_door if front_door else 0.0
    return [
        (
            "the front door ahead of Django (plan/front_door.py): a plain hit answered whole; "
            "anything else looked up and handed to Django",
            ahead,
        ),
        (
            "Django's WSGI handler around the middleware: request object, request_started and "
            "request_finished signals (closing old database connections), closing the response",
            handler - chain,
        ),
        (
            "middleware above the front door: security headers, SecurityMiddleware, "
            "whitenoise, GZip",
            above,
        ),
        (
            "the front door middleware (plan/caching.py): conditional and stale hits, misses",
            front_door,
        ),
        ("URL resolving and the view", chain - above - front_door),
    ]


def server_layers(context, real) -> list[list[str]]:
    """Server CPU per request from the wrk runs, as the differences between three servers: what
    Django adds to gunicorn for the bare view, and what the site adds for a cached hit."""
    floor = 1000 * real.floor.server_cpu_ms_per_request
    bare = 1000 * real.bare.server_cpu_ms_per_request
    hit = 1000 * real.cached[context.item_page.path].server_cpu_ms_per_request
    label = context.item_page.label
    return [
        [
            "gunicorn and the kernel: accept, parse, write, close (the sync worker closes "
            "every connection)",
            f"{floor:.0f}",
            "gunicorn alone",
        ],
        [
            "Django for the bare view: handler, URL resolving, the view, no middleware",
            f"{bare - floor:.0f}",
            "bare view − gunicorn alone",
        ],
        [
            f"the site for a cached {label} hit",
            f"{hit - floor:.0f}",
            f"cached {label} − gunicorn alone",
        ],
        ["**total, bare view**", f"**{bare:.0f}**", "section 1"],
        [f"**total, cached {label} hit**", f"**{hit:.0f}**", "section 1"],
    ]


def profile_section(context, real) -> str:
    cached, bare, uncached = (real.profiles[name] for name in ("cached", "bare", "uncached"))
    item = context.item_page
    rows = [
        [name, f"{hit:.0f}", f"{plain:.0f}"]
        for (name, hit), (_name, plain) in zip(layers(cached), layers(bare), strict=True)
    ]
    rows.append(
        [
            "**in-process CPU per request**",
            f"**{1000 * cached['ms_per_request']:.0f}**",
            f"**{1000 * bare['ms_per_request']:.0f}**",
        ]
    )
    front = [
        [mark, f"{_us(cached, mark):.0f}"]
        for mark in (
            "page cache read",
            "hit headers",
            "cache key",
            "host and scheme, as Django judges them",
            "data version, if fresh",
        )
    ]
    uncached_marks = ", ".join(
        f"{mark} {_us(uncached, mark):,.0f}" for mark in UNCACHED_MARKS if mark in uncached["marks"]
    )
    return "\n\n".join(
        [
            "## 8. Where a request's CPU goes",
            "Server CPU per request, from the wrk runs of section 1 (µs):",
            table(["layer", "µs per request", "measured as"], server_layers(context, real)),
            f"Inside the Python: cProfile, in-process, of the WSGI application gunicorn calls, "
            f"given the request wrk sends (bench/profiling.py; the body read and closed as "
            f"gunicorn does): {cached['path']} as a cached hit, the bare view, and "
            f"{uncached['path']} without the page cache. Microseconds are each call's share "
            "of the profile times the CPU time of a request measured in the same process "
            "without the profiler (the profiler inflates many small calls, so read them as "
            "proportions). A request in a hot loop in one process costs less than the same "
            "request in a gunicorn worker that shares two cores with another worker and wrk "
            "(caches, context switches): compare these figures with each other, not with the "
            "table above.",
            table(["layer, in-process", f"cached {item.label} hit, µs", "bare view, µs"], rows),
            "Inside the front door on a hit, ahead of Django (µs per request):",
            table(["call", "µs"], front),
            "Own time by module, and the functions with the most own time, on a cached hit:",
            _modules_table(cached),
            _functions_table(cached),
            f"Without the page cache, {uncached['path']} takes {_cpu_note(uncached)} "
            f"in-process (µs per request): {uncached_marks}; own time by module:",
            _modules_table(uncached),
        ]
    )


def _cpu_note(profile: dict) -> str:
    return f"{ms(profile['ms_per_request'])} ms of CPU per request"


def _modules_table(profile: dict) -> str:
    rows = [
        [f"`{name}`", share(part), f"{1000 * part * profile['ms_per_request']:.0f}"]
        for name, part in profile["modules"][:8]
    ]
    return table(["module", "share of own time", "µs per request"], rows)


def _functions_table(profile: dict) -> str:
    rows = [
        [f"`{name}`", share(part), f"{calls:.1f}"] for name, part, calls in profile["functions"][:8]
    ]
    return table(["function", "share of own time", "calls per request"], rows)


# What limits throughput


def limits_section(context, runs) -> str:
    real = runs[0]
    sentences = [
        _saturation(real.cached[context.static_copy.path]),
        _hit_cost(context, real),
        _uncached_cost(context, real),
        _warm_cost(real),
        _queueing(context, real.load_run),
    ]
    other = max(m.other_share for run in runs for m in run.every_run())
    if other > 0.1:
        sentences.append(
            f"Other processes used up to {other:.0%} of the cores during some runs (column "
            "*other*): those rows understate what the server can do, and ratios between rows "
            "measured at different moments move with it; the CPU-per-request ratios move less."
        )
    if len(runs) > 1:
        sentences.append(_growth_summary(context, runs))
    return "## What limits throughput\n\n" + "\n\n".join(s for s in sentences if s)


def _saturation(static) -> str:
    total = static.server_share + static.wrk_share + static.other_share
    cores = len(os.sched_getaffinity(0))
    if total >= 0.8:
        return (
            f"**CPU.** During the static-file run the {cores} cores were {total:.0%} busy "
            f"(server {static.server_share:.0%}, wrk {static.wrk_share:.0%}, other "
            f"{static.other_share:.0%}); wrk runs on the same machine, so the server never has "
            "all of them, and every cheap request is bounded by its CPU time."
        )
    return (
        f"The {cores} cores were only {total:.0%} busy during the static-file run, so "
        "something other than CPU (connection handling, the sync workers' one request at a "
        "time) limits throughput there."
    )


def _hit_cost(context, real) -> str:
    item = context.item_page
    cached, bare = real.profiles["cached"], real.profiles["bare"]
    floor_cpu = real.floor.server_cpu_ms_per_request
    bare_cpu = real.bare.server_cpu_ms_per_request
    hit_cpu = real.cached[item.path].server_cpu_ms_per_request
    allowed = bare_cpu / CACHED_TARGET - bare_cpu
    hit_layers, bare_layers = dict(layers(cached)), dict(layers(bare))
    extra = sorted(
        ((name, hit_layers[name] - bare_layers[name]) for name in hit_layers),
        key=lambda item: -item[1],
    )
    biggest = "; ".join(f"{name.split(':')[0]} {us:+.0f} µs" for name, us in extra[:3])
    top_name, top_share, _calls = cached["functions"][0]
    pages = [real.cached[page.path] for page in context.pages]
    smallest = min(pages, key=lambda m: m.wire_bytes)
    largest = max(pages, key=lambda m: m.wire_bytes)
    return (
        f"**A cached hit.** The cached {item.label} cost {ms(hit_cpu)} ms of server CPU per "
        f"request, the bare view {ms(bare_cpu)} ms, gunicorn alone {ms(floor_cpu)} ms "
        f"(section 8). At {CACHED_TARGET}× the bare view's throughput, what the site adds to "
        f"the bare view may cost {1000 * allowed:.0f} µs per request; in the median rounds it "
        f"cost {1000 * (hit_cpu - bare_cpu):.0f} µs "
        f"({_within(1000 * (hit_cpu - bare_cpu), 1000 * allowed)}). In-process the hit costs "
        f"{ms(cached['ms_per_request'])} ms against {ms(bare['ms_per_request'])} ms; by layer "
        f"(hit − bare): {biggest}. The function with the most own time, `{top_name}`, has "
        f"{top_share:.0%} of it. The body matters little: the smallest cached body on the "
        f"wire ({smallest.wire_bytes:,} bytes) "
        f"cost {ms(smallest.server_cpu_ms_per_request)} ms per request, the largest "
        f"({largest.wire_bytes:,} bytes) {ms(largest.server_cpu_ms_per_request)} ms."
    )


def _within(cost: float, allowed: float) -> str:
    return "within it" if cost <= allowed else f"{cost - allowed:.0f} µs over"


def _uncached_cost(context, real) -> str:
    item = context.item_page
    measured = real.uncached[item.path]
    fair = real.datasette[FAIR_DATASETTE]
    profile = real.profiles["uncached"]
    target_rate = DATASETTE_TARGET * fair.wrk.requests_per_second
    needed_cpu = measured.server_cpu_ms_per_request * (
        measured.wrk.requests_per_second / target_rate
    )
    parts = ", ".join(
        f"{mark} {_us(profile, mark) / 1000:.2f} ms"
        for mark in UNCACHED_MARKS[1:]
        if mark in profile["marks"]
    )
    return (
        f"**An uncached 項 page.** It cost {ms(measured.server_cpu_ms_per_request)} ms of "
        f"server CPU per request ({rate(measured.wrk.requests_per_second)} req/s); Datasette "
        f"served the same rows for {ms(fair.server_cpu_ms_per_request)} ms "
        f"({rate(fair.wrk.requests_per_second)} req/s, one process). In-process the page takes "
        f"{ms(profile['ms_per_request'])} ms: {parts} (section 8). {DATASETTE_TARGET:g}× "
        f"Datasette is {rate(target_rate)} req/s, about {ms(needed_cpu)} ms of server CPU per "
        "request at today's CPU share."
    )


def _warm_cost(real) -> str:
    if not real.warms:
        return ""
    parts = "; ".join(
        f"{each.where}: {each.pages} pages in {each.seconds:.2f} s, "
        f"{ms(1000 * each.seconds / each.pages)} ms a page"
        for each in real.warms
    )
    pages = real.warms[0].pages
    return (
        f"**A full warm** renders every page once, one after another, on one core: {parts}. "
        f"Within {WARM_TARGET_SECONDS:g} s, {pages} pages may take "
        f"{ms(1000 * WARM_TARGET_SECONDS / pages)} ms each on average."
    )


def _queueing(context, load) -> str:
    if load is None:
        return ""
    result = load.wrk
    expected_ms = 1000 * context.load_connections / result.requests_per_second
    return (
        f"**Many connections.** Gunicorn's {context.workers} sync workers answer one request "
        f"at a time and close the connection after it; at {context.load_connections} "
        f"connections the server gave {rate(result.requests_per_second)} req/s with p50 "
        f"{ms(result.p50_ms)} ms, close to connections ÷ throughput = {ms(expected_ms)} ms: "
        "requests wait in the listen backlog, latency grows with connections while throughput "
        "stays at what the CPU allows."
    )


def _growth_summary(context, runs) -> str:
    first, last = runs[0], runs[-1]
    parts = []
    for page in context.pages:
        before = first.inprocess["pages"][page.path]["ms_cold"]
        after = last.inprocess["pages"][page.path]["ms_cold"]
        parts.append(f"{page.label} {after / before:.1f}×")
    slowest = min(
        context.pages,
        key=lambda page: (
            last.cached[page.path].wrk.requests_per_second
            / first.cached[page.path].wrk.requests_per_second
        ),
    )
    unexpected = [
        page
        for page in context.pages
        if page.expected_growth.startswith("flat")
        and last.inprocess["pages"][page.path]["ms_cold"]
        >= FLAT_LIMIT * first.inprocess["pages"][page.path]["ms_cold"]
    ]
    growing = ""
    if unexpected:
        queries = ", ".join(
            f"{page.label}: {_slowest(last.inprocess['pages'][page.path])}" for page in unexpected
        )
        growing = (
            f" Pages that should not grow did; their slowest query on the largest plan: {queries}."
        )
    return (
        f"**Plan size.** From the real plan to {last.factor}x, the cold cost of each page "
        "changed by: " + ", ".join(parts) + f" (section 7).{growing} Of the cached pages, the "
        f"{slowest.label} lost the most: from "
        f"{rate(first.cached[slowest.path].wrk.requests_per_second)} to "
        f"{rate(last.cached[slowest.path].wrk.requests_per_second)} req/s as its body grew "
        f"from {first.inprocess['pages'][slowest.path]['bytes_raw']:,} to "
        f"{last.inprocess['pages'][slowest.path]['bytes_raw']:,} bytes."
    )


def _slowest(page: dict) -> str:
    query = page["slowest_cold_query"]
    return "no query" if query is None else f"{query['table']}, {query['ms']:.0f} ms"
