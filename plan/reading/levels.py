"""The budget's three levels (類 > 項 > 目) in the phrases the pages build around them, in the
page's language: how many lines of a level (「9 個目」, "9 sub-items"), the lines of a level
together (「各目」, "the sub-items") and what a line of a level is (「目級預算項目」, "a
sub-item of the budget"). English needs a plural and an article the Chinese does not, so each
phrase is a message of its own rather than the level's name (BudgetLine.Level, whose labels
are category, item and sub-item in English) put into a sentence.

Levels are the stored values: "category", "item", "subitem".
"""

from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext

from .english_names import name_html

# Each level's name as the plan prints it (and the glossary lists it).
CHINESE = {"category": "類", "item": "項", "subitem": "目"}


def count_text(level: str, count: int) -> str:
    """「9 個目」 / "9 sub-items"."""
    if level == "category":
        text = ngettext("%(count)s 個類", "%(count)s 個類", count)
    elif level == "item":
        text = ngettext("%(count)s 個項", "%(count)s 個項", count)
    else:
        text = ngettext("%(count)s 個目", "%(count)s 個目", count)
    return text % {"count": count}


def lines_text(level: str) -> str:
    """The lines of a level together, as in 「各目的頁面」: 「目」 / "sub-items"."""
    if level == "category":
        return pgettext("the lines of a level", "類")
    if level == "item":
        return pgettext("the lines of a level", "項")
    return pgettext("the lines of a level", "目")


def kind_text(level: str) -> str:
    """What a line of the level is, to begin a page's summary: 「目級預算項目」 /
    "A sub-item of the budget"."""
    if level == "category":
        return gettext("類級預算項目")
    if level == "item":
        return gettext("項級預算項目")
    return gettext("目級預算項目")


def split_caption(plan, line, children) -> str:
    """The caption of a line's split among its children: 「(三)外事業務分為 9 個目」, the
    line's name marked as Chinese (English pages: "… is split into 9 sub-items")."""
    return format_html(
        gettext("{line}分為 {parts}"),
        line=name_html(plan, line),
        parts=count_text(children[0].level, len(children)),
    )
