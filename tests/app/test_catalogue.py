"""The English catalogue (registry/translations/en/LC_MESSAGES/messages.po) is complete: it holds every message the
code and the templates mark today, each one translated, none fuzzy, none losing a placeholder."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT, Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "registry/translations/en/LC_MESSAGES/messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")  # what the application reads; `make install` compiles it
# The keywords babel.cfg tells `pybabel extract` to add to its defaults.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}


@cache
def extracted() -> dict[str, str]:
    """Every msgid marked in registry/ and templates/ (the folders babel.cfg maps) -> where it is first marked."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


@cache
def catalogue() -> Catalog:
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="en")


def entries() -> list:
    """The catalogue's messages, without its header."""
    return [message for message in catalogue() if message.id]


def texts(value) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of its forms (singular and plural, or the one string)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def placeholders(value) -> set[str]:
    """The names of the %-placeholders in any form of `value` ("%(count)d" -> "count"; positional ones are left to
    babel's checker, which counts them)."""
    return {match.group(1) for text in texts(value) for match in PYTHON_FORMAT.finditer(text or "") if match.group(1)}


def test_the_extraction_finds_the_messages_of_the_code_and_of_the_templates():
    places = extracted().values()
    assert len(extracted()) > 500
    assert any(place.startswith("registry/rules/") for place in places)
    assert any(place.startswith("templates/") for place in places)


def test_every_message_marked_in_the_code_and_the_templates_is_in_the_catalogue():
    known = {texts(message.id)[0] for message in entries()}
    missing = {msgid: place for msgid, place in extracted().items() if msgid not in known}
    assert not missing, (
        f"{len(missing)} message(s) are not in {CATALOGUE.relative_to(ROOT)}; run the pybabel extract and update of "
        f"babel.cfg, then translate them: {sorted(missing.items(), key=lambda item: item[1])[:20]}"
    )


def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy():
    untranslated = [texts(message.id)[0] for message in entries() if not all(texts(message.string))]
    fuzzy = [texts(message.id)[0] for message in entries() if message.fuzzy]
    assert (len(untranslated), untranslated[:20]) == (0, [])
    assert (len(fuzzy), fuzzy[:20]) == (0, [])


def test_every_translation_keeps_the_placeholders_of_its_message_in_a_compatible_form():
    broken = [(message.id, [str(error) for error in errors]) for message, errors in catalogue().check()]
    dropped = [
        (message.id, sorted(placeholders(message.id) - placeholders(message.string)))
        for message in entries()
        if all(texts(message.string)) and placeholders(message.id) - placeholders(message.string)
    ]
    assert broken == []
    assert dropped == []


@pytest.mark.parametrize(
    ("msgid", "msgstr", "problem"),
    [
        ("共 %(count)d 人", "%(count)d people in all", None),
        ("共 %(count)d 人", "All the people", "dropped"),
        ("共 %(count)d 人", "%(count)d of %(total)d people", "broken"),
        ("共 %(count)d 人", "%(count)s people", "broken"),
        ("共 %(count)d 人，%(schools)d 所学校", "%(schools)d schools", "dropped"),
        ("完成 100%%", "100%% done", None),
    ],
)
def test_the_placeholder_check_tells_a_kept_placeholder_from_a_lost_one(msgid, msgstr, problem):
    catalog = Catalog(locale="en")
    catalog.add(msgid, msgstr, flags=("python-format",))
    broken = bool(list(catalog.check()))
    dropped = bool(placeholders(msgid) - placeholders(msgstr))
    assert (broken, dropped) == (problem == "broken", problem == "dropped")


def test_the_catalogue_holds_no_message_the_code_and_the_templates_no_longer_mark():
    stale = [texts(message.id)[0] for message in entries() if texts(message.id)[0] not in extracted()]
    assert (len(stale), stale[:20]) == (0, []), "run the pybabel update of babel.cfg with --ignore-obsolete"


def test_the_compiled_catalogue_the_application_reads_is_the_catalogue_as_written():
    assert COMPILED.exists(), "run `make install` (or pybabel compile -d registry/translations)"
    def fixed(value):  # a plural message's forms: a list read from the .mo, a tuple from the .po
        return tuple(value) if isinstance(value, list | tuple) else value

    with COMPILED.open("rb") as mo:
        compiled = {fixed(message.id): fixed(message.string) for message in read_mo(mo) if message.id}
    written = {fixed(message.id): fixed(message.string) for message in entries()
               if all(texts(message.string)) and not message.fuzzy}
    assert compiled == written, "messages.mo is out of date: run `make install` (or pybabel compile)"
