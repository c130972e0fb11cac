"""README.md and docs/*.md: links, anchors, the map of docs and the README's opening; written by
hand because LinkChecker (PyPI) checks HTML pages and URLs, not Markdown files and their anchors."""

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_README_LINES = 200
GENERIC_HEADINGS: set[str] = set()  # headings that several docs may share word for word


def _outside_code(path: Path) -> list[str]:
    """The file's lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def _headings(path: Path) -> list[str]:
    return [m[2] for line in _outside_code(path) if (m := HEADING.match(line))]


def _slug(heading: str) -> str:
    """GitHub's anchor: lower case, punctuation but hyphens dropped, spaces become hyphens."""
    text = LINK.sub(r"\1", heading).strip().lower()
    kept = (c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return "".join(kept).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors, seen = set(), defaultdict(int)
    for heading in _headings(path):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return anchors


def _links(path: Path) -> list[str]:
    text = re.sub(r"`[^`]*`", "", "\n".join(_outside_code(path)))
    return [m[2] for m in LINK.finditer(text) if not re.match(r"[a-z]+:", m[2])]


def test_every_relative_link_and_anchor_resolves():
    broken = []
    for page in [README, *DOCS]:
        for link in _links(page):
            name, _, anchor = link.partition("#")
            target = (page.parent / name).resolve() if name else page
            if not target.is_relative_to(ROOT) or not target.exists():
                broken.append(f"{page.name}: {link} (no such file)")
            elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
                broken.append(f"{page.name}: {link} (no such heading)")
    assert broken == []


def test_every_doc_is_linked_from_the_readme():
    linked = {(ROOT / link.partition("#")[0]).resolve() for link in _links(README)}
    assert DOCS, "no docs/*.md found"
    assert [doc.name for doc in DOCS if doc not in linked] == []


def test_the_readme_is_short_and_opens_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES
    body = [line for line in lines if line.strip() and not line.startswith("# ")]
    assert body[0].startswith("```"), "the README's first thing is a code block"
    block = body[1 : body.index("```", 1)]
    assert [line.split("#")[0].strip() for line in block] == ["make run", "make test"]


def test_no_two_docs_share_a_section_heading():
    where = defaultdict(set)
    for page in [README, *DOCS]:
        for heading in _headings(page):
            where[heading].add(page.name)
    shared = {h: sorted(pages) for h, pages in where.items() if len(pages) > 1}
    assert {h: p for h, p in shared.items() if h not in GENERIC_HEADINGS} == {}
