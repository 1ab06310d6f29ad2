"""Names sort by pinyin, as a Chinese office lists them, through the key stored beside each name."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.sort_keys import KEY_LENGTH, name_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("张宏伟", "zhang1 hong2 wei3"),
        ("李明", "li3 ming2"),
        ("孙美玲", "sun1 mei3 ling2"),
        ("Anna 李", "anna li3"),
        ("  王 芳 ", "wang2 fang1"),
    ],
)
def test_a_name_key_spells_each_character_in_pinyin_with_its_tone(name, key):
    assert name_key(name) == key


def test_names_in_key_order_follow_the_alphabet_of_their_pinyin_not_their_character_codes():
    names = ["张伟", "王芳", "李明", "安然", "林强", "李立"]
    assert sorted(names, key=name_key) == ["安然", "李立", "李明", "林强", "王芳", "张伟"]
    assert sorted(names) != sorted(names, key=name_key)  # character codes would put 张 before 李 and 王


@given(st.text(max_size=300))
def test_every_name_has_a_key_that_fits_its_column(name):
    key = name_key(name)
    assert len(key) <= KEY_LENGTH and key == key.lower()
