"""The site in two languages: Chinese at the root (/114/…), the default and the language of
the plan itself, and English under /en/ (/en/114/budget/2-2/).

The language is read from the address alone, never from a cookie or Accept-Language: an
address always answers the same page, so the page cache, Varnish and a CDN keep the two
languages apart without a Vary header. LanguageMiddleware (plan/web/middleware.py) activates
the language and takes /en off the path it resolves; `year_prefix._prefix()` puts it back in
front of every link made while the English page is answered.
"""

from django.utils import translation

CHINESE = "zh-hant"
ENGLISH = "en"
ENGLISH_PREFIX = "/en"
# The value of <html lang> and hreflang for each language (BCP 47, as the design asks).
HTML_LANG = {CHINESE: "zh-Hant-TW", ENGLISH: "en"}
# og:locale
OG_LOCALE = {CHINESE: "zh_TW", ENGLISH: "en_US"}


def split_language(path: str) -> tuple[str, str]:
    """`/en/114/budget/` -> ("en", "/114/budget/"); `/114/` -> ("zh-hant", "/114/")."""
    if path == ENGLISH_PREFIX or path.startswith(ENGLISH_PREFIX + "/"):
        return ENGLISH, path[len(ENGLISH_PREFIX) :] or "/"
    return CHINESE, path


def current() -> str:
    return ENGLISH if is_english() else CHINESE


def is_english() -> bool:
    """Whether the page being answered is an English one (under /en/)."""
    return translation.get_language() == ENGLISH


def language_prefix() -> str:
    """What goes in front of the year in the links of the page being answered."""
    return ENGLISH_PREFIX if is_english() else ""


def localized(path: str, language: str) -> str:
    """The same address in `language`: `/114/budget/2-2/` <-> `/en/114/budget/2-2/`."""
    _, rest = split_language(path)
    return ENGLISH_PREFIX + rest if language == ENGLISH else rest


def language_paths(path: str) -> dict[str, str]:
    """The address of this page in each language, Chinese first."""
    return {language: localized(path, language) for language in (CHINESE, ENGLISH)}
