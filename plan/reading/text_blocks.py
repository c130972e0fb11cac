"""Turn a measure's objectives/approach text into blocks for reading: paragraphs and lists.

The text keeps the document's own numbering ("1.", "(1)"); items numbered "(1)" nest under
the "1." item above them, and a list that starts again at "1." is a new list. The printed
numbers are shown as printed, never renumbered.
"""

import re
from dataclasses import dataclass, field

_TOP = re.compile(r"^(\d{1,2}\.)(?!\d)\s*(.*)$", re.S)
_SUB = re.compile(r"^(\(\d{1,2}\))\s*(.*)$", re.S)


@dataclass
class Item:
    number: str
    text: str
    children: list["Item"] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # "p" or "ol"
    text: str = ""
    items: list[Item] = field(default_factory=list)


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for line in filter(None, (line.strip() for line in text.split("\n"))):
        top, sub = _TOP.match(line), _SUB.match(line)
        current = blocks[-1] if blocks and blocks[-1].kind == "ol" else None
        if top:
            # A list that starts again at 1. is the next objective's group: a new list.
            if current is None or (top.group(1) == "1." and current.items):
                current = Block("ol")
                blocks.append(current)
            current.items.append(Item(top.group(1), top.group(2)))
        elif sub:
            if current is not None and current.items:
                current.items[-1].children.append(Item(sub.group(1), sub.group(2)))
            else:
                if current is None:
                    current = Block("ol")
                    blocks.append(current)
                current.items.append(Item(sub.group(1), sub.group(2)))
        else:
            blocks.append(Block("p", text=line))
    return blocks
