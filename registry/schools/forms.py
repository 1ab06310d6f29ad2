"""The administrator's school form: rendering and CSRF only; registry.services.schools validates (SchoolIn)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField

from registry.form_fields import payload
from registry.schemas import SchoolIn


class SchoolForm(FlaskForm):
    name = StringField(_l("学校名称"), render_kw={"maxlength": 100})
    county = StringField(_l("所在县（市、区）"), render_kw={"maxlength": 50, "list": "known-counties", "autocomplete": "off"})
    submit = SubmitField(_l("保存"))

    def values(self) -> dict[str, Any]:
        """The SchoolIn input, as typed."""
        return payload(self, SchoolIn)
