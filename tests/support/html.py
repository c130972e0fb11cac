"""A small HTML tree for reading pages in tests.

Pages are read through this tree rather than matched as strings, so the assertions follow what
is on the page and survive harmless markup changes.
"""

import html as html_lib
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []  # Elements and strings

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag whose attributes equal `attrs` (class_ matches one class)."""
        wanted_class = attrs.pop("class_", None)
        return [
            el
            for el in self.iter()
            if (tag is None or el.tag == tag)
            and (wanted_class is None or wanted_class in el.classes)
            and all(el.attrs.get(key) == value for key, value in attrs.items())
        ]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def links(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs]

    def cells(self) -> list["Element"]:
        """A table row's th and td children."""
        return [c for c in self.children if isinstance(c, Element) and c.tag in ("th", "td")]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(text: str) -> str:
    """Runs of white space as one space, none at the ends."""
    return re.sub(r"\s+", " ", text).strip()


def text_of(fragment: str) -> str:
    """The text of a fragment cut out with a regex: tags dropped, entities read."""
    # Not str.strip(): the admin list indents labels with ideographic spaces (U+3000).
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip(" \t\r\n")


def page_of(client, url: str) -> Element:
    """The page at `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response.content.decode())


def main_of(client, url: str) -> Element:
    """The <main> of the page at `url`, which must answer 200."""
    return page_of(client, url).find("main")


def headings(main: Element) -> list[str]:
    """The texts of its <h2>s, in order."""
    return [squash(h.text()) for h in main.find_all("h2")]


def described(definitions: Element) -> dict[str, Element]:
    """A <dl> with one <dd> per <dt>, as {the term's text: its <dd>}, in order."""
    terms = [squash(dt.text()) for dt in definitions.find_all("dt")]
    return dict(zip(terms, definitions.find_all("dd"), strict=True))
