"""Field types every input schema shares: ids, pages, dates, text, and the base class."""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from registry.dates import DATE_MAX, DATE_MIN
from registry.rules.vocabulary import Code
from registry.schemas.id_numbers import parse_id_number, visible_text

MAX_ID = 2**31 - 1  # PostgreSQL integer keys; a larger id cannot name a record
MAX_PAGE = 100_000
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: Any) -> date:
    """The one reader of a typed date (YYYY-MM-DD) for pages, API, imports and exports; a date is checked as it is.

    Raises PydanticCustomError("date") for anything else (shown as "不是有效日期，请用 YYYY-MM-DD 格式"),
    "date_nonexistent" for a day that does not exist in that form (2025-02-30), and "date_range" for a date outside
    DATE_MIN .. DATE_MAX (registry.dates).
    """
    if isinstance(value, date) and not hasattr(value, "hour"):
        day = value
    elif isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:  # the form is right, the day does not exist (2025-02-30, 2025-13-01)
            raise PydanticCustomError("date_nonexistent", "no such day", {"value": value.strip()}) from None
    else:
        raise PydanticCustomError("date", "not a date")
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError("date_range", "date out of range", {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})
    return day


def is_blank(value: Any) -> bool:
    """Nothing given: None, or text of nothing but white space (the one blank test of every input)."""
    return value is None or (isinstance(value, str) and not value.strip())


def blank_to_none(value: Any) -> Any:
    """None for a blank value (is_blank), else the value as it is."""
    return None if is_blank(value) else value


# The accepted range in the OpenAPI document too, in the keywords JSON Schema validators know it by (ajv's formats).
DATE_RANGE_SCHEMA = {"formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat()}
IsoDate = Annotated[date, BeforeValidator(parse_iso_date), Field(json_schema_extra=DATE_RANGE_SCHEMA)]
OptionalDate = Annotated[IsoDate | None, BeforeValidator(blank_to_none)]
IdNumber = Annotated[str, BeforeValidator(parse_id_number), Field(pattern=r"^\d{17}[\dX]$")]



def code(codes: type[Code], allowed: Collection[str] | None = None, aliases: Mapping[str, str] | None = None):
    """A code of the list `codes` (only those in `allowed` when given), read after `normalise_code`; a normalised
    value found in `aliases` stands for the code it maps to (男 for male). Refused as pydantic's "literal_error"."""
    listed = tuple(c for c in codes.codes() if allowed is None or c in allowed)
    lower = all(c == c.lower() for c in listed)
    aliases = dict(aliases or {})

    def normalised(value: Any) -> Any:
        value = normalise_code(value, lower)
        return aliases.get(value, value) if isinstance(value, str) else value

    return Annotated[Literal[listed], BeforeValidator(normalised)]


def normalise_code(value: Any, lower: bool = True) -> Any:
    """A code as typed, as it is compared: `visible_text` (NFKC, invisible characters out), surrounding spaces
    trimmed and, for a list of lowercase codes, lower-cased: '\u3000ｆｉｘｅｄ\u200b' -> 'fixed'. Not text: as it is."""
    if not isinstance(value, str):
        return value
    value = visible_text(value).strip()
    return value.lower() if lower else value


# C0 but tab, line feed and carriage return; DEL; C1. As regular-expression text (Python's and pydantic's alike).
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
NO_CONTROL_CHARACTERS = rf"^[^{CONTROL_CHARACTERS}]*$"


def text(max_length: int, required: bool = True):
    """Stripped text of at most `max_length` characters, without control characters; empty unless required."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=1 if required else 0,
            max_length=max_length,
            pattern=NO_CONTROL_CHARACTERS,
        ),
    ]


class Schema(BaseModel):
    """An input schema: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


def blank_is_missing(value: Any) -> Any:
    """A form's empty input of a required field reads "必填项", not "not a number"."""
    if is_blank(value):
        raise PydanticCustomError("missing", "required")
    return value


Required = BeforeValidator(blank_is_missing)


def optional(kind):
    """`kind`, or None when left blank."""
    return Annotated[kind | None, BeforeValidator(blank_to_none)]


def check_period(record):
    """A record-level check: `start` not after `end` (the error is shown on `end`)."""
    if record.end is not None and record.start > record.end:
        raise PydanticCustomError("start_after_end", "start after end", {"field": "end"})
    return record

