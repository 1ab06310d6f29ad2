"""What the admin keeps: schools and policy versions."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from registry.rules.vocabulary import Education, SkillLevel
from registry.schemas.fields import IsoDate, Required, Schema, text


class SchoolIn(Schema):
    name: text(100)
    county: text(50)



class PolicyIn(Schema):
    """The eight parameters of rules.md and the date this version takes effect."""

    effective_from: Annotated[IsoDate, Required]
    hire_rule_effective: Annotated[IsoDate, Required]
    hire_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    hire_min_education: Annotated[Literal[Education.codes()], Required]
    direct_min_skill_level: Annotated[Literal[SkillLevel.codes()], Required]
    practice_rule_effective: Annotated[IsoDate, Required]
    cycle_years: Annotated[int, Field(ge=1, le=20), Required]
    practice_required_months: Annotated[int, Field(ge=1, le=240), Required]
    leadership_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    note: text(500, required=False) = ""

    @model_validator(mode="after")
    def practice_fits_in_cycle(self) -> PolicyIn:
        if self.practice_required_months > self.cycle_years * 12:
            raise PydanticCustomError(
                "practice_over_cycle", "more than the cycle", {"field": "practice_required_months", "months": self.cycle_years * 12}
            )
        return self

