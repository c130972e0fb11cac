"""Cache tags: what a public page shows, named so that a change of published data can name the
same things, and a proxy in front (Varnish with xkey, a CDN) can drop exactly the pages a change
touches.

The keys: `site` (every tagged page), `y<year>` (every page of a plan year), `y<year>-all` (the
pages that list or sum a year's records: home, tree, tables, search, open data, the API, the
log; also a year's pages compared with it), and one key per record a page shows:
`y<year>-line-<code>`, `y<year>-goal-<number>`, `y<year>-measure-<code>`; `synonyms` on search
answers. A record's page names its own key and those of the records it shows (a line's
ancestors, children and measures...). Plan/pagecache/entries.py writes them into the header;
`purge()` queues what a change touches, sent once its transaction commits
(plan/pagecache/purge.py tells the proxies).
"""

import threading

from django.db import transaction
from django.dispatch import Signal

from plan.models import BudgetLine, BudgetLineMatch, GoalMeasure, Measure, Plan, PolicyGoal

SITE = "site"
SYNONYMS = "synonyms"
# A header of a few hundred keys costs the proxy more than a broader purge would: past this,
# a page names its year's list key instead of its records.
MAX_KEYS = 100

# Sent once a transaction that changed published data commits, with `keys` (a frozenset).
purge_requested = Signal()


def year(fiscal_year: int) -> str:
    return f"y{fiscal_year}"


def every(fiscal_year: int) -> str:
    """The key of the pages that list or sum the whole year."""
    return f"y{fiscal_year}-all"


def record_key(fiscal_year: int, record) -> str:
    if isinstance(record, BudgetLine):
        return f"y{fiscal_year}-line-{record.code}"
    if isinstance(record, Measure):
        return f"y{fiscal_year}-measure-{record.code}"
    if isinstance(record, PolicyGoal):
        return f"y{fiscal_year}-goal-{record.number}"
    raise TypeError(f"no cache key for {type(record).__name__}")


# What a page shows.


def page_keys(plan: Plan | None, records=(), *, compared=None, plans=(), extra=()) -> list[str]:
    """The keys of a page of `plan` showing `records` (none: a page of lists, `y<year>-all`),
    compared with the plan of year `compared`; a page of no year (the sitemap, the API's
    list of plans) shows every plan of `plans`."""
    keys = [SITE]
    if plan is None:
        keys += [every(each.fiscal_year) for each in plans]
    else:
        keys.append(year(plan.fiscal_year))
        named = list(dict.fromkeys(record_key(plan.fiscal_year, each) for each in records))
        if not named or len(named) > MAX_KEYS - 5:
            named = [every(plan.fiscal_year)]
        keys += named
        if compared is not None:
            keys.append(every(compared))
    keys += extra
    return list(dict.fromkeys(keys))[:MAX_KEYS]


def line_page(page) -> list:
    """The records a budget line's page shows (plan/content/selectors.py BudgetLinePage)."""
    shown = [*page.ancestors, page.line, *page.children, page.previous, page.next]
    for measure in page.measures:
        shown += [measure, *getattr(measure, "goal_list", ())]
    return [each for each in shown if each is not None]


def measure_page(page) -> list:
    """The records a measure's page shows (MeasurePage)."""
    shown = [page.measure, *page.ancestors, *page.goals, page.previous, page.next]
    return [each for each in shown if each is not None]


def goal_page(page) -> list:
    """The records a goal's page shows (GoalPage)."""
    shown = [page.goal, page.previous, page.next]
    for line, measures in page.groups:
        shown += [*line.lineage, *measures]
    return [each for each in shown if each is not None]


def shows(request, records=(), *, extra=()) -> None:
    """Say which records the page being answered shows, for its cache tags (none: it lists the
    year, `y<year>-all`)."""
    request.shown_records = (list(records), tuple(extra))


# What a change touches.


def changed_keys(plan: Plan, records) -> set[str]:
    """The keys to purge when `records` of the published `plan` changed: each record's, a line's
    ancestors' (their pages show it), and the year's lists. The plan itself (its title, total)
    is on every page of the year."""
    fiscal_year = plan.fiscal_year
    keys = {every(fiscal_year)}
    for record in records:
        if isinstance(record, Plan):
            keys.add(year(fiscal_year))
        elif isinstance(record, BudgetLineMatch):
            keys |= {record_key(fiscal_year, each) for each in record.line.lineage}
        elif isinstance(record, GoalMeasure):
            keys |= {record_key(fiscal_year, record.goal), record_key(fiscal_year, record.measure)}
        elif isinstance(record, BudgetLine):
            keys |= {record_key(fiscal_year, each) for each in record.lineage}
        else:
            keys.add(record_key(fiscal_year, record))
    if len(keys) > MAX_KEYS:
        return {year(fiscal_year), every(fiscal_year)}
    return keys


def reloaded(plan: Plan, *, came_or_went) -> set[str]:
    """What a load that changed the published `plan` purges: the year's pages, or every page when
    the plan is new or records came or went (`came_or_went`: the model names, as the loader's
    report has them), since every page's year switcher says whether another year has the same
    page."""
    if {"plan", "policygoal", "budgetline", "measure"} & set(came_or_went):
        return {SITE}
    return changed_keys(plan, [plan])


class _Batch:
    def __init__(self, keys):
        self.keys = set(keys)
        self.sent = False

    def send(self):
        self.sent = True
        purge_requested.send(sender=_Batch, keys=frozenset(self.keys))


_local = threading.local()


def purge(keys) -> None:
    """Purge `keys` once the current transaction commits (at once outside one); the keys of one
    transaction go out together, whichever code named them (a bulk delete signals each row)."""
    keys = set(keys)
    if not keys:
        return
    connection = transaction.get_connection()
    batch = getattr(_local, "batch", None)
    # A rolled-back transaction drops its callbacks: the batch is then no longer waiting.
    waiting = batch is not None and not batch.sent and connection.in_atomic_block
    if waiting and any(entry[1] == batch.send for entry in connection.run_on_commit):
        batch.keys |= keys
        return
    batch = _local.batch = _Batch(keys)
    transaction.on_commit(batch.send, robust=True)
