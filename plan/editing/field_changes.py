"""One field's change as the public log and the admin show it: old and new value, and for
long texts what was deleted and inserted, character by character."""

import difflib
from dataclasses import dataclass

# Texts at least this long get a character-level difference beside their old and new values.
DIFF_FROM_LENGTH = 40
DIFF_CONTEXT = 12


@dataclass(frozen=True)
class DiffSegment:
    kind: str  # "same", "del" or "ins"
    text: str


def _context(same: str, *, first: bool, last: bool) -> str:
    """An unchanged stretch, shortened: the end of it before the first change, the start of it
    after the last, both ends between two changes."""
    keep = DIFF_CONTEXT
    if first:
        return same if len(same) <= keep else "…" + same[-keep:]
    if last:
        return same if len(same) <= keep else same[:keep] + "…"
    return same if len(same) <= 2 * keep else same[:keep] + "…" + same[-keep:]


def character_diff(old: str, new: str) -> list[DiffSegment]:
    """What was deleted and inserted, character by character, with a little unchanged context
    around each change."""
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    segments = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            segments.append(DiffSegment("same", _context(old[i1:i2], first=first, last=last)))
            continue
        if i2 > i1:
            segments.append(DiffSegment("del", old[i1:i2]))
        if j2 > j1:
            segments.append(DiffSegment("ins", new[j1:j2]))
    return segments


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def diff(self) -> list[DiffSegment]:
        """A character-level difference for long texts that were changed (not set or cleared)."""
        if not (self.old and self.new) or max(len(self.old), len(self.new)) < DIFF_FROM_LENGTH:
            return []
        return character_diff(self.old, self.new)

    @property
    def diff_text(self) -> str:
        """The difference as plain text, for the feed: 「…維護〔刪：之〕〔增：（修訂）〕。」."""
        marks = {"same": "{}", "del": "〔刪：{}〕", "ins": "〔增：{}〕"}
        return "".join(marks[segment.kind].format(segment.text) for segment in self.diff)
