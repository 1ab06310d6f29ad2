"""The command-line contract of rules.md: python -m registry.rules FILE."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from registry.rules import CaseError, run_document

PROJECT_ROOT = Path(__file__).resolve().parents[2]

GOOD_CASE = {
    "id": "good-one",
    "rule": "practice",
    "as_of": "2024-06-30",
    "teacher": {
        "course_type": "specialty",
        "post_type": "fixed",
        "hire_date": "2019-09-01",
        "hire_channel": "open",
        "education": "bachelor",
    },
    "practice": [{"start": "2021-07-01", "end": "2021-08-31", "status": "verified"}],
    "note": "ignored",
    "expect": {"ignored": True},
}


def run_cli(argument: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "registry.rules", argument],
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def with_change(change) -> dict:
    case = copy.deepcopy(GOOD_CASE)
    change(case)
    return {"cases": [copy.deepcopy(GOOD_CASE) | {"id": "fine-first"}, case]}


def set_(path: str, value):
    def change(case):
        *parents, last = path.split(".")
        target = case
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def delete(path: str):
    def change(case):
        *parents, last = path.split(".")
        target = case
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        del target[last]

    return change


MALFORMED = [
    ("missing-field", delete("teacher.hire_date"), "teacher.hire_date"),
    ("unknown-rule", set_("rule", "pension"), "rule"),
    ("unknown-code", set_("teacher.education", "phd"), "teacher.education"),
    ("unknown-practice-status", set_("practice.0.status", "approved"), "practice[0].status"),
    ("unknown-policy-parameter", set_("policy", {"practice_months": 6}), "policy.practice_months"),
    ("bad-policy-value", set_("policy", {"cycle_years": "five"}), "policy.cycle_years"),
    ("bad-date", set_("teacher.hire_date", "2019-02-30"), "teacher.hire_date"),
    ("bad-date-format", set_("as_of", "30/06/2024"), "as_of"),
    ("start-after-end", set_("practice.0.end", "2021-06-30"), "practice[0].end"),
    ("missing-as-of", delete("as_of"), "as_of"),
    ("teacher-not-an-object", set_("teacher", ["specialty"]), "teacher"),
]


@pytest.mark.parametrize("case_id, change, field", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_case_exits_2_with_one_line_naming_the_case_and_field(tmp_path, case_id, change, field):
    document = with_change(change)
    document["cases"][1]["id"] = case_id
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    completed = run_cli(str(path))

    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert case_id in lines[0] and field in lines[0]
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("case_id, change, field", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_the_python_api_raises_a_case_error_naming_the_case_and_field(case_id, change, field):
    document = with_change(change)
    document["cases"][1]["id"] = case_id
    with pytest.raises(CaseError) as raised:
        run_document(document)
    assert (raised.value.case_id, raised.value.field) == (case_id, field)


def test_text_that_is_not_json_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"cases": [', encoding="utf-8")
    completed = run_cli(str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "not JSON" in completed.stderr and "Traceback" not in completed.stderr


def test_a_document_without_a_cases_list_exits_2():
    completed = run_cli("-", stdin='{"results": []}')
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "cases" in completed.stderr and "Traceback" not in completed.stderr


def test_a_missing_file_exits_2_without_a_traceback(tmp_path):
    completed = run_cli(str(tmp_path / "absent.json"))
    assert completed.returncode == 2
    assert completed.stdout == "" and "Traceback" not in completed.stderr


def test_standard_input_is_read_when_the_file_is_a_dash():
    completed = run_cli("-", stdin=json.dumps({"cases": [GOOD_CASE]}))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    (result,) = json.loads(completed.stdout)["results"]
    assert result["id"] == "good-one" and result["rule"] == "practice"
    assert result["status"] == "behind" and result["months"] == 2.0


def test_results_hold_exactly_the_fields_of_rules_md():
    hire = copy.deepcopy(GOOD_CASE) | {"id": "h", "rule": "hire"}
    training = copy.deepcopy(GOOD_CASE) | {"id": "t", "rule": "training"}
    leadership = {"id": "l", "rule": "leadership", "as_of": "2024-06-30", "school": {"members": []}}
    results = run_document({"cases": [hire, GOOD_CASE, training, leadership]})["results"]
    assert [list(r) for r in results] == [
        ["id", "rule", "status", "basis", "experience_months", "shortfall_months", "reasons"],
        ["id", "rule", "status", "cycle_start", "cycle_end", "months", "required", "needed",
         "expected", "previous", "previous_months", "reasons"],
        ["id", "rule", "status", "cycle_start", "cycle_end", "previous", "reasons"],
        ["id", "rule", "status", "best_months"],
    ]
    assert results[3]["status"] == "non_compliant" and results[3]["best_months"] == 0.0


def test_hire_ignores_as_of_and_absent_lists_are_empty():
    teacher = GOOD_CASE["teacher"] | {"hire_date": "2022-03-01"}
    case = {"id": "h", "rule": "hire", "as_of": "not read", "teacher": teacher}
    (result,) = run_document({"cases": [case]})["results"]
    assert result["status"] == "non_compliant" and result["experience_months"] == 0.0


def test_an_empty_case_list_gives_an_empty_result_list():
    completed = run_cli("-", stdin='{"cases": []}')
    assert completed.returncode == 0
    assert json.loads(completed.stdout) == {"results": []}


def test_a_usage_error_exits_2():
    completed = subprocess.run(
        [sys.executable, "-m", "registry.rules"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 2 and completed.stdout == ""
    assert "usage" in completed.stderr
