"""The administrator's account forms: rendering and CSRF only; registry.services.users validates
(registry.schemas.admin). The school and teacher drop-downs get their choices from the view."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField

from registry.form_fields import code_select, payload
from registry.models import School, Teacher
from registry.rules.vocabulary import Role
from registry.schemas.admin import AccountIn, AccountLinks
from registry.services.users import UNUSED_DAYS

ACTIVE_CHOICES = {"": _l("全部状态"), "true": _l("可用"), "false": _l("已停用")}


def in_language(choices: dict) -> dict[str, str]:
    """Drop-down choices {value: label} with their labels translated for this request."""
    return {value: str(text) for value, text in choices.items()}


class UserFilterForm(FlaskForm):
    """The account list's search and filters, read from the query string (GET: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("登录名或姓名"), render_kw={"maxlength": 50, "type": "search"})
    role = code_select(_l("角色"), Role, blank=_l("全部角色"))
    school_id = SelectField(_l("学校"), validate_choice=False)
    active = SelectField(_l("状态"), choices=lambda: in_language(ACTIVE_CHOICES), validate_choice=False)
    unused = BooleanField(_l("只看长期未使用的账号（从未登录或 %(n)s 天未登录）", n=UNUSED_DAYS), false_values=("false", ""))
    submit = SubmitField(_l("查找"))

    def offer_schools(self, schools: list[School]) -> None:
        self.school_id.choices = in_language({"": _l("全部学校"), **{str(s.id): s.name for s in schools}})


class AccountLinksForm(FlaskForm):
    """Role, school, teacher record, display name and e-mail address: what the administrator sets on an account."""

    role = code_select(_l("角色"), Role)
    school_id = SelectField(_l("学校"), validate_choice=False)
    teacher_id = SelectField(_l("对应教师（仅教师账号）"), validate_choice=False)
    display_name = StringField(_l("显示名称"), render_kw={"maxlength": 50})
    email = StringField(_l("电子邮件地址"), render_kw={"type": "email", "maxlength": 254, "autocomplete": "off"})
    # Submits the form without saving it: the page comes back with the chosen school's teachers to pick from.
    list_teachers = SubmitField(_l("列出该校教师"))

    def offer(self, schools: list[School], teachers: list[Teacher]) -> None:
        """The drop-downs' choices: every school, and the teachers that may be linked (of the chosen school)."""
        self.school_id.choices = in_language({"": _l("不属于某所学校（市教育局、系统管理员）"), **{str(s.id): s.name for s in schools}})
        blank = _l("请选择教师") if teachers else _l("请先选择学校，再点“列出该校教师”")
        self.teacher_id.choices = in_language({"": blank, **{str(t.id): t.name for t in teachers}})

    def chosen_school_id(self) -> int | None:
        """The school picked in the form, when it is a number (the service checks that it exists)."""
        value = self.school_id.data
        return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10 else None

    def only_listing(self) -> bool:
        """Whether the form was sent to list the chosen school's teachers, not to be saved."""
        return bool(self.list_teachers.data)


class NewAccountForm(AccountLinksForm):
    login = StringField(_l("登录名"), render_kw={"maxlength": 50, "autocomplete": "off"})
    submit = SubmitField(_l("创建账号并生成一次性密码"))

    def values(self) -> dict[str, Any]:
        """The AccountIn input, as typed."""
        return payload(self, AccountIn)


class EditAccountForm(AccountLinksForm):
    submit = SubmitField(_l("保存修改"))

    def values(self) -> dict[str, Any]:
        """The AccountLinks input, as typed."""
        return payload(self, AccountLinks)
