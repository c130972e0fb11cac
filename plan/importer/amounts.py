"""Step 5: amounts. 類 and 項 must agree with the summary table; a single line without a
printed amount takes what its parent implies (marked derived); then every sum must hold."""

from plan.content.outline import walk

from .summary import DERIVED_RULE, SUM_RULE, SUMMARY_RULE, BuildError, SummaryCategory
from .tree import Node


def settle_amounts(categories: list[Node], summary: list[SummaryCategory]) -> list[Node]:
    """Check 類/項 against the summary, derive what the parent implies, check every sum;
    returns the lines whose amount was derived."""
    for category, category_summary in zip(categories, summary, strict=True):
        _agree(category, category_summary.amount)
        if len(category.children) != len(category_summary.items):
            raise BuildError(
                f"{category.label}: the detailed plan lacks some 項 of the summary",
                line=min(category.lines),
                rule=SUMMARY_RULE,
            )
        for item, item_summary in zip(category.children, category_summary.items, strict=True):
            _agree(item, item_summary.amount)

    derived = []
    for node, _parent in walk(categories):
        missing = [child for child in node.children if child.amount is None]
        if len(missing) == 1 and node.amount is not None:
            stated = sum(child.amount for child in node.children if child.amount is not None)
            if stated > node.amount:
                raise BuildError(
                    f"{node.label}: its children add up to more than its {node.amount}",
                    line=min(node.lines),
                    rule=DERIVED_RULE,
                )
            missing[0].amount = node.amount - stated
            missing[0].amount_source = "derived"
            derived.append(missing[0])
    for node, _parent in walk(categories):
        if node.children and all(child.amount is not None for child in node.children):
            total = sum(child.amount for child in node.children)
            if total != node.amount:
                raise BuildError(
                    f"{node.label}: {node.amount} != sum of children {total}",
                    line=min(node.lines),
                    rule=SUM_RULE,
                )
    return derived


def _agree(node: Node, printed: int) -> None:
    if node.amount is None:
        node.amount, node.amount_source = printed, "stated"
    elif node.amount != printed:
        raise BuildError(
            f"{node.label}: detailed plan {node.amount} != summary {printed}",
            line=min(node.lines),
            rule=SUMMARY_RULE,
        )
