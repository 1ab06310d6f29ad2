"""What the application derives from the code lists of registry.rules.vocabulary.

The lists themselves (codes, Chinese labels, tones, severity) are defined once
there; this module only translates and reshapes them for the places that show
or store them: labels in the user's language, form choices, the colour of a
tone, and a column type that loads a stored code as its enum member.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import CheckConstraint, String
from sqlalchemy.types import TypeDecorator

from registry.rules.vocabulary import VOCABULARIES, Code

# The chart fill of each tone (a Bootstrap colour name); badges use Bootstrap's own `text-bg-<tone>` classes.
TONE_COLORS: dict[str, str] = {
    "success": "#198754",
    "info": "#0dcaf0",
    "primary": "#0d6efd",
    "warning": "#fd7e14",
    "danger": "#dc3545",
    "secondary": "#adb5bd",
}


def vocabulary(name_or_enum: str | type[Code]) -> type[Code]:
    """The code list named `name_or_enum` ("practice_status"), or the list itself; KeyError for an unknown name."""
    return VOCABULARIES[name_or_enum] if isinstance(name_or_enum, str) else name_or_enum


def member(codes: str | type[Code], code: str | None) -> Code | None:
    """The member of a list for a stored code; None when absent or unknown."""
    enum = vocabulary(codes)
    try:
        return enum(code) if code is not None else None
    except ValueError:
        return None


def label(codes: str | type[Code], code: str | None = None) -> str:
    """A code's label in the user's language: label("education", "bachelor"), label(Education.BACHELOR).

    An unknown code is shown as it is; None is shown as "".
    """
    if isinstance(codes, Code) and code is None:
        return gettext(codes.label)
    if code is None or code == "":
        return ""
    found = code if isinstance(code, Code) else member(codes, code)
    return gettext(found.label) if found is not None else str(code)


def choices(codes: str | type[Code], blank: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a drop-down, optionally led by a blank choice."""
    items = [(m.value, gettext(m.label)) for m in vocabulary(codes)]
    return [("", blank)] + items if blank is not None else items


def tone_color(code: Code | None) -> str:
    """The chart fill of a code's tone (grey when it has none)."""
    return TONE_COLORS.get(code.tone if code is not None else None, TONE_COLORS["secondary"])


def one_of(column: str, codes: type[Code], name: str | None = None, nullable: bool = False) -> CheckConstraint:
    """A CHECK constraint keeping `column` to the codes of a list."""
    listed = ", ".join(f"'{code}'" for code in codes.codes())
    condition = f"{column} IN ({listed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name or f"{column}_code")


def coded_columns(model_or_table) -> dict[str, type[Code]]:
    """{column name: its code list} of each CodeColumn of a model (or a Table), in column order."""
    table = getattr(model_or_table, "__table__", model_or_table)
    return {c.name: c.type.codes for c in table.columns if isinstance(c.type, CodeColumn)}


class CodeColumn(TypeDecorator):
    """A VARCHAR holding a code; loads it as the member of its list (a str, so comparisons keep working)."""

    impl = String
    cache_ok = True

    def __init__(self, codes: type[Code], length: int = 20):
        super().__init__(length)
        self.codes = codes

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect) -> Code | str | None:
        if value is None:
            return None
        try:
            return self.codes(value)
        except ValueError:  # a code the database allows but the list no longer names
            return value
