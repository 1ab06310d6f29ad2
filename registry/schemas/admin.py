"""What the admin keeps: schools, policy versions and accounts."""
from __future__ import annotations

from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BeforeValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from registry.config import Config
from registry.rules.vocabulary import Education, Role, SkillLevel
from registry.schemas.fields import IsoDate, RecordId, Required, Schema, code, optional, text
from registry.schemas.queries import Paging


class SchoolIn(Schema):
    name: text(100)
    county: text(50)



class PolicyIn(Schema):
    """The eight parameters of rules.md and the date this version takes effect."""

    effective_from: Annotated[IsoDate, Required]
    hire_rule_effective: Annotated[IsoDate, Required]
    hire_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    hire_min_education: Annotated[code(Education), Required]
    direct_min_skill_level: Annotated[code(SkillLevel), Required]
    practice_rule_effective: Annotated[IsoDate, Required]
    cycle_years: Annotated[int, Field(ge=1, le=20), Required]
    practice_required_months: Annotated[int, Field(ge=1, le=240), Required]
    leadership_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    note: text(500, required=False) = ""

    @model_validator(mode="after")
    def practice_fits_in_cycle(self) -> PolicyIn:
        """The practice required per cycle cannot exceed the cycle's months ("practice_over_cycle" on practice_required_months)."""
        if self.practice_required_months > self.cycle_years * 12:
            raise PydanticCustomError(
                "practice_over_cycle", "more than the cycle", {"field": "practice_required_months", "months": self.cycle_years * 12}
            )
        return self


# Letters, digits and _ . @ - : what a login may hold.
Login = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_.@-]+$")]


def email_address(value: object) -> object:
    """An e-mail address as typed, checked by email-validator (syntax only: no DNS look-up) and kept in its
    normalised form (the domain in lower case: Li.Hua@Example.COM -> Li.Hua@example.com); None when blank.
    Only what every SMTP server accepts: an ASCII name before the @ (李晓燕@… is refused), a Chinese domain kept in
    its ASCII (punycode) form.

    Refused as "email" (Chinese message in registry.schemas.errors) when it is not an address mail can go to.
    """
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "not text")
    try:
        return validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False).ascii_email
    except EmailNotValidError:
        raise PydanticCustomError("email", "not an e-mail address") from None


# An e-mail address (User.email holds at most 254 characters, the longest an address may be); optional: blank is None.
Email = Annotated[str, BeforeValidator(email_address), Field(max_length=254, json_schema_extra={"format": "email"})]
EmailAddress = optional(Email)


class UserIn(Schema):
    """A new account: its login, role, password and, by role, its school or teacher record."""

    login: Login
    role: code(Role)
    school_id: RecordId | None = None
    teacher_id: RecordId | None = None
    # The policy's bounds (registry.services.passwords); the service also refuses a password easy to guess.
    password: Annotated[str, StringConstraints(min_length=12, max_length=200)]
    display_name: text(50, required=False) = ""
    email: EmailAddress = None  # where reminders are e-mailed (optional)


class AccountLinks(Schema):
    """An account's role and, by role, its school (school_hr) or teacher record (teacher); its name on the pages."""

    role: code(Role)
    school_id: optional(RecordId) = None
    teacher_id: optional(RecordId) = None
    display_name: text(50, required=False) = ""
    email: EmailAddress = None  # where reminders are e-mailed (optional; blank clears it)


class AccountIn(AccountLinks):
    """A new account made by the administrator in the browser: its password is a one-time password made for it."""

    login: Login


class TeacherAccountIn(Schema):
    """The sign-in account school HR makes for a teacher of their school: only the login is chosen."""

    login: Login


class LanguageIn(Schema):
    """The pages' language an account chose; None (blank) follows the browser."""

    language: optional(Literal[tuple(Config.LANGUAGES)]) = None


class ReminderChoicesIn(Schema):
    """How an account gets its reminders besides the registry itself: its e-mail address (blank clears it) and
    whether reminders are e-mailed to it."""

    email: EmailAddress = None
    email_reminders: bool = True


class UserListQuery(Paging):
    """The administrator's account list: login or name containing `q`, and the role, school and state asked for."""

    q: text(50, required=False) = ""
    role: optional(code(Role)) = None
    school_id: optional(RecordId) = None
    active: optional(bool) = None
    unused: optional(bool) = None  # only the active accounts never signed in or not for UNUSED_DAYS
