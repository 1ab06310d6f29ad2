"""Pinyin order for names: the key stored beside a name so that SQL orders by it on SQLite and PostgreSQL alike."""
from __future__ import annotations

from typing import Any

from pypinyin import Style, lazy_pinyin
from sqlalchemy import String

KEY_LENGTH = 200
# Byte order on PostgreSQL whatever the database's collation (a locale collation would skip the spaces between
# syllables); SQLite compares bytes already.
NameKey = String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


def name_key(name: str) -> str:
    """The pinyin sort key of a name: each character's syllable with its tone number, space separated.

    '张宏伟' -> 'zhang1 hong2 wei3'; so 李明 ('li3 ming2') sorts before 林强 ('lin2 qiang2'), and 王 (wang2) before
    张 (zhang1), as a Chinese office expects. Letters and digits are kept, lower-cased. At most KEY_LENGTH characters.
    """
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(" ".join(syllables).lower().split())[:KEY_LENGTH]


def name_key_default(column: str):
    """A column default computing the key from `column` of the same INSERT (ORM and Core inserts alike)."""

    def default(context: Any) -> str:
        return name_key(context.get_current_parameters()[column])

    return default
