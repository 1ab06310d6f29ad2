"""The code lists of registry.rules.vocabulary: well formed, and what the rules give is always one of their members.

Every test walks the vocabulary; none lists codes by hand.
"""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from registry.rules import run_document, vocabulary
from registry.rules.vocabulary import (
    RULE_PREVIOUS,
    RULE_STATUS,
    VOCABULARIES,
    Code,
    ExceptionStatus,
    HireBasis,
    LeadershipStatus,
    PracticeForm,
    PracticeStatus,
    Reason,
    Rule,
    TrainingStatus,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC_CASES = ROOT.parent / "shared" / "spec" / "rule-cases.json"
BOOTSTRAP_CSS = ROOT / "static/vendor/bootstrap/bootstrap.min.css"

LISTS = sorted(VOCABULARIES.items())
# Every status a rule gives, per rule (leadership is judged per school, not per teacher).
RULE_VERDICTS: dict[Rule, type[Code]] = {**RULE_STATUS, Rule.LEADERSHIP: LeadershipStatus}
# The codes that must never be spelt out in a template, a style sheet or a script: every status and every practice form.
STATUS_LISTS = (*RULE_VERDICTS.values(), *RULE_PREVIOUS.values(), PracticeStatus, TrainingStatus, ExceptionStatus)
GUARDED_LISTS = (*STATUS_LISTS, PracticeForm)


def test_every_code_list_of_the_module_is_named_in_vocabularies():
    defined = {cls for _name, cls in inspect.getmembers(vocabulary, inspect.isclass) if issubclass(cls, Code) and cls is not Code}
    assert defined == set(VOCABULARIES.values())
    assert set(RULE_STATUS) | set(RULE_PREVIOUS) <= set(Rule)
    assert set(RULE_STATUS.values()) | set(RULE_PREVIOUS.values()) <= defined


@pytest.mark.parametrize("name, codes", LISTS)
def test_a_member_is_its_code_and_carries_a_label(name, codes):
    assert list(codes), name
    for member in codes:
        assert isinstance(member, str) and member == member.value and str(member) == member.value
        assert codes(member.value) is member
        assert re.fullmatch(r"[a-z][a-z_/]*[a-z]", member.value), member.value
    assert codes.codes() == tuple(m.value for m in codes)
    labels = {member.value: member.label for member in codes}
    assert list(labels) == list(codes.codes())
    assert all(isinstance(text, str) and text.strip() for text in labels.values()), labels
    assert len(set(labels.values())) == len(labels), f"{name}: two codes share a label"


@pytest.mark.parametrize("name, codes", LISTS)
def test_every_tone_is_a_bootstrap_background(name, codes):
    css = BOOTSTRAP_CSS.read_text(encoding="utf-8")
    for member in codes:
        if member.tone is not None:
            assert f".text-bg-{member.tone}" in css, (name, member, member.tone)


@pytest.mark.parametrize("codes", STATUS_LISTS, ids=lambda codes: codes.__name__)
def test_every_status_has_a_tone(codes):
    assert all(member.tone for member in codes), codes


@pytest.mark.parametrize("codes", RULE_VERDICTS.values(), ids=lambda codes: codes.__name__)
def test_a_rules_statuses_rank_worst_first_without_gaps(codes):
    ranked = sorted((member for member in codes if member.severity is not None), key=lambda member: member.severity)
    assert [member.severity for member in ranked] == list(range(len(ranked)))
    unranked = [member for member in codes if member.severity is None]
    assert all(member.value == "not_applicable" for member in unranked), unranked
    assert len(ranked) + len(unranked) == len(codes)


def test_lists_without_a_verdict_do_not_rank():
    verdicts = set(RULE_VERDICTS.values())
    for _name, codes in LISTS:
        if codes not in verdicts:
            assert all(member.severity is None for member in codes), codes


def spec_results() -> list[dict]:
    if not SPEC_CASES.exists():
        pytest.skip(f"{SPEC_CASES} is not here")
    return run_document(json.loads(SPEC_CASES.read_text(encoding="utf-8")))["results"]


def test_the_rules_give_members_of_their_lists_not_strings():
    """Every result of the specification's cases: status, basis, previous and reasons are enum members."""
    results = spec_results()
    assert results
    for result in results:
        rule = Rule(result["rule"])
        assert type(result["status"]) is RULE_VERDICTS[rule], result
        if result.get("basis") is not None:
            assert type(result["basis"]) is HireBasis, result
        if result.get("previous") is not None:
            assert type(result["previous"]) is RULE_PREVIOUS[rule], result
        assert all(type(reason) is Reason for reason in result.get("reasons", ())), result


def literal(code: str) -> re.Pattern[str]:
    """The code written out as a quoted string literal (Python, Jinja, JavaScript)."""
    return re.compile(r"""(['"])""" + re.escape(code) + r"\1")


def word(code: str) -> re.Pattern[str]:
    """The code as a word of a class name or selector (status-infeasible, .legend-verified)."""
    return re.compile(r"(?<![\w])" + re.escape(code) + r"(?![\w])")


def files(folder: str, *suffixes: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in suffixes)


GUARDED_CODES = sorted({member.value for codes in GUARDED_LISTS for member in codes})


@pytest.mark.parametrize("code", GUARDED_CODES)
def test_no_status_or_practice_form_is_spelt_out_in_templates_css_or_javascript(code):
    found = [p for p in files("templates", ".html") + files("static/js", ".js") if literal(code).search(p.read_text("utf-8"))]
    found += [p for p in files("static/css", ".css") if word(code).search(p.read_text("utf-8"))]
    assert not found, [str(p.relative_to(ROOT)) for p in found]


@pytest.mark.parametrize("code", GUARDED_CODES)
def test_a_status_or_practice_form_is_written_in_at_most_two_modules(code):
    """Its definition in registry/rules/vocabulary.py and at most one more module (issue 10: the rule producing it)."""
    found = [p for p in files("registry", ".py") if literal(code).search(p.read_text("utf-8"))]
    assert ROOT / "registry/rules/vocabulary.py" in found
    assert len(found) <= 2, [str(p.relative_to(ROOT)) for p in found]
