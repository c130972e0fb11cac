"""What a search tells the reader about the query (the page and the API say the same), in the
language of the page: the API answers in Chinese. The words the reader typed and the plan's
words are put in as they are (the page marks them as Chinese)."""

from django.utils.translation import gettext, gettext_lazy, pgettext

from .engine import EXAMPLE_QUERIES, MAX_QUERY_LENGTH, MAX_TERMS

SOURCE_LABELS = {"converted": gettext_lazy("繁體字"), "synonym": gettext_lazy("同義詞")}


def _quoted(words) -> str:
    """「詐騙」「酒駕」 (in English: “詐騙”, “酒駕”)."""
    between = pgettext("between quoted words", "」「")
    return gettext("「%(words)s」") % {"words": between.join(words)}


def _listed(words) -> str:
    """「詐騙」、「酒駕」 (in English: “詐騙”, “酒駕”)."""
    return pgettext("list separator", "、").join(_quoted([word]) for word in words)


def notices(
    *, q: str, q_invalid: bool, kind: str, category: str, result, latin_query: bool = False
) -> list[str]:
    """What the search page (and the API) tells the reader about the query: what was left out
    or added, and what it found instead when nothing matched. `latin_query`: the page says
    itself that the plan is in Chinese, instead of the usual "nothing found"."""
    query = result.query
    if q_invalid:
        return [gettext("搜尋字詞含有無法處理的字元，請重新輸入。")]
    if not q:
        return [
            gettext("請輸入要搜尋的字詞，例如%(examples)s；以空白分隔多個詞表示要同時符合。")
            % {"examples": _quoted(EXAMPLE_QUERIES[:3])}
        ]
    said = []
    if query.too_long:
        said.append(
            gettext("搜尋字詞過長，只使用前 %(count)s 個字。") % {"count": MAX_QUERY_LENGTH}
        )
    if query.ignored:
        said.append(
            gettext("每個詞至少要兩個字，已略過：%(terms)s。") % {"terms": _listed(query.ignored)}
        )
    if query.dropped:
        said.append(
            gettext("一次最多搜尋 %(count)s 個詞，已略過：%(terms)s。")
            % {"count": MAX_TERMS, "terms": _listed(query.dropped)}
        )
    added = [
        gettext("%(word)s（%(source)s）")
        % {"word": alternative.text, "source": SOURCE_LABELS[alternative.source]}
        for term in query.expanded
        for alternative in term.added
    ]
    if added and not result.fallback:
        separator = pgettext("list separator", "、")
        said.append(gettext("也搜尋了：%(words)s。") % {"words": separator.join(added)})
    if not query.usable:
        said.append(gettext("請輸入至少兩個字的詞。"))
    elif result.fallback and result.total:
        said.append(_fallback_notice(query, result.fallback))
    elif not result.total and kind == "goal" and category:
        said.append(gettext("施政提要不屬於任何預算類別；請取消「預算類別」篩選再搜尋提要。"))
    elif not result.total and not latin_query:
        said.append(
            gettext(
                "找不到含有%(terms)s的資料，其中也沒有兩個字以上的片段出現在計畫裡；"
                "可以換個說法，或試試%(examples)s。"
            )
            % {"terms": _quoted(query.terms), "examples": _quoted(EXAMPLE_QUERIES[:3])}
        )
    return said


def _fallback_notice(query, fallback) -> str:
    """Nothing held the whole query: which of its longest parts the results hold instead."""
    if len(query.terms) > 1:
        missing = gettext("找不到同時符合這些詞的資料。")
    else:
        missing = gettext("找不到含有%(terms)s的資料。") % {"terms": _quoted(query.terms)}
    parts = _quoted(fallback.parts)
    if len(fallback.parts) == 1:
        shown = gettext("以下改為列出含有其中最長的片段%(parts)s的資料，也搜尋了同義詞與繁體字。")
    elif fallback.every_part:
        shown = gettext(
            "以下改為列出含有其中最長的片段%(parts)s（每一個都有）的資料，也搜尋了同義詞與繁體字。"
        )
    else:
        shown = gettext(
            "以下改為列出含有其中最長的片段%(parts)s之一（沒有資料同時含有這些片段）的資料，"
            "也搜尋了同義詞與繁體字。"
        )
    # The English of `missing` ends with the space between the two sentences.
    return missing + shown % {"parts": parts}
