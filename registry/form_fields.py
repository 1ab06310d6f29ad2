"""The field builders and the form-to-service hand-over that every page form shares.

Page forms render and carry CSRF only: a drop-down does not check its choices
and a date is typed text, because the input schemas (registry.schemas) are the
one place that refuses a bad value and names it.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from registry.dates import DATE_MAX, DATE_MIN
from registry.rules.vocabulary import Code
from registry.schemas import Schema
from registry.vocabulary import choices

PLEASE_CHOOSE = _l("请选择")


def date_field(label: Any, **render_kw: Any) -> StringField:
    """A date typed as YYYY-MM-DD (the browser's date picker, offering the accepted range); extra HTML attributes in
    `render_kw`."""
    return StringField(
        label,
        render_kw={"type": "date", "placeholder": "YYYY-MM-DD", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat(), **render_kw},
    )


def code_select(label: Any, codes: type[Code], blank: Any = PLEASE_CHOOSE) -> SelectField:
    """A drop-down of a code list (its labels in the user's language), led by a `blank` choice unless it is None."""
    return SelectField(
        label,
        choices=lambda: dict(choices(codes, blank=None if blank is None else str(blank))),
        validate_choice=False,
    )


def payload(form, schema: type[Schema]) -> dict[str, Any]:
    """The form's values for the fields `schema` knows, by name; a field the browser did not send reads as blank."""
    return {name: "" if form[name].data is None else form[name].data for name in schema.model_fields if name in form}
