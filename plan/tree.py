"""One depth-first walk for every tree of the project: the budget tree fetched from the
database (`BudgetLine.objects.as_tree()`) and the importer's own nodes; both have `children`."""

from collections.abc import Iterable, Iterator
from typing import Any


def walk(nodes: Iterable[Any], parent: Any = None) -> Iterator[tuple[Any, Any]]:
    """Every node and its parent (None at the top), depth first, in document order."""
    for node in nodes:
        yield node, parent
        yield from walk(node.children, node)
