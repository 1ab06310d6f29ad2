"""The filters of the compliance list (page, exports and GET /api/v1/compliance)."""
from __future__ import annotations

from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from registry.rules.vocabulary import RULE_PREVIOUS, RULE_STATUS, CourseType, PostType
from registry.schemas.fields import OptionalDate, RecordId, optional, text
from registry.schemas.queries import AsOfQuery, Paging

# Statuses each rule can give (rules.md), in the order lists and charts show them.
RULE_STATUSES: dict[str, tuple[str, ...]] = {rule.value: statuses.codes() for rule, statuses in RULE_STATUS.items()}
# A previous cycle's result, of the practice or the training rule.
PREVIOUS_RESULTS = tuple(dict.fromkeys(code for results in RULE_PREVIOUS.values() for code in results.codes()))
# The orders the list offers, by name (each is declared once in services.compliance_list.query.SORTS).
COMPLIANCE_SORTS = ("school", "name", "hire_date", *RULE_STATUSES, "practice_months", "needed", "cycle_end")


class ComplianceQueryIn(Paging, AsOfQuery):
    """The filters of the compliance list (page, exports and GET /api/v1/compliance), its order, page and date."""

    county: optional(text(50)) = None
    school_id: optional(RecordId) = None
    specialty: optional(text(50)) = None
    course_type: optional(Literal[CourseType.codes()]) = None
    post_type: optional(Literal[PostType.codes()]) = None
    in_office: bool = False
    rule: optional(Literal[tuple(RULE_STATUSES)]) = None
    status: optional(str) = None
    previous: optional(Literal[PREVIOUS_RESULTS]) = None
    due_by: OptionalDate = None  # practice cycle ends on or before this date and months are still needed
    q: text(50, required=False) = ""
    sort: Literal[COMPLIANCE_SORTS + tuple("-" + s for s in COMPLIANCE_SORTS)] = "school"

    @field_validator("status")
    @classmethod
    def status_of_the_rule(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A status of the chosen rule, or of any rule when one only gives it ("status_unknown", "status_needs_rule")."""
        if value is None or "rule" not in info.data:  # no status, or the rule itself was refused
            return value
        rule = info.data["rule"]
        allowed = RULE_STATUSES[rule] if rule else tuple(dict.fromkeys(s for ss in RULE_STATUSES.values() for s in ss))
        if value not in allowed:
            raise PydanticCustomError("status_unknown", "unknown status", {"expected": ", ".join(allowed)})
        if rule is None and sum(value in ss for ss in RULE_STATUSES.values()) > 1:
            raise PydanticCustomError("status_needs_rule", "status needs a rule")
        return value

    @model_validator(mode="after")
    def rule_of_the_status(self) -> ComplianceQueryIn:
        """A status given without a rule names the one rule that gives it."""
        if self.status is not None and self.rule is None:  # a status only one rule gives names its rule
            self.rule = next(rule for rule, statuses in RULE_STATUSES.items() if self.status in statuses)
        return self

