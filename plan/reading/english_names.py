"""The site's own English names (the plan folder's english.toml): the agency, the plan, the
six 類 and the goals' short titles, for the English pages. They are the site's translations,
shown beside the published Chinese and labelled as such; everything else the plan says stays
in Chinese. A name whose Chinese no longer matches the plan's is not used (`checkplan` fails on
it, `missing_names()`)."""

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext

from plan.addresses.languages import is_english


@dataclass(frozen=True)
class EnglishNames:
    agency: str = ""
    plan_title: str = ""
    header_title: str = ""  # the title under the agency's name in the header, short for phones
    # 類 code -> (Chinese, English); goal number -> (Chinese, English)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    goals: dict[int, tuple[str, str]] = field(default_factory=dict)


def english_names(plan) -> EnglishNames:
    """The names of `plan`'s folder (none for a plan without one). Asked for every name an
    English page shows, so it only looks at the file's date: the folder's plan.toml is not
    parsed again (plan_folder() would), and the names are read again only when it changed."""
    if plan is None:
        return EnglishNames()
    path = Path(settings.PLANS_DIR) / plan.slug / "english.toml"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return EnglishNames()
    return _read(path, mtime)


@lru_cache(maxsize=8)
def _read(path, mtime: float) -> EnglishNames:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pair = lambda entry: (entry["zh"], entry["en"])  # noqa: E731
    return EnglishNames(
        agency=data.get("agency", ""),
        plan_title=data.get("plan_title", ""),
        header_title=data.get("header_title", ""),
        categories={code: pair(each) for code, each in data.get("categories", {}).items()},
        goals={int(number): pair(each) for number, each in data.get("goals", {}).items()},
    )


def plan_title(plan, *, english: bool) -> str:
    """The plan's title: the site's English one on English pages (the published one when the
    folder has none), the published Chinese otherwise."""
    if english:
        return english_names(plan).plan_title or plan.title
    return plan.title


def header_title(plan, *, english: bool) -> str:
    """What the header says under the agency's name: 「114 年度施政計畫」; on English pages the
    folder's short English title ("FY2025 Plan"), or its full one without the agency's name."""
    if english:
        names = english_names(plan)
        if names.header_title:
            return names.header_title
        if names.plan_title:
            return names.plan_title.removeprefix(names.agency).strip() or names.plan_title
    return plan.title_after_agency


def plan_label(plan, *, english: bool) -> str:
    """A link's name for a plan: its title; on English pages the site's English title, or for a
    plan whose folder has none, its year in English (never Chinese in an English link)."""
    if not english:
        return plan.title
    return english_names(plan).plan_title or gettext(
        "%(year)s 年度（%(gregorian)s 年）的施政計畫"
    ) % {"year": plan.fiscal_year, "gregorian": plan.gregorian_year}


def category_name(plan, code: str, chinese: str) -> str:
    """The English name of the 類 `code`, when its Chinese is still `chinese`; else ""."""
    zh, en = english_names(plan).categories.get(code, ("", ""))
    return en if zh == chinese else ""


def goal_title(plan, number: int, chinese: str) -> str:
    zh, en = english_names(plan).goals.get(number, ("", ""))
    return en if zh == chinese else ""


def goal_label(goal, *, english: bool) -> str:
    """How the site numbers a goal: 「提要四」; "Goal 4" on English pages."""
    if english:
        return gettext("提要%(number)s") % {"number": goal.number}
    return goal.label


def goal_plain_title(plan, goal, *, english: bool) -> str:
    """A goal's number and short title where nothing can be marked as Chinese (a page's
    title, a link preview, previous/next): 「提要四：節能減碳」; in English the site's English
    name alone, "Goal 4: Energy saving and carbon reduction" ("Goal 4" without one)."""
    if not english:
        return goal.title
    label = goal_label(goal, english=True)
    name = goal_title(plan, goal.number, goal.short_title)
    return f"{label}: {name}" if name else label


def missing_names(plan, categories, goals) -> list[str]:
    """What has no English name, or one for a Chinese the plan no longer says: categories as
    (code, name), goals as (number, short title)."""
    problems = []
    for code, name in categories:
        if not category_name(plan, code, name):
            problems.append(f"類 {code} 「{name}」 has no English name in english.toml")
    for number, title in goals:
        if title and not goal_title(plan, number, title):
            problems.append(f"goal {number} 「{title}」 has no English name in english.toml")
    return problems


# ---------------------------------------------------------------- names as the pages show them

LEVEL_WORDS = {"item": "item", "subitem": "sub-item"}


def _published(record) -> str:
    """The name as the plan (or, for a goal, the site's Chinese short title) gives it."""
    return record.title if _is_goal(record) else record.label


def _is_goal(record) -> bool:
    return hasattr(record, "short_title") and hasattr(record, "number")


def english_of(plan, record) -> str:
    """The site's English name of a 類, or of a goal with its number ("Goal 4: Energy saving
    and carbon reduction"); "" for other records and where none is given."""
    if getattr(record, "level", None) == "category":
        return category_name(plan, record.code, record.name)
    if _is_goal(record):
        title = goal_title(plan, record.number, record.short_title)
        return f"Goal {record.number}: {title}" if title else ""
    return ""


def name_html(plan, record) -> str:
    """A budget line's, a measure's or a goal's name as a page shows it: as published, marked
    lang="zh-Hant-TW"; on an English page, a 類's or a goal's English name before it, the
    Chinese in brackets: "Precinct operations (參、分局業務)"."""
    chinese = format_html('<span lang="zh-Hant-TW">{}</span>', _published(record))
    english = english_of(plan, record) if is_english() else ""
    return format_html("{} ({})", english, chinese) if english else chinese


def plain_name(plan, record) -> str:
    """A record named where no markup can mark Chinese (a page's title, a link preview, a
    frame's title): the published name on Chinese pages; in English, a 類 or a goal by its
    English name, anything else by its level and code under its 類, as inside a sentence
    ("sub-item 2-2-3 of Policing and security operations", "measure 1 of item 3-1 of
    Precinct operations"; `capfirst` where it begins one)."""
    if not is_english():
        return _published(record)
    english = english_of(plan, record)
    if english:
        return english
    if hasattr(record, "budget_line_id"):  # a measure
        # Its place under its line: the printed numbering may be Chinese ((一), 一、).
        return f"measure {record.position} of {plain_name(plan, record.budget_line)}"
    category = record.ancestors[0] if record.ancestors else None
    where = english_of(plan, category) if category is not None else ""
    line = f"{LEVEL_WORDS.get(record.level, 'line')} {record.code}"
    return f"{line} of {where}" if where else line


def marked(text: str) -> str:
    """The plan's text inside a sentence of the site's: marked lang="zh-Hant-TW" on English
    pages, as it is (escaped) on Chinese ones, where the sentence around it is Chinese too."""
    if is_english():
        return format_html('<span lang="zh-Hant-TW">{}</span>', text)
    return conditional_escape(text)
