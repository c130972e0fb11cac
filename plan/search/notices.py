"""What a search tells the reader about the query (the page and the API say the same)."""

from .engine import EXAMPLE_QUERIES, MAX_TERMS

SOURCE_LABELS = {"converted": "繁體字", "synonym": "同義詞"}


def _quoted(words) -> str:
    return "".join(f"「{word}」" for word in words)


def notices(*, q: str, q_invalid: bool, kind: str, category: str, result) -> list[str]:
    """What the search page (and the API) tells the reader about the query: what was left out
    or added, and what it found instead when nothing matched."""
    query = result.query
    if q_invalid:
        return ["搜尋字詞含有無法處理的字元，請重新輸入。"]
    if not q:
        return [
            "請輸入要搜尋的字詞，例如「監視器」「酒駕」「詐騙」；以空白分隔多個詞表示要同時符合。"
        ]
    said = []
    if query.too_long:
        said.append("搜尋字詞過長，只使用前 100 個字。")
    if query.ignored:
        said.append(f"每個詞至少要兩個字，已略過：{'、'.join(f'「{t}」' for t in query.ignored)}。")
    if query.dropped:
        dropped = "、".join(f"「{term}」" for term in query.dropped)
        said.append(f"一次最多搜尋 {MAX_TERMS} 個詞，已略過：{dropped}。")
    added = [
        f"{alternative.text}（{SOURCE_LABELS[alternative.source]}）"
        for term in query.expanded
        for alternative in term.added
    ]
    if added and not result.fallback:
        said.append(f"也搜尋了：{'、'.join(added)}。")
    if not query.usable:
        said.append("請輸入至少兩個字的詞。")
    elif result.fallback and result.total:
        what = "同時符合這些詞" if len(query.terms) > 1 else f"含有{_quoted(query.terms)}"
        parts = _quoted(result.fallback.parts)
        if len(result.fallback.parts) == 1:
            held = f"其中最長的片段{parts}"
        elif result.fallback.every_part:
            held = f"其中最長的片段{parts}（每一個都有）"
        else:
            held = f"其中最長的片段{parts}之一（沒有資料同時含有這些片段）"
        said.append(f"找不到{what}的資料。以下改為列出含有{held}的資料，也搜尋了同義詞與繁體字。")
    elif not result.total and kind == "goal" and category:
        said.append("施政提要不屬於任何預算類別；請取消「預算類別」篩選再搜尋提要。")
    elif not result.total:
        said.append(
            f"找不到含有{_quoted(query.terms)}的資料，其中也沒有兩個字以上的片段出現在計畫裡；"
            f"可以換個說法，或試試{_quoted(EXAMPLE_QUERIES[:3])}。"
        )
    return said
