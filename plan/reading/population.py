"""How many people live in the city, for readings per resident: from the plan folder's
plan.toml ([population]: residents, as_of, what, source, url, and what_en and source_en for
the English pages), with its source and date."""

import datetime
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from plan.addresses.languages import is_english
from plan.document.folders import plan_folder


@dataclass(frozen=True)
class Population:
    residents: int
    as_of: datetime.date
    what: str  # e.g. 「113 年 12 月底戶籍登記人口」
    source: str
    url: str
    what_en: str = ""  # e.g. "household-registered population at the end of December 2024"
    source_en: str = ""

    @property
    def shown_what(self) -> str:
        """`what` in the page's language (the Chinese where no English is given)."""
        return self.what_en if is_english() and self.what_en else self.what

    @property
    def shown_source(self) -> str:
        return self.source_en if is_english() and self.source_en else self.source


def population(plan) -> Population | None:
    """The plan's resident figure; None for a plan without one (no folder, no [population])."""
    folder = plan_folder(plan.slug)
    if folder is None:
        return None
    path = folder.path / "plan.toml"
    return _read(path, path.stat().st_mtime)


@lru_cache(maxsize=8)
def _read(path, mtime: float) -> Population | None:
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("population")
    if not data:
        return None
    return Population(
        int(data["residents"]),
        data["as_of"],
        data["what"],
        data["source"],
        data.get("url", ""),
        data.get("what_en", ""),
        data.get("source_en", ""),
    )
