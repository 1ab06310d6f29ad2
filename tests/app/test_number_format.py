"""One format for months everywhere: at most two decimals, no trailing zeros (registry.rules.months.months_text)."""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from registry.bureau.exports import csv_text
from registry.rules.explain import threshold_text
from registry.rules.months import months_text
from registry.template_helpers import months

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "value, text",
    [
        (6, "6"), (6.0, "6"), (Fraction(6), "6"), (6.5, "6.5"), (Fraction(13, 2), "6.5"), (Fraction(19, 3), "6.33"),
        (Fraction(20, 3), "6.67"), (5.999, "6"), (Fraction(6005, 1000), "6.01"), (0, "0"), (Fraction(1, 30), "0.03"),
        (Decimal("10.50"), "10.5"), (-1.5, "-1.5"), (Fraction(-1, 200), "-0.01"), (95666, "95666"),
    ],
)
def test_months_are_written_with_at_most_two_decimals_and_no_trailing_zero(value, text):
    assert months_text(value) == text


def test_the_template_filter_is_the_same_function_and_shows_a_dash_for_no_figure():
    assert months(Fraction(19, 3)) == months_text(Fraction(19, 3)) == "6.33"
    assert months(None) == "—"


def test_the_csv_export_and_the_rule_sentences_write_months_the_same_way():
    assert csv_text(6.0) == "6" and csv_text(6.5) == "6.5" and csv_text(6.33) == "6.33"
    assert threshold_text(Fraction(6)) == "6" and threshold_text(Fraction(15, 2)) == "7.5"


def test_a_page_shows_whole_months_without_a_decimal(two_schools, make, login):
    make.practice(two_schools["teacher_record"], "2024-07-01", "2024-12-31", status="verified")
    page = login(two_schools["teacher"]).get("/practice/").get_data(as_text=True)
    assert "约 6 个月" in page and not re.search(r"\d\.0 个月", page)


def test_every_template_that_shows_a_figure_of_months_uses_the_filter():
    """A figure put beside 个月 goes through |months; the only other numbers there are fixed counts in the text."""
    unfiltered = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for expression in re.findall(r"\{\{([^}]*)\}\}\s*\{\{ _\('个月'\)", line):
                if "|months" not in expression:
                    unfiltered.append(f"{path.relative_to(TEMPLATES)}:{number}: {expression.strip()}")
            for expression in re.findall(r"m=([^,)]*)", line):
                if "个月" in line and "|months" not in expression and "period_months" not in expression:
                    unfiltered.append(f"{path.relative_to(TEMPLATES)}:{number}: m={expression.strip()}")
    assert unfiltered == []
