"""Every place that stores, validates, offers or shows a code derives it from registry.rules.vocabulary.

The tests walk the code lists and the models: adding a member to a list (or a
coded column to a model) is checked everywhere without touching this file.
"""
from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_babel import gettext
from sqlalchemy import CheckConstraint, select
from wtforms import FieldList, SelectField

from registry.extensions import db
from registry.models import (
    Certificate,
    EmploymentRecord,
    PolicyVersion,
    PracticeRecord,
    Teacher,
    TrainingRecord,
    User,
)
from registry.policies.forms import PolicyForm
from registry.practice.forms import PracticeForm as PracticePageForm
from registry.rules.vocabulary import (
    RULE_PREVIOUS,
    RULE_STATUS,
    VOCABULARIES,
    EmployerType,
    ExceptionStatus,
    LeadershipStatus,
    PracticeStatus,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas import (
    PREVIOUS_RESULTS,
    RULE_STATUSES,
    CandidateIn,
    CertificateIn,
    ComplianceQueryIn,
    EmploymentIn,
    PolicyIn,
    PracticeIn,
    TeacherIn,
    TrainingIn,
    UserIn,
)
from registry.services import import_cells, import_sheets, imports
from registry.teachers.forms import CertificateForm, EmploymentForm, PrehireForm, TeacherForm, TrainingForm
from registry.vocabulary import TONE_COLORS, CodeColumn, choices, coded_columns, label

LISTS = sorted(VOCABULARIES.items())
STATUS_LISTS = (*RULE_STATUS.values(), LeadershipStatus, *RULE_PREVIOUS.values(), PracticeStatus, TrainingStatus, ExceptionStatus)
# What takes the input of each model's coded columns: its validation schemas and its page forms.
INPUTS = {
    Teacher: ((TeacherIn, CandidateIn, ComplianceQueryIn), (TeacherForm, PrehireForm)),
    EmploymentRecord: ((EmploymentIn,), (EmploymentForm,)),
    Certificate: ((CertificateIn,), (CertificateForm,)),
    PracticeRecord: ((PracticeIn,), (PracticePageForm,)),
    TrainingRecord: ((TrainingIn,), (TrainingForm,)),
    PolicyVersion: ((PolicyIn,), (PolicyForm,)),
    User: ((UserIn,), ()),
}
# A teacher only plans or submits a practice record; reviewing gives its other states.
PRACTICE_INPUT_STATUSES = (PracticeStatus.PLANNED, PracticeStatus.SUBMITTED)


def all_coded_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, CodeColumn):
                yield table, column


CHECK_IN = re.compile(r"^(?:(\w+) IS NULL OR )?(\w+) IN \((.*)\)$")


def check_codes(table, column: str) -> tuple[str, ...] | None:
    """The codes the table's <column>_code CHECK constraint allows, in its order (None without one)."""
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint) and constraint.name == f"ck_{table.name}_{column}_code":
            match = CHECK_IN.match(str(constraint.sqltext))
            assert match and match.group(2) == column, str(constraint.sqltext)
            return tuple(code.strip().strip("'") for code in match.group(3).split(","))
    return None


# ----------------------------------------------------------------- the database


def test_every_coded_column_is_typed_by_its_list_and_checked_by_the_database():
    seen = set()
    for table, column in all_coded_columns():
        seen.add(column.type.codes)
        assert check_codes(table, column.name) == column.type.codes.codes(), f"{table.name}.{column.name}"
        assert column.type.codes in VOCABULARIES.values()
        longest = max(len(code) for code in column.type.codes.codes())
        assert column.type.impl.length >= longest, f"{table.name}.{column.name} is too short for {longest} characters"
    assert seen, "no CodeColumn in the models"


def test_every_check_constraint_on_codes_belongs_to_a_coded_column():
    for table in db.metadata.sorted_tables:
        coded = {column.name for column in table.columns if isinstance(column.type, CodeColumn)}
        prefix, suffix = f"ck_{table.name}_", "_code"
        named = {
            c.name[len(prefix) : -len(suffix)]
            for c in table.constraints
            if isinstance(c, CheckConstraint) and c.name.startswith(prefix) and c.name.endswith(suffix)
        }
        assert named == coded, table.name


def test_a_stored_code_is_read_back_as_its_member(make):
    teacher = make.teacher()
    make.practice(teacher, "2024-01-01", "2024-02-01")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(Teacher))
    for name, codes in coded_columns(Teacher).items():
        value = getattr(stored, name)
        assert type(value) is codes and value is codes(value.value), name
    record = stored.practice[0]
    for name, codes in coded_columns(PracticeRecord).items():
        assert type(getattr(record, name)) is codes, name


# --------------------------------------------------------------- input schemas


def enum_of(schema: type, field: str) -> list[str] | None:
    """The JSON Schema enum of a field (through a nullable anyOf), or None."""
    prop = schema.model_json_schema()["properties"][field]
    for option in [prop, *prop.get("anyOf", [])]:
        if "enum" in option:
            return option["enum"]
    return None


@pytest.mark.parametrize("model", INPUTS, ids=lambda model: model.__name__)
def test_the_schemas_take_exactly_the_codes_of_each_coded_column(model):
    schemas, _forms = INPUTS[model]
    for schema in schemas:
        for name, codes in coded_columns(model).items():
            if name not in schema.model_fields:
                continue
            expected = codes.codes()
            if (schema, name) == (PracticeIn, "status"):
                expected = tuple(PRACTICE_INPUT_STATUSES)
            assert enum_of(schema, name) == list(expected), f"{schema.__name__}.{name}"


def test_the_compliance_query_takes_the_rules_their_statuses_and_previous_results():
    assert {rule.value: statuses.codes() for rule, statuses in RULE_STATUS.items()} == RULE_STATUSES
    assert enum_of(ComplianceQueryIn, "rule") == list(RULE_STATUSES)
    assert set(PREVIOUS_RESULTS) == {code for results in RULE_PREVIOUS.values() for code in results.codes()}
    assert enum_of(ComplianceQueryIn, "previous") == list(PREVIOUS_RESULTS)


# ------------------------------------------------------------------ page forms


def drop_downs(form, model):
    """(field, its code list) for each coded column the form offers, in the form and in the rows of its lists."""
    columns = coded_columns(model)
    for field in form:
        if field.short_name in columns:
            assert isinstance(field, SelectField), f"{model.__name__}.{field.short_name} is not a drop-down"
            yield field, columns[field.short_name]
        elif isinstance(field, FieldList):
            rows = model.__mapper__.relationships[field.short_name].mapper.class_
            yield from drop_downs(field.entries[0].form, rows)


@pytest.mark.parametrize("model", INPUTS, ids=lambda model: model.__name__)
def test_the_page_forms_offer_every_code_with_its_label(ctx, model):
    _schemas, forms = INPUTS[model]
    for form_class in forms:
        fields = list(drop_downs(form_class(meta={"csrf": False}), model))
        assert fields, form_class.__name__
        for field, codes in fields:
            offered = [(value, text) for value, text, *_rest in field.iter_choices() if value]
            assert offered == [(m.value, gettext(m.label)) for m in codes], f"{form_class.__name__}.{field.name}"


def test_choices_put_the_blank_first_and_translate_the_labels(ctx):
    for _name, codes in LISTS:
        assert choices(codes) == [(m.value, gettext(m.label)) for m in codes]
        assert choices(codes, blank="—")[0] == ("", "—")


# ---------------------------------------------------------------- bulk import


def test_the_import_reads_every_coded_teacher_column_by_code_label_and_short_form():
    assert {name: codes for name, codes in coded_columns(Teacher).items()} == imports.CODED
    for name, codes in imports.CODED.items():
        aliases = imports.ALIASES[name]
        assert set(aliases.values()) == set(codes.codes()), name
        for member in codes:
            for text in (member.value, member.label, *import_cells.short_forms(member)):
                assert aliases[import_cells.normalise(text)] == member.value, (name, text)


def test_every_short_form_belongs_to_a_coded_column_and_reads_as_one_code():
    coded = [*imports.CODED.values(), *(codes for sheet in import_sheets.SHEETS.values() for codes in sheet.coded.values())]
    members = {(codes, member.value): member for codes in coded for member in codes}
    for key, forms in import_cells.SHORT_FORMS.items():
        assert key in members, key
        assert forms and len(set(forms)) == len(forms), key
    for codes in {codes for codes, _code in members}:  # within one column, a text reads as one code only
        texts = [import_cells.normalise(t) for m in codes for t in {m.value, m.label, *import_cells.short_forms(m)}]
        assert len(texts) == len(set(texts)), codes


def test_a_short_form_of_one_list_is_not_read_in_another():
    assert import_cells.short_forms(TrainingKind.OTHER) == ("其他",)
    assert import_cells.short_forms(EmployerType.OTHER) == ()
    aliases = import_cells.code_aliases({"employer_type": EmployerType})["employer_type"]
    assert "其他培训" not in aliases and aliases["其他"] == "other"


def test_the_template_offers_each_code_once(ctx):
    for name, codes in imports.CODED.items():
        offered = [imports.offered(member) for member in codes]
        assert len(set(offered)) == len(offered) == len(codes), name
        accepted = imports.accepted_values(name)
        assert all(text in accepted for text in offered) and all(code in accepted for code in codes.codes()), name


# -------------------------------------------------------- labels, tones, badges


@pytest.mark.parametrize("name, codes", LISTS)
def test_labels_are_translated_once_for_a_member_or_a_code(ctx, name, codes):
    for member in codes:
        assert label(member) == label(name, member.value) == label(codes, member.value) == gettext(member.label)
    assert label(codes, "no_such_code") == "no_such_code"
    assert label(codes, None) == ""


@pytest.mark.parametrize("name, codes", LISTS)
def test_every_tone_has_a_chart_colour(name, codes):
    assert {member.tone for member in codes if member.tone} <= set(TONE_COLORS)


@pytest.mark.parametrize("codes", STATUS_LISTS, ids=lambda codes: codes.__name__)
def test_a_status_badge_shows_its_tone_and_label(ctx, codes):
    for member in codes:
        html = render_template_string('{% from "macros.html" import status_badge %}{{ status_badge(s) }}', s=member)
        assert f'class="badge text-bg-{member.tone} status-{member.value}"' in html
        assert f">{gettext(member.label)}</span>" in html


def test_templates_compare_with_members(ctx):
    for _name, codes in LISTS:
        member = next(iter(codes))
        assert render_template_string(f"{{{{ s == {codes.__name__}.{member.name} }}}}", s=member.value) == "True"
