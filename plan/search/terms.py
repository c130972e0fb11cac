"""How a search term is read: folded, converted from Simplified Chinese, widened by synonyms.

- **Folding**, applied alike to the query and to every searched text: Unicode NFKC (full-width
  letters, digits and punctuation become the usual ones: １１０ → 110, （ → (; compatibility
  ideographs and Kangxi radicals, as PDF extractions print them, become the ordinary
  characters), then case folding, then NFKC again (case folding can undo it).
- **Conversion**: the term is also searched as OpenCC converts it from Simplified to
  Traditional Chinese with Taiwan's words (config s2twp: 诈骗 → 詐騙, 网络 → 網路). The term as
  typed is kept too, since the conversion also changes some Traditional characters (台 → 臺).
- **Synonyms**: for each group of the synonym table (plan/search/synonyms.py) whose word occurs in
  the term (the longest such word), the term with that word replaced by each other word of the
  group (詐騙集團 → 詐欺集團).

A record matches a term when one of its searched texts, folded, holds any of the term's
alternatives. Everything here is plain Python, the same on every database.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import opencc

from plan.content import published

MAX_ALTERNATIVES = 12
OPENCC_CONFIG = "s2twp"
# Code points above this have no decomposition, so folding cannot change them.
_LAST_DECOMPOSABLE = 0x2FFFF


def fold(text: str) -> str:
    """The form every comparison uses: NFKC, case folding, NFKC."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


_converter_lock = threading.Lock()


@cache
def _converter():
    return opencc.OpenCC(OPENCC_CONFIG)


def to_traditional(text: str) -> str:
    """「诈骗」 -> 「詐騙」 (OpenCC, Simplified to Traditional with Taiwan's words)."""
    with _converter_lock:
        return _converter().convert(text)


@dataclass(frozen=True)
class Alternative:
    text: str  # as shown to the reader
    folded: str  # as compared
    source: str  # "typed", "converted" or "synonym"


@dataclass(frozen=True)
class Term:
    typed: str
    alternatives: tuple[Alternative, ...]  # the typed form first

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(alternative.folded for alternative in self.alternatives)

    @property
    def added(self) -> tuple[Alternative, ...]:
        """What the reader did not type: the conversion and the synonyms."""
        return self.alternatives[1:]


@dataclass(frozen=True)
class SynonymGroup:
    words: tuple[tuple[str, str], ...]  # (as written, folded)

    def patterns(self):
        """(word, folded, regex) from the longest word: a word of Latin letters or digits
        matches only as a whole word (「AI」 is not the ai of 「email」)."""
        for word, folded in sorted(self.words, key=lambda each: -len(each[1])):
            escaped = re.escape(folded)
            if folded.isascii() and folded.isalnum():
                escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
            yield word, folded, re.compile(escaped)


@lru_cache(maxsize=8)
def _groups(synonyms: tuple[tuple[str, ...], ...]) -> tuple[SynonymGroup, ...]:
    return tuple(
        SynonymGroup(tuple((word, fold(word)) for word in words)) for words in synonyms if words
    )


def synonym_groups() -> tuple[SynonymGroup, ...]:
    """The synonym table as published now (read with the data version, no query of its own)."""
    return _groups(published.current().synonyms)


def expand(typed: str, groups: tuple[SynonymGroup, ...]) -> Term:
    """The term as typed, converted and widened by synonyms, without repeats."""
    found: dict[str, Alternative] = {}

    def add(text: str, source: str) -> None:
        folded = fold(text)
        if folded and folded not in found and len(found) < MAX_ALTERNATIVES:
            found[folded] = Alternative(text, folded, source)

    add(typed, "typed")
    add(to_traditional(unicodedata.normalize("NFKC", typed)), "converted")
    for base in list(found.values()):
        for group in groups:
            for _word, folded, pattern in group.patterns():
                if not pattern.search(base.folded):
                    continue
                for other, other_folded in group.words:
                    if other_folded != folded:
                        add(pattern.sub(lambda _match, other=other: other, base.folded), "synonym")
                break  # the longest word of the group the term holds
    return Term(typed, tuple(found.values()))


# ---------------------------------------------------------------- narrowing in the database


@cache
def _folded_from_others() -> frozenset[str]:
    """Every character that folding makes out of some other character (㈠ -> (一), ⾏ -> 行,
    ０ -> 0, Ａ -> a …): a text can hold these without holding the character itself."""
    made = set()
    for point in range(_LAST_DECOMPOSABLE + 1):
        character = chr(point)
        if unicodedata.decomposition(character) or character.casefold() != character:
            folded = fold(character)
            if folded != character:
                made.update(folded)
    return frozenset(made)


def is_ideograph(character: str) -> bool:
    return unicodedata.name(character, "").startswith("CJK UNIFIED IDEOGRAPH")


def is_latin_query(text: str) -> bool:
    """Letters of the Latin alphabet (full-width too) and no Chinese character: most likely a
    reader typing English, which the plan, published in Chinese, hardly holds."""
    folded = fold(text or "")
    return bool(re.search("[a-z]", folded)) and not any(map(is_ideograph, folded))


def _is_anchor_character(character: str) -> bool:
    """A CJK ideograph that only itself folds to: where a folded text holds it, the stored
    text holds it too, literally and in the same place (ideographs have no case, never
    compose, never reorder)."""
    return is_ideograph(character) and character not in _folded_from_others()


def anchor(folded: str) -> str:
    """The longest run of anchor characters in a folded alternative ("" if none): every stored
    text whose folded form holds the alternative holds this run as it is, so the database can
    narrow with a plain `contains`, the same on SQLite and PostgreSQL."""
    runs = re.findall(r"\S+", "".join(c if _is_anchor_character(c) else " " for c in folded))
    return max(runs, key=len, default="")
