"""synthplan: a synthetic plan FACTOR times the real one, in the fixture's shape, that loads."""

import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from plan.document.contract import from_database
from plan.importer.synthetic import synthetic_plan
from plan.models import BudgetLine, Measure, Plan


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def walk(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def lines_and_measures(document: dict) -> tuple[list[dict], list[dict]]:
    lines = list(walk(document["budget"]))
    return lines, [measure for line in lines for measure in line["measures"]]


@pytest.fixture(scope="module")
def x10(plan_document):
    return synthetic_plan(plan_document, 10)


def test_x10_has_ten_times_the_budget_lines_and_measures(plan_document, x10):
    real_lines, real_measures = lines_and_measures(plan_document)
    lines, measures = lines_and_measures(x10)
    assert (len(lines), len(measures)) == (10 * len(real_lines), 10 * len(real_measures))
    assert len(x10["budget"]) == 10 * len(plan_document["budget"])


def test_x10_codes_are_unique_and_copies_are_named_apart(x10):
    lines, measures = lines_and_measures(x10)
    assert max(Counter(line["code"] for line in lines).values()) == 1
    assert max(Counter(measure["code"] for measure in measures).values()) == 1
    assert max(Counter(category["name"] for category in x10["budget"]).values()) == 1
    assert all(
        m["code"].startswith(f"{line['code']}-m") for line in lines for m in line["measures"]
    )


def test_x10_keeps_the_real_codes_in_its_first_copy(plan_document, x10):
    real_lines, _ = lines_and_measures(plan_document)
    lines, _ = lines_and_measures(x10)
    by_code = {line["code"]: line for line in lines}
    for real in real_lines:
        assert by_code[real["code"]]["name"] == real["name"]
        assert by_code[real["code"]]["amount"] == real["amount"]


def test_x10_every_parent_is_the_sum_of_its_children_and_the_total_of_its_categories(
    plan_document, x10
):
    for line in walk(x10["budget"]):
        if line["children"]:
            assert line["amount"] == sum(child["amount"] for child in line["children"])
    assert x10["plan"]["total_amount"] == sum(category["amount"] for category in x10["budget"])
    assert x10["plan"]["total_amount"] == 10 * plan_document["plan"]["total_amount"]


def test_x10_keeps_the_goals_and_links_only_to_measures_it_has(plan_document, x10):
    _, measures = lines_and_measures(x10)
    codes = {measure["code"] for measure in measures}
    assert x10["goals"] == plan_document["goals"]
    assert len(x10["goals"]) == 19
    assert all(code in codes for goal in x10["goals"] for code in goal["measures"])


def test_x10_is_a_different_plan_beside_the_real_one(plan_document, x10):
    real, synthetic = plan_document["plan"], x10["plan"]
    assert synthetic["slug"] == "kcpd-114-x10"
    assert synthetic.keys() == real.keys()
    assert (synthetic["agency"], synthetic["fiscal_year"]) != (real["agency"], real["fiscal_year"])


def test_synthplan_writes_loads_and_passes_checkplan(db, plan, tmp_path, x10):
    output = tmp_path / "x10.json"
    run("synthplan", "--factor", "10", "--output", str(output), "--load")

    assert json.loads(output.read_text(encoding="utf-8")) == x10
    loaded = Plan.objects.get(slug="kcpd-114-x10")
    assert BudgetLine.objects.filter(plan=loaded).count() == 420
    assert Measure.objects.filter(plan=loaded).count() == 1430
    # What the site exports is exactly the document that was loaded: the shape is the fixture's.
    assert from_database(loaded) == x10
    assert "checkplan: all checks passed" in run("checkplan")
    # The real plan is still the one the site shows.
    assert Plan.objects.newest() == plan


def test_synthplan_needs_somewhere_to_put_the_plan(db):
    with pytest.raises(CommandError, match="--output"):
        run("synthplan", "--factor", "2")


def test_synthplan_refuses_a_factor_below_one(db, tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        run("synthplan", "--factor", "0", "--output", str(tmp_path / "x0.json"))
