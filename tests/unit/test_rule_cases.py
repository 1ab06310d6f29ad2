"""Every worked case of the specification, through the Python API and the CLI,
and engine edge cases the case file does not cover."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from registry.rules import (
    Employment,
    Policy,
    PolicyError,
    Practice,
    TeacherFacts,
    Training,
    evaluate_hire,
    evaluate_leadership,
    evaluate_practice,
    evaluate_training,
    run_case,
    run_document,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CASES_PATH = PROJECT_ROOT.parent / "shared" / "spec" / "rule-cases.json"
RULES_PACKAGE = PROJECT_ROOT / "registry" / "rules"
D = date.fromisoformat

if not CASES_PATH.exists() and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI must run the spec's rule cases, but {CASES_PATH} is absent")
CASES = json.loads(CASES_PATH.read_text(encoding="utf-8"))["cases"] if CASES_PATH.exists() else []

needs_cases = pytest.mark.skipif(not CASES_PATH.exists(), reason=f"the spec's case file {CASES_PATH} is absent")
each_case = pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])


def assert_matches(result: dict, expect: dict) -> None:
    for field, wanted in expect.items():
        assert field in result, f"result lacks {field}"
        got = result[field]
        if isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
            assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{field}: {got!r}"
            assert abs(got - wanted) <= 0.01, f"{field}: expected {wanted}, got {got}"
        else:
            assert got == wanted, f"{field}: expected {wanted!r}, got {got!r}"


@pytest.fixture(scope="module")
def cli_results() -> dict[str, dict]:
    completed = subprocess.run(
        [sys.executable, "-m", "registry.rules", str(CASES_PATH)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    results = json.loads(completed.stdout)["results"]
    assert [r["id"] for r in results] == [c["id"] for c in CASES], "results must keep the case order"
    return {r["id"]: r for r in results}


@needs_cases
@each_case
def test_the_python_api_gives_the_expected_result(case):
    result = run_case(case)
    assert (result["id"], result["rule"]) == (case["id"], case["rule"])
    assert_matches(result, case["expect"])


@needs_cases
@each_case
def test_the_command_line_gives_the_expected_result(case, cli_results):
    result = cli_results[case["id"]]
    assert result["rule"] == case["rule"]
    assert_matches(result, case["expect"])


@needs_cases
def test_a_whole_document_keeps_the_case_order():
    results = run_document({"cases": CASES})["results"]
    assert [r["id"] for r in results] == [c["id"] for c in CASES]


def test_the_rule_package_imports_only_the_standard_library():
    for module in sorted(RULES_PACKAGE.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", f"{module.name} imports {name}"


def test_the_rule_package_never_reads_the_clock():
    for module in sorted(RULES_PACKAGE.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        calls = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        assert not calls & {"today", "now", "utcnow", "time"}, f"{module.name} reads the clock"


# ------------------------------------------------- edge cases beyond the spec's



def specialty_teacher(**changes) -> TeacherFacts:
    facts = dict(
        course_type="specialty",
        post_type="fixed",
        hire_date=D("2019-09-01"),
        hire_channel="open",
        education="bachelor",
    )
    return TeacherFacts(**(facts | changes))


def test_an_open_ended_job_counts_up_to_the_day_before_hire():
    job = Employment(D("2020-11-01"), None, "enterprise")
    result = evaluate_hire(specialty_teacher(hire_date=D("2024-02-01"), employment=(job,)))
    assert result.experience_months == 39


def test_an_approved_exception_does_not_replace_a_compliant_result():
    job = Employment(D("2018-01-01"), D("2021-12-31"), "enterprise")
    result = evaluate_hire(specialty_teacher(hire_date=D("2022-03-01"), employment=(job,), exception_approved=True))
    assert (result.status, result.basis) == ("compliant", "standard")


def test_both_hire_reasons_are_given_in_order_with_the_shortfall():
    result = evaluate_hire(specialty_teacher(hire_date=D("2022-03-01"), education="secondary"))
    assert result.reasons == ("education_low", "experience_short")
    assert result.shortfall_months == 36


def test_all_not_applicable_reasons_hold_together_in_order():
    facts = specialty_teacher(course_type="general", post_type="flowing", hire_date=D("2030-01-01"),
                              left_date=D("2030-06-01"))
    assert evaluate_practice(facts, D("2031-01-01")).reasons == ("general_course", "flowing_post", "left")
    assert evaluate_training(facts, D("2029-01-01")).reasons == ("general_course", "flowing_post", "not_yet_hired")


def test_before_effective_is_given_only_when_nothing_else_holds():
    policy = Policy(practice_rule_effective=D("2027-01-01"))
    assert evaluate_practice(specialty_teacher(), D("2026-01-01"), policy).reasons == ("before_effective",)
    general = specialty_teacher(course_type="general")
    assert evaluate_practice(general, D("2026-01-01"), policy).reasons == ("general_course",)


def test_a_teacher_who_leaves_on_the_evaluation_date_is_no_longer_covered():
    facts = specialty_teacher(left_date=D("2024-01-01"))
    assert evaluate_practice(facts, D("2024-01-01")).status == "not_applicable"
    assert evaluate_practice(facts, D("2023-12-31")).status != "not_applicable"


def test_an_open_ended_practice_runs_to_the_evaluation_date():
    facts = specialty_teacher(practice=(Practice(D("2023-01-01"), None, "verified"),))
    assert evaluate_practice(facts, D("2023-03-31")).months == 3


def test_practice_ending_after_the_evaluation_date_counts_only_up_to_it():
    facts = specialty_teacher(practice=(Practice(D("2023-01-01"), D("2023-12-31"), "verified"),))
    assert evaluate_practice(facts, D("2023-06-30")).months == 6


def test_on_the_last_day_of_a_cycle_nothing_remains_and_the_full_milestone_is_expected():
    facts = specialty_teacher(practice=(Practice(D("2023-01-01"), D("2023-06-30"), "verified"),))
    result = evaluate_practice(facts, D("2025-12-31"))
    assert (result.remaining, result.expected, result.needed) == (0, 10, 4)
    assert result.status == "infeasible"


def test_needing_exactly_the_remaining_months_is_still_feasible():
    facts = specialty_teacher(practice=(Practice(D("2021-03-01"), D("2021-06-30"), "verified"),))
    result = evaluate_practice(facts, D("2025-06-30"))
    assert (result.needed, result.remaining) == (6, 6)
    assert result.status == "behind"


def test_a_fractional_policy_milestone_is_exact():
    policy = Policy(practice_required_months=Fraction(15, 2), cycle_years=3)
    result = evaluate_practice(specialty_teacher(), D("2022-01-01"), policy)
    assert result.expected == Fraction(5, 2)


def test_a_rotation_training_after_the_evaluation_date_does_not_count_yet():
    facts = specialty_teacher(training=(Training("rotation", D("2024-03-01"), "completed"),))
    assert evaluate_training(facts, D("2024-02-29")).status == "pending"
    assert evaluate_training(facts, D("2024-03-01")).status == "done"


def test_a_planned_rotation_training_does_not_count():
    facts = specialty_teacher(training=(Training("rotation", D("2022-03-01"), "planned"),))
    assert evaluate_training(facts, D("2024-01-01")).status == "pending"


def test_leadership_ignores_members_who_left_or_are_not_yet_hired():
    job = (Employment(D("2000-01-01"), D("2019-08-31"), "enterprise"),)
    left = specialty_teacher(leadership=True, employment=job, left_date=D("2024-01-01"))
    future = specialty_teacher(leadership=True, employment=job, hire_date=D("2025-01-01"))
    result = evaluate_leadership([left, future], D("2024-06-30"))
    assert (result.status, result.best_months, result.members_counted) == ("non_compliant", 0, 0)


def test_leadership_counts_enterprise_work_after_hire_up_to_the_evaluation_date():
    member = specialty_teacher(leadership=True, employment=(Employment(D("2019-01-01"), None, "enterprise"),))
    assert evaluate_leadership([member], D("2023-12-31")).best_months == 60
    assert evaluate_leadership([member], D("2023-12-31")).status == "compliant"


def test_policy_overrides_take_json_forms_and_refuse_unknown_parameters():
    policy = Policy().with_overrides({"practice_rule_effective": "2022-01-01", "practice_required_months": 7.5})
    assert policy.practice_rule_effective == D("2022-01-01")
    assert policy.practice_required_months == Fraction(15, 2)
    assert policy.to_dict()["practice_required_months"] == 7.5
    with pytest.raises(PolicyError) as raised:
        Policy().with_overrides({"practice_months": 6})
    assert raised.value.parameter == "practice_months"
    with pytest.raises(PolicyError):
        Policy().with_overrides({"hire_min_education": "phd"})
