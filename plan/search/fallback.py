"""When a query finds nothing: the longest parts of it that do occur.

Readers type phrases without spaces (「詐騙集團防制宣導」); when no record holds a whole term,
the site looks for the longest pieces of the query (at least two characters, one of them a
Chinese character) that some searched text holds, and shows the records that hold all of them
or, when none does, any of them, saying so. Each term is read as typed and as converted to
Traditional Chinese (plan/search/terms.py); a term that occurs whole is its own longest part, so
a query of several terms no record holds together falls back to the longest of them.

Pieces of Latin letters, digits and punctuation alone are not used: words in those scripts are
separated by spaces, and two letters of one (「er」 of 「onerror」) mean nothing.
"""

from dataclasses import dataclass

from .terms import Term, is_ideograph

MIN_PART_LENGTH = 2


@dataclass(frozen=True)
class Fallback:
    parts: tuple[str, ...]  # folded, in the order the query has them
    every_part: bool = True  # the records shown hold every part (else: at least one)


def longest_pieces(text: str, corpus: str) -> list[str]:
    """For each start in `text`, the longest piece from there that `corpus` holds; only the
    pieces no other covers. Two pointers: the end never moves back, so at most 2·len(text)
    lookups."""
    pieces: list[str] = []
    end = 0
    for start in range(len(text)):
        end = max(end, start)
        while end < len(text) and text[start : end + 1] in corpus:
            end += 1
        if end - start >= MIN_PART_LENGTH and not (pieces and text[start:end] in pieces[-1]):
            pieces.append(text[start:end])
    return pieces


def fallback_parts(terms: list[Term], texts: list[str]) -> Fallback | None:
    """The longest pieces of the terms (typed or converted, folded) that one of the searched
    `texts` (folded) holds; None when no piece of two characters does."""
    corpus = "\n".join(texts)
    found: list[str] = []
    for term in terms:
        for alternative in term.alternatives:
            if alternative.source != "synonym":
                pieces = longest_pieces(alternative.folded, corpus)
                found += [piece for piece in pieces if any(map(is_ideograph, piece))]
    if not found:
        return None
    longest = max(len(piece) for piece in found)
    return Fallback(tuple(dict.fromkeys(piece for piece in found if len(piece) == longest)))
