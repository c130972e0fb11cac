"""The site's own English names (the plan folder's english.toml): the agency, the plan, the
six 類 and the goals' short titles, for the English pages. They are the site's translations,
shown beside the published Chinese and labelled as such; everything else the plan says stays
in Chinese. A name whose Chinese no longer matches the plan's is not used (`checkplan` fails on
it, `missing_names()`)."""

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext

from plan.document.folders import plan_folder


@dataclass(frozen=True)
class EnglishNames:
    agency: str = ""
    plan_title: str = ""
    # 類 code -> (Chinese, English); goal number -> (Chinese, English)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    goals: dict[int, tuple[str, str]] = field(default_factory=dict)


def english_names(plan) -> EnglishNames:
    folder = plan_folder(plan.slug) if plan is not None else None
    if folder is None:
        return EnglishNames()
    path = folder.path / "english.toml"
    if not path.exists():
        return EnglishNames()
    return _read(path, path.stat().st_mtime)


@lru_cache(maxsize=8)
def _read(path, mtime: float) -> EnglishNames:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pair = lambda entry: (entry["zh"], entry["en"])  # noqa: E731
    return EnglishNames(
        agency=data.get("agency", ""),
        plan_title=data.get("plan_title", ""),
        categories={code: pair(each) for code, each in data.get("categories", {}).items()},
        goals={int(number): pair(each) for number, each in data.get("goals", {}).items()},
    )


def plan_title(plan, *, english: bool) -> str:
    """The plan's title: the site's English one on English pages (the published one when the
    folder has none), the published Chinese otherwise."""
    if english:
        return english_names(plan).plan_title or plan.title
    return plan.title


def agency_name(plan, *, english: bool) -> str:
    """The agency that published the plan: its English name on English pages (the published
    Chinese when the folder gives none)."""
    if english:
        return english_names(plan).agency or plan.agency
    return plan.agency


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
