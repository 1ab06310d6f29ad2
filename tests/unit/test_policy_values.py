"""Policy parameters given as JSON: only finite numbers within reach are months; anything else is refused."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from registry.rules.policy import DEFAULT_POLICY, PolicyError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEACHER = {"course_type": "specialty", "post_type": "fixed", "hire_date": "2022-01-01", "hire_channel": "open", "education": "bachelor"}


REFUSED = {
    "text": "36", "empty-text": "", "bool": True, "null": None, "list": [36], "infinity": float("inf"), "nan": float("nan"),
    "decimal-nan": Decimal("NaN"), "400-digits": 10**400, "1e300": 1e300, "over-a-century": 1201, "negative": -1,
}


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_a_months_parameter_that_is_not_a_sane_finite_number_is_refused(value):
    with pytest.raises(PolicyError) as refused:
        DEFAULT_POLICY.with_overrides({"hire_min_experience_months": value})
    assert refused.value.parameter == "hire_min_experience_months"


@pytest.mark.parametrize("value, months", [(0, Fraction(0)), (36, Fraction(36)), (4.8, Fraction(24, 5)), (1200, Fraction(1200)),
                                           (Decimal("12.5"), Fraction(25, 2)), (Fraction(1, 3), Fraction(1, 3))])
def test_a_finite_number_of_months_is_kept_exactly(value, months):
    assert DEFAULT_POLICY.with_overrides({"practice_required_months": value}).practice_required_months == months


@pytest.mark.parametrize("raw", ['"36"', "1e999999", "9" * 400, "1e300"], ids=["text", "overflowing-float", "400-digits", "1e300"])
def test_the_cli_refuses_such_a_value_with_exit_2_and_never_prints_infinity(tmp_path, raw):
    case = {"id": "big", "rule": "hire", "teacher": TEACHER, "policy": {"hire_min_experience_months": "PLACEHOLDER"}}
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": [case]}).replace('"PLACEHOLDER"', raw), encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "registry.rules", str(path)], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert completed.returncode == 2 and completed.stdout == ""
    assert "big" in completed.stderr and "policy.hire_min_experience_months" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1 and len(completed.stderr) < 300
