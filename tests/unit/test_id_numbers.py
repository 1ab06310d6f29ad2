"""The resident identity number: one stored form however it was typed, and the birth date and gender it gives."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from registry.schemas.fields import normalise_code
from registry.schemas.id_numbers import (
    birth_date,
    gender_code,
    id_number_check_char,
    normalise_identifier,
    parse_id_number,
)


def valid(first17: str) -> str:
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    "number, born, gender",
    [
        (valid("21060219900101001"), date(1990, 1, 1), "male"),
        (valid("21060219900101002"), date(1990, 1, 1), "female"),
        (valid("21060220000229124"), date(2000, 2, 29), "female"),
        (valid("11010519491231999"), date(1949, 12, 31), "male"),
        ("21060219920202033X", date(1992, 2, 2), "male"),
    ],
)
def test_the_birth_date_and_gender_are_read_from_the_number(number, born, gender):
    assert (birth_date(number), gender_code(number)) == (born, gender)


def test_a_birth_date_that_does_not_exist_is_a_value_error():
    with pytest.raises(ValueError):
        birth_date(valid("21060219900230001"))


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("２１０６０２１９９２０２０２０３３ｘ", "21060219920202033X"),
        (" 210602 19920202033x\u200b", "21060219920202033X"),
        ("\ufeff21060219920202033X\u3000", "21060219920202033X"),
        ("2106\u00ad0219920202033\u2060X", "21060219920202033X"),
    ],
)
def test_an_identifier_is_stored_in_one_form_however_it_was_typed(typed, stored):
    assert normalise_identifier(typed) == stored == parse_id_number(typed)


@pytest.mark.parametrize(
    "typed, lower, read",
    [("\u3000ｆｉｘｅｄ\u200b", True, "fixed"), ("ＢＡＣＨＥＬＯＲ", True, "bachelor"), (" 男\ufeff", True, "男"),
     ("Ｘ", False, "X"), (3, True, 3)],
)
def test_a_code_is_read_in_its_plain_form(typed, lower, read):
    assert normalise_code(typed, lower) == read


FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)} | {"X": "ｘ"}
NOISE = st.sampled_from(["", " ", "\u3000", "\u200b", "\ufeff", "\u2060"])


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    wide=st.lists(st.booleans(), min_size=18, max_size=18),
    noise=st.lists(NOISE, min_size=19, max_size=19),
)
def test_any_valid_number_typed_with_full_width_digits_and_invisible_characters_reads_back_as_itself(born, serial, wide, noise):
    number = valid(f"210602{born:%Y%m%d}{serial:03d}")
    typed = noise[0] + "".join(
        (FULL_WIDTH[ch] if w else ch.lower()) + gap for ch, w, gap in zip(number, wide, noise[1:], strict=True)
    )
    assert parse_id_number(typed) == number
    assert birth_date(number) == born
    assert gender_code(number) == ("male" if serial % 2 else "female")


def test_a_wrong_check_digit_is_refused_after_normalising():
    number = valid("21060219900101001")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(PydanticCustomError) as refused:
        parse_id_number("".join(FULL_WIDTH.get(ch, ch) for ch in wrong))
    assert refused.value.type == "id_number_check"
