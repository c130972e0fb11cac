"""Build a synthetic plan FACTOR times the size of the published one, for benchmarks.

Every 類 of the real plan is repeated FACTOR times with its whole subtree. Copy 1 keeps the
real codes and names, so `/budget/4/` and `/budget/2-2-3/` exist in every synthetic plan and
show the same content as in the real one; copies 2..FACTOR are new 類 (codes 7, 8, …) whose
names say which copy they are. Amounts are copied, so every parent still equals the sum of its
children, and the total is FACTOR times the real total. The 19 goals and their links are kept
as they are: the linked measure codes are those of copy 1.
"""

import copy


def synthetic_plan(document: dict, factor: int) -> dict:
    """The plan document with its budget tree repeated `factor` times, as a new plan."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    categories = document["budget"]
    budget = [
        _copy_subtree(
            category,
            old_root=category["code"],
            new_root=_root_code(copy_number, position, len(categories)),
            copy_number=copy_number,
        )
        for copy_number in range(1, factor + 1)
        for position, category in enumerate(categories, start=1)
    ]
    return {
        "plan": _plan_row(document["plan"], factor, budget),
        "goals": copy.deepcopy(document["goals"]),
        "budget": budget,
    }


def _plan_row(plan: dict, factor: int, budget: list[dict]) -> dict:
    # A different agency keeps (agency, fiscal_year) unique beside the real plan; it also sorts
    # after the real agency, so plan_get() still shows the real plan when both are loaded.
    return plan | {
        "slug": f"{plan['slug']}-x{factor}",
        "agency": f"{plan['agency']}（合成 x{factor}）",
        "title": f"{plan['title']}（合成 x{factor}）",
        "total_amount": sum(category["amount"] for category in budget),
    }


def _root_code(copy_number: int, position: int, categories: int) -> str:
    return str((copy_number - 1) * categories + position)


def _copy_subtree(node: dict, *, old_root: str, new_root: str, copy_number: int) -> dict:
    suffix = "" if copy_number == 1 else f"（合成副本 {copy_number}）"
    # Deep copies: the result shares no list with the real document, so either can be changed.
    fields = {
        key: copy.deepcopy(value)
        for key, value in node.items()
        if key not in ("measures", "children")
    }
    return fields | {
        "code": _recode(node["code"], old_root, new_root),
        "name": node["name"] + suffix,
        "measures": [
            copy.deepcopy(measure)
            | {
                "code": _recode(measure["code"], old_root, new_root),
                "name": measure["name"] + suffix,
            }
            for measure in node["measures"]
        ],
        "children": [
            _copy_subtree(child, old_root=old_root, new_root=new_root, copy_number=copy_number)
            for child in node["children"]
        ],
    }


def _recode(code: str, old_root: str, new_root: str) -> str:
    """Swap the 類 part of a code: `2-2-3-m1` under root 2 becomes `8-2-3-m1` under root 8."""
    if code != old_root and not code.startswith(f"{old_root}-"):
        raise ValueError(f"code {code} is not under {old_root}")
    return new_root + code[len(old_root) :]
