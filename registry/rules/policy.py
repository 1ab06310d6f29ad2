"""The policy parameters of rules.md: every figure the rules use.

Months are exact Fractions, dates are datetime.date, education and skill level
are members of Education and SkillLevel. `Policy.with_overrides` accepts the
JSON forms too (ISO date strings, finite numbers, code strings) and refuses
parameters it does not know and numbers given as text.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .i18n import N_
from .vocabulary import Code, Education, SkillLevel

PARAMETER_LABELS = {
    "hire_rule_effective": N_("招聘规则施行日期"),
    "hire_min_experience_months": N_("招聘所需企业工作经历（月）"),
    "hire_min_education": N_("招聘最低学历"),
    "direct_min_skill_level": N_("直接考核引进所需最低技能等级"),
    "practice_rule_effective": N_("企业实践规则施行日期"),
    "cycle_years": N_("企业实践与轮训周期（年）"),
    "practice_required_months": N_("每周期企业实践要求（月）"),
    "leadership_min_experience_months": N_("领导班子成员所需企业工作经历（月）"),
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_CYCLE_YEARS = 100
_MAX_MONTHS = _MAX_CYCLE_YEARS * 12  # no requirement can exceed a century of work


class PolicyError(ValueError):
    """An unknown parameter or a value it cannot take; `parameter` names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def _as_date(name: str, value: Any) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(name, f"not a date: {value!r}")


def _as_months(name: str, value: Any) -> Fraction:
    """A finite number (JSON number, int, Fraction or Decimal) from 0 to _MAX_MONTHS; text is refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise PolicyError(name, f"not a number of months: {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, Decimal) and not value.is_finite()):
        raise PolicyError(name, f"not a number of months: {value!r}")
    # Compare before converting: a 400-digit int or 1e300 must not reach Fraction arithmetic.
    if value < 0:
        raise PolicyError(name, f"must not be negative: {value}")
    if value > _MAX_MONTHS:
        raise PolicyError(name, f"must be at most {_MAX_MONTHS}")
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)  # 4.8 means 24/5, not the binary float


def _as_cycle_years(name: str, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(name, f"not a whole number of years: {value!r}")
    if not 1 <= value <= _MAX_CYCLE_YEARS:
        raise PolicyError(name, f"must be between 1 and {_MAX_CYCLE_YEARS}: {value}")
    return value


def _as_code(name: str, value: Any, codes: type[Code]) -> Code:
    allowed = codes.codes()
    if value not in allowed:
        raise PolicyError(name, f"unknown code {value!r}; expected one of {', '.join(allowed)}")
    return codes(value)


@dataclass(frozen=True)
class Policy:
    hire_rule_effective: date = date(2021, 1, 1)
    hire_min_experience_months: Fraction = Fraction(36)
    hire_min_education: Education = Education.ASSOCIATE
    direct_min_skill_level: SkillLevel = SkillLevel.SENIOR
    practice_rule_effective: date = date(2021, 1, 1)
    cycle_years: int = 5
    practice_required_months: Fraction = Fraction(10)
    leadership_min_experience_months: Fraction = Fraction(60)

    def __post_init__(self) -> None:
        for name, value in self._coerced(asdict(self)).items():
            object.__setattr__(self, name, value)

    @staticmethod
    def _coerced(values: Mapping[str, Any]) -> dict[str, Any]:
        known = {f.name for f in fields(Policy)}
        out: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise PolicyError(name, "unknown policy parameter")
            if name.endswith("_effective"):
                out[name] = _as_date(name, value)
            elif name.endswith("_months"):
                out[name] = _as_months(name, value)
            elif name == "cycle_years":
                out[name] = _as_cycle_years(name, value)
            elif name == "hire_min_education":
                out[name] = _as_code(name, value, Education)
            else:
                out[name] = _as_code(name, value, SkillLevel)
        return out

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Policy:
        """A copy with some parameters replaced; unknown parameters are refused."""
        if not overrides:
            return self
        return replace(self, **self._coerced(overrides))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: ISO dates, whole months as int, others as float."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Fraction):
                value = int(value) if value.denominator == 1 else float(value)
            out[f.name] = value
        return out


PARAMETERS = tuple(f.name for f in fields(Policy))
DEFAULT_POLICY = Policy()
