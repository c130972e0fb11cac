"""A synthetic second year, made in the tests from the real 114 plan: never published, never
shipped as data. It is the 115 plan of the same agency with:

- changed amounts: (一)後勤業務 +30% (flagged), 一般行政 of 參 −1%, the rest as in 114;
- a renamed line: (三)外事業務 is 「(三)外事服務業務」 (the editors match it: MATCHED);
- a removed line: (十一)刑事鑑識業務 is gone…
- …and an added one in its place: 「(十一)資訊安全業務」 takes code 2-2-11 (a new line, which
  must not be taken for the old one that had the code);
- every parent still the sum of its children, so checkplan passes.
"""

import copy

from plan.document.contract import flatten
from plan.document.loader import load_plan
from plan.models import BudgetLine, BudgetLineMatch

YEAR = 115
SLUG = "kcpd-115"
RENAMED = ("2-2-3", "外事服務業務")
ADDED = ("2-2-11", "資訊安全業務", 9_000)
REMOVED = ("2-2-11", "刑事鑑識業務")
RAISED = ("2-2-1", 30)  # percent
LOWERED = ("3-1", -1)
NEW_MEASURE = "2-2-11-m2"


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


def _resum(nodes) -> int:
    """Parents become the sum of their children again; returns the sum of `nodes`."""
    for node in nodes:
        if node["children"]:
            node["amount"] = _resum(node["children"])
            node["amount_source"] = "stated"
    return sum(node["amount"] for node in nodes)


def second_year_document(first: dict) -> dict:
    document = copy.deepcopy(first)
    document["plan"] |= {
        "slug": SLUG,
        "fiscal_year": YEAR,
        "title": first["plan"]["title"].replace("114", str(YEAR)),
        "source_sha256": "synthetic",
    }
    lines = {node["code"]: node for node in _walk(document["budget"])}
    for code, change in (RAISED, LOWERED):
        lines[code]["amount"] = lines[code]["amount"] * (100 + change) // 100
    lines[RENAMED[0]]["name"] = RENAMED[1]
    parent = lines["2-2"]
    removed = parent["children"].pop()
    assert removed["name"] == REMOVED[1]
    gone = {measure["code"] for measure in removed["measures"]}
    for goal in document["goals"]:
        goal["measures"] = [code for code in goal["measures"] if code not in gone]
    added = copy.deepcopy(removed) | {
        "name": ADDED[1],
        "amount": ADDED[2],
        "amount_source": "stated",
        "editor_note": "",
    }
    template = removed["measures"][0]
    added["measures"] = [
        template | {"code": f"{ADDED[0]}-m1", "name": "強化資訊安全防護", "editor_note": ""},
        # A measure code 114 does not have.
        template | {"code": NEW_MEASURE, "name": "資安演練", "editor_note": ""},
    ]
    parent["children"].append(added)
    document["plan"]["total_amount"] = _resum(document["budget"])
    flatten(document)  # the shape is the published one
    return document


def load_second_year(first: dict):
    """Load the 115 plan beside 114 and the editors' match for the renamed line."""
    plan, _report = load_plan(second_year_document(first))
    BudgetLineMatch.objects.create(
        line=BudgetLine.objects.get(plan=plan, code=RENAMED[0]),
        previous=BudgetLine.objects.get(plan__fiscal_year=114, code=RENAMED[0]),
        note="115 年度改名為「外事服務業務」，內容與 114 年度的「外事業務」相同。",
    )
    return plan
