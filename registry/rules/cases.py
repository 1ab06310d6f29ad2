"""Case documents (rules.md "The case file") turned into facts and results.

`run_document` takes the parsed JSON and returns {"results": [...]}; anything
malformed raises CaseError naming the case id and the field, e.g.
`teacher.hire_date` or `practice[1].end`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from .engine import evaluate_hire, evaluate_leadership, evaluate_practice, evaluate_training
from .facts import Certificate, Employment, FactError, Practice, TeacherFacts, Training
from .policy import DEFAULT_POLICY, PARAMETERS, Policy, PolicyError
from .vocabulary import Rule

RULES = Rule.codes()

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far enough for any teacher; keeps cycle arithmetic clear of date.max.
_MIN_YEAR, _MAX_YEAR = 1900, 2199

_MISSING = object()


class CaseError(ValueError):
    def __init__(self, case_id: str, field: str, message: str):
        super().__init__(f"case {case_id}: field {field}: {message}")
        self.case_id = case_id
        self.field = field
        self.message = message


class _Reader:
    """Reads the fields of one case, raising CaseError with the right names."""

    def __init__(self, case_id: str):
        self.case_id = case_id

    def fail(self, field: str, message: str) -> CaseError:
        return CaseError(self.case_id, field, message)

    def obj(self, value: Any, field: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(field, "must be an object")
        return value

    def get(self, obj: dict, key: str, prefix: str, required: bool = True) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.fail(prefix + key, "missing required field")
            return None
        return value

    def date(self, obj: dict, key: str, prefix: str, required: bool = True) -> date | None:
        value = self.get(obj, key, prefix, required)
        if value is None:
            if required:
                raise self.fail(prefix + key, "missing required field")
            return None
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
                    raise self.fail(prefix + key, f"date out of range {_MIN_YEAR}-{_MAX_YEAR}: {value}")
                return parsed
        raise self.fail(prefix + key, f"not a date (YYYY-MM-DD): {json.dumps(value, ensure_ascii=False)}")

    def boolean(self, obj: dict, key: str, prefix: str, required: bool = True, default=False) -> bool:
        value = self.get(obj, key, prefix, required)
        if value is None and not required:
            return default
        if not isinstance(value, bool):
            raise self.fail(prefix + key, f"must be true or false: {json.dumps(value, ensure_ascii=False)}")
        return value

    def records(self, obj: dict, key: str, prefix: str, parse: Callable[[dict, str], Any]) -> tuple:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(prefix + key, "must be a list")
        out = []
        for i, item in enumerate(value):
            item_prefix = f"{prefix}{key}[{i}]."
            out.append(self.build(item_prefix, parse, self.obj(item, item_prefix[:-1]), item_prefix))
        return tuple(out)

    def build(self, prefix: str, make: Callable[..., Any], *args: Any) -> Any:
        """Call a fact constructor, renaming its FactError field with the prefix."""
        try:
            return make(*args)
        except FactError as e:
            raise self.fail(prefix + e.field, e.message) from None


def _employment(r: _Reader, item: dict, p: str) -> Employment:
    return Employment(
        start=r.date(item, "start", p),
        end=r.date(item, "end", p, required=False),
        employer_type=r.get(item, "employer_type", p),
    )


def _certificate(r: _Reader, item: dict, p: str) -> Certificate:
    return Certificate(
        kind=r.get(item, "kind", p),
        level=r.get(item, "level", p, required=False),
        issued=r.date(item, "issued", p),
        related=r.boolean(item, "related", p),
    )


def _practice(r: _Reader, item: dict, p: str) -> Practice:
    return Practice(
        start=r.date(item, "start", p),
        end=r.date(item, "end", p, required=False),
        status=r.get(item, "status", p),
    )


def _training(r: _Reader, item: dict, p: str) -> Training:
    return Training(kind=r.get(item, "kind", p), end=r.date(item, "end", p), status=r.get(item, "status", p))


def _teacher(
    r: _Reader, person: dict, p: str, records: dict, rp: str, exception_approved: bool
) -> TeacherFacts:
    """`records` (field prefix `rp`) holds the employment, certificates, practice
    and training lists: the case itself for a teacher, the member for a school."""

    def parse(make):
        return lambda item, prefix: make(r, item, prefix)

    facts = dict(
        course_type=r.get(person, "course_type", p),
        post_type=r.get(person, "post_type", p),
        hire_date=r.date(person, "hire_date", p),
        hire_channel=r.get(person, "hire_channel", p),
        education=r.get(person, "education", p),
        left_date=r.date(person, "left_date", p, required=False),
        leadership=r.boolean(person, "leadership", p, required=False),
        employment=r.records(records, "employment", rp, parse(_employment)),
        certificates=r.records(records, "certificates", rp, parse(_certificate)),
        practice=r.records(records, "practice", rp, parse(_practice)),
        training=r.records(records, "training", rp, parse(_training)),
        exception_approved=exception_approved,
    )
    return r.build(p, lambda: TeacherFacts(**facts))


def _policy(r: _Reader, case: dict) -> Policy:
    overrides = case.get("policy")
    if overrides is None:
        return DEFAULT_POLICY
    overrides = r.obj(overrides, "policy")
    for name in overrides:
        if name not in PARAMETERS:
            raise r.fail(f"policy.{name}", "unknown policy parameter")
        if name.endswith("_effective"):
            r.date(overrides, name, "policy.")  # the same strict date check as elsewhere
    try:
        return DEFAULT_POLICY.with_overrides(overrides)
    except PolicyError as e:
        raise r.fail(f"policy.{e.parameter}", e.message) from None


def _exception_approved(r: _Reader, case: dict) -> bool:
    exception = case.get("exception")
    if exception is None:
        return False
    return r.boolean(r.obj(exception, "exception"), "approved", "exception.")


def run_case(case: Any, position: int = 0) -> dict[str, Any]:
    """One case in, one result out: {"id", "rule", <result fields>}."""
    if not isinstance(case, dict):
        raise CaseError(f"#{position}", "case", "must be an object")
    case_id = case.get("id")
    if isinstance(case_id, bool) or not isinstance(case_id, (str, int)) or case_id == "":
        raise CaseError(f"#{position}", "id", "missing required field (a string)")
    r = _Reader(str(case_id))

    rule = r.get(case, "rule", "")
    if rule not in RULES:
        raise r.fail("rule", f"unknown rule {json.dumps(rule, ensure_ascii=False)}; expected one of {', '.join(RULES)}")
    policy = _policy(r, case)
    as_of = None if rule == Rule.HIRE else r.date(case, "as_of", "")

    if rule == Rule.LEADERSHIP:
        school = r.obj(r.get(case, "school", ""), "school")
        members_value = r.get(school, "members", "school.")
        if not isinstance(members_value, list):
            raise r.fail("school.members", "must be a list")
        members = []
        for i, member in enumerate(members_value):
            p = f"school.members[{i}]."
            member = r.obj(member, p[:-1])
            members.append(_teacher(r, member, p, member, p, False))
        result = evaluate_leadership(members, as_of, policy)
    else:
        person = r.obj(r.get(case, "teacher", ""), "teacher")
        teacher = _teacher(r, person, "teacher.", case, "", _exception_approved(r, case))
        if rule == Rule.HIRE:
            result = evaluate_hire(teacher, policy)
        elif rule == Rule.PRACTICE:
            result = evaluate_practice(teacher, as_of, policy)
        else:
            result = evaluate_training(teacher, as_of, policy)
    return {"id": case_id, "rule": rule, **result.to_dict()}


def run_document(document: Any) -> dict[str, Any]:
    """{"cases": [...]} in, {"results": [...]} out, in the same order."""
    if not isinstance(document, dict):
        raise CaseError("-", "document", "must be an object with a \"cases\" list")
    cases = document.get("cases", _MISSING)
    if cases is _MISSING:
        raise CaseError("-", "cases", "missing required field")
    if not isinstance(cases, list):
        raise CaseError("-", "cases", "must be a list")
    return {"results": [run_case(case, i) for i, case in enumerate(cases)]}
