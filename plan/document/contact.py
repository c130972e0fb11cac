"""How a reader reaches the agency that published a plan: the [contact] tables of its folder's
plan.toml, each detail with the public page it was read from (docs/data.md, "The plan
folders"). A detail the folder does not give is None, and the pages say nothing of it.
"""

import re
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from plan.addresses.languages import CHINESE, ENGLISH, HTML_LANG, is_english

from .folders import PlanFolderError, plan_folders


@dataclass(frozen=True)
class Detail:
    value: str
    source: str  # the public page the value was read from
    note: str = ""  # shown with the value, e.g. 「24 小時全年無休」
    note_en: str = ""  # the same note on the English pages, e.g. "24 hours a day, all year"

    @property
    def shown_note(self) -> str:
        """The note in the page's language: on English pages its English, else the Chinese
        (inside an element marked with `shown_note_lang`)."""
        if is_english() and self.note_en:
            return self.note_en
        return self.note

    @property
    def shown_note_lang(self) -> str:
        """The language of `shown_note`, for its element's lang attribute."""
        english = is_english() and self.note_en
        return HTML_LANG[ENGLISH] if english else HTML_LANG[CHINESE]

    @property
    def source_site(self) -> str:
        """The source's host, as a reader sees it beside the detail (e.g. kcpd.kcg.gov.tw)."""
        return urlsplit(self.source).netloc

    @property
    def site(self) -> str:
        """For an address on the web: its host, without the scheme."""
        return urlsplit(self.value).netloc

    @property
    def dial(self) -> str:
        """For a telephone number: what a tel: link dials (digits, and a leading +)."""
        return re.sub(r"(?!^\+)\D", "", self.value)


@dataclass(frozen=True)
class Contact:
    website: Detail | None = None  # the agency's own site
    document: Detail | None = None  # this document on the agency's site
    address: Detail | None = None
    phone: Detail | None = None
    email: Detail | None = None
    citizen_line: Detail | None = None  # the city's 1999
    mayor_mailbox: Detail | None = None
    emergency: Detail | None = None  # 110

    def __bool__(self) -> bool:
        """Whether there is any detail to show."""
        return any(getattr(self, field.name) for field in fields(self))


KNOWN = tuple(field.name for field in fields(Contact))


def read_contact(path: Path, tables: dict) -> Contact:
    """The details of a [contact] table; a detail without its value or source, or one the site
    does not know, stops with the file and the detail named (a typo would hide it silently)."""
    details = {}
    for name, table in tables.items():
        if name not in KNOWN:
            raise PlanFolderError(f"{path}: [contact.{name}] is not one of {', '.join(KNOWN)}")
        if not isinstance(table, dict) or not table.get("value") or not table.get("source"):
            raise PlanFolderError(f"{path}: [contact.{name}] needs a value and its source")
        unknown = set(table) - {"value", "source", "note", "note_en"}
        if unknown:
            raise PlanFolderError(f"{path}: [contact.{name}] has unknown keys {sorted(unknown)}")
        details[name] = Detail(
            str(table["value"]),
            str(table["source"]),
            str(table.get("note", "")),
            str(table.get("note_en", "")),
        )
    return Contact(**details)


def contact(plan) -> Contact | None:
    """How to reach the agency that published `plan`; None for a plan without a folder. A
    draft (plan/editing/drafts.py) has a slug of its own: its agency and year find the folder."""
    path = Path(settings.PLANS_DIR) / plan.slug / "plan.toml"
    if not path.exists():
        same = [
            folder.path / "plan.toml"
            for folder in plan_folders()
            if (folder.agency, folder.fiscal_year) == (plan.agency, plan.fiscal_year)
        ]
        if not same:
            return None
        path = same[0]
    return contact_at(path)


def contact_at(path: Path) -> Contact:
    """The [contact] of a plan.toml, read again only when the file changed (`loadplan` reads it
    first, so that a broken table stops the load rather than a page)."""
    return _read(path, path.stat().st_mtime)


@lru_cache(maxsize=8)
def _read(path: Path, mtime: float) -> Contact:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return read_contact(path, data.get("contact", {}))
