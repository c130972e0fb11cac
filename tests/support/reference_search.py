"""The search as docs/pages.md states it, in plain Python over the committed files (the plan fixture
and fixtures/synonyms.toml), with no database: what the site must find, in document order.

- Terms: white space separates them (full-width too); repeats and terms under two characters
  are left out (every term counts: the site may use only eight, and must say so).
- Folding, of terms and texts alike: NFKC, case folding, NFKC.
- A term is also searched as OpenCC's s2twp converts it, and, for each synonym group with a
  word in it (the longest), with that word replaced by each other word of the group (a word of
  Latin letters or digits only as a whole word); at most twelve forms.
- A record matches when every term has a form in one of its fields (a goal's text, a line's
  name, a measure's name, 計畫目標 and 實施要領).
"""

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc
from django.conf import settings

PLAN_FILE = Path(settings.BASE_DIR) / "fixtures" / "plans" / "kcpd-114" / "plan.json"
SYNONYMS_FILE = Path(settings.BASE_DIR) / "fixtures" / "synonyms.toml"


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Record:
    kind: str
    code: str
    category: str  # the 類 code; "" for goals
    line: str  # the budget line the record is or belongs to; "" for goals
    amount: int | None  # the record's own amount: budget lines only
    line_amount: int | None  # the amount of `line`
    fields: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.code


@cache
def records() -> tuple[Record, ...]:
    document = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    found = [
        Record("goal", str(goal["number"]), "", "", None, None, (goal["text"],))
        for goal in document["goals"]
    ]

    def walk(nodes):
        for node in nodes:
            category, amount = node["code"].split("-")[0], node["amount"]
            yield Record(
                "line", node["code"], category, node["code"], amount, amount, (node["name"],)
            )
            for measure in node["measures"]:
                fields = (measure["name"], measure["objectives"], measure["approach"])
                yield Record(
                    "measure", measure["code"], category, node["code"], None, amount, fields
                )
            yield from walk(node["children"])

    return tuple(found + list(walk(document["budget"])))


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    groups = tomllib.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))["group"]
    return tuple(tuple(group["words"]) for group in groups)


@cache
def _converter():
    return opencc.OpenCC("s2twp")


def terms(query: str) -> list[str]:
    return [word for word in dict.fromkeys(query.split()) if len(word) >= 2]


def _word_pattern(word: str) -> str:
    escaped = re.escape(word)
    if word.isascii() and word.isalnum():
        return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
    return escaped


def forms(term: str) -> list[str]:
    """The folded forms a term is searched as."""
    found = [fold(term), fold(_converter().convert(unicodedata.normalize("NFKC", term)))]
    found = list(dict.fromkeys(found))
    for base in list(found):
        for group in synonym_groups():
            words = sorted((fold(word) for word in group), key=len, reverse=True)
            present = [word for word in words if re.search(_word_pattern(word), base)]
            if present:
                for other in group:
                    if fold(other) != present[0]:
                        found.append(re.sub(_word_pattern(present[0]), fold(other), base))
    return list(dict.fromkeys(found))[:12]


def search(query: str, kind: str = "", category: str = "") -> list[tuple[str, str]]:
    """(kind, code) of every record holding every term, in document order."""
    wanted = [forms(term) for term in terms(query)]
    if not wanted:
        return []
    return [
        record.key
        for record in records()
        if (not kind or record.kind == kind)
        and (not category or record.category == category)
        and all(any(form in fold(f) for form in alts for f in record.fields) for alts in wanted)
    ]


def record(key: tuple[str, str]) -> Record:
    return next(each for each in records() if each.key == key)
