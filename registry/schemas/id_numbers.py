"""The resident identity number (GB 11643-1999): 17 digits and a check character."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError

from registry.rules.vocabulary import Gender

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The check character (0-9 or X) of the first 17 digits."""
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def visible_text(text: str) -> str:
    """`text` in Unicode NFKC (full-width digits and letters made plain, the ideographic space a space) with every
    invisible format character (zero-width space, byte order mark, soft hyphen…) removed; spaces are kept."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")


def normalise_identifier(text: str) -> str:
    """An identifier as typed, as it is stored: Unicode NFKC (full-width digits and letters, the ideographic
    space), every space and invisible format character (zero-width space, byte order mark…) removed, upper case.

    '２１０６０２ １９９２０２０２０３３ｘ\u200b' -> '21060219920202033X'. The forms, the API and the import read
    identity numbers through this one function, so one person can never be stored twice.
    """
    return "".join(ch for ch in visible_text(text) if not ch.isspace()).upper()


def parse_id_number(value: Any) -> str:
    """An 18-character resident identity number with a valid GB 11643 check digit, normalised first
    (`normalise_identifier`). Raises PydanticCustomError (id_number, id_number_format, id_number_birth,
    id_number_check)."""
    if not isinstance(value, str):
        raise PydanticCustomError("id_number", "wrong type")
    value = normalise_identifier(value)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise PydanticCustomError("id_number_format", "format")
    try:
        birth_date(value)
    except ValueError:
        raise PydanticCustomError("id_number_birth", "birth date") from None
    if id_number_check_char(value[:17]) != value[17]:
        raise PydanticCustomError("id_number_check", "check digit")
    return value



def birth_date(id_number: str) -> date:
    """The birth date written in an identity number (characters 7-14, YYYYMMDD), e.g. '210602198801011234' ->
    date(1988, 1, 1). `id_number` is one `parse_id_number` accepted; ValueError for one whose date does not exist."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_code(id_number: str) -> str:
    """The gender an identity number gives (its 17th digit: odd for a man, even for a woman), as the code of
    registry.rules.vocabulary.Gender: "male" or "female". `id_number` has at least 17 characters, the 17th a digit."""
    return Gender.MALE.value if int(id_number[16]) % 2 else Gender.FEMALE.value
