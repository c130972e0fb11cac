"""What an English page still says in Chinese outside the plan's own text.

On the English pages the plan's text (goals, names, measures, the source lines) stays as
published and is marked lang="zh-Hant-TW"; everything else is the site's own words and must be
English. `untranslated(html)` lists the Chinese a reader would meet outside such a mark: text,
and the attributes people and screen readers meet (title, aria-label, placeholder, alt, the
description and the shared link's texts).

A <textarea> is left out: a form control cannot mark part of its text as Chinese, and the one
the pages have for reading (a citation to copy) quotes the plan's names as published inside
its English, so that the record can be found in the Chinese document.
"""

import re
from html.parser import HTMLParser

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
READ_META = ("description", "og:title", "og:description", "og:site_name", "og:image:alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.langs: list[tuple[str, str]] = []  # (tag, lang) of open elements
        self.found: list[str] = []

    def _chinese_scope(self) -> bool:
        for _, lang in reversed(self.langs):
            if lang:
                return lang.lower().startswith("zh")
        return False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or ""
        if tag not in VOID:
            self.langs.append((tag, lang))
        scope = lang.lower().startswith("zh") if lang else self._chinese_scope()
        if scope:
            return
        for name in READ_ATTRIBUTES:
            if CHINESE.search(attrs.get(name) or ""):
                self.found.append(f"<{tag} {name}>: {attrs[name]}")
        key = attrs.get("name") or attrs.get("property")
        if tag == "meta" and key in READ_META and CHINESE.search(attrs.get("content") or ""):
            self.found.append(f"<meta {key}>: {attrs['content']}")

    def handle_endtag(self, tag):
        for index in range(len(self.langs) - 1, -1, -1):
            if self.langs[index][0] == tag:
                del self.langs[index:]
                return

    def handle_data(self, data):
        if self.langs and self.langs[-1][0] in ("script", "style", "textarea"):
            return
        if CHINESE.search(data) and not self._chinese_scope():
            self.found.append(" ".join(data.split()))


def untranslated(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return reader.found


def chinese_marked(element) -> list[str]:
    """The texts marked lang="zh-Hant-TW" in `element` (a tests/support/html.py Element)."""
    return [
        re.sub(r"\s+", " ", each.text()).strip()
        for each in element.iter()
        if each.attrs.get("lang") == "zh-Hant-TW"
    ]


# What shared includes put inside <main> (translated with the header and footer).
SHARED_IN_MAIN = (r'<a class="accesskey".*?</a>', r'<nav class="breadcrumbs".*?</nav>')
# A citation quotes the plan's names in Chinese inside its English on purpose.
CITATION = r'<textarea class="citation-text".*?</textarea>'
# Every sortable table's hint, a shared include.
SORT_HINT = r'<span class="sort-hint">.*?</span>'


def own_words(html: str, *also: str) -> str:
    """The page's own part of <main>: without what shared includes put there, nor what the
    patterns `also` match."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    for pattern in (*SHARED_IN_MAIN, *also):
        main = re.sub(pattern, "", main, flags=re.S)
    return main
