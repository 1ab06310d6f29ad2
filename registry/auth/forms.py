from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    login = StringField(_l("登录名"), validators=[DataRequired(_l("请输入登录名")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码")), Length(max=200)])
    submit = SubmitField(_l("登录"))


class ChangePasswordForm(FlaskForm):
    """The new password's policy is the service's (registry.services.passwords); the form only asks for it twice."""

    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码"))])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码"))])
    confirm_password = PasswordField(
        _l("再次输入新密码"),
        validators=[DataRequired(_l("请再次输入新密码")), EqualTo("new_password", _l("两次输入的新密码不一致"))],
    )
    submit = SubmitField(_l("修改密码"))


class TokenForm(FlaskForm):
    name = StringField(_l("用途说明"), validators=[Length(max=100)])
    submit = SubmitField(_l("生成令牌"))


def language_choices() -> dict[str, str]:
    """"Follow the browser", then each language of Config.LANGUAGES named in itself (中文, English)."""
    return {"": str(_l("跟随浏览器设置")), **{code: Locale.parse(code).language_name for code in current_app.config["LANGUAGES"]}}


class LanguageForm(FlaskForm):
    """The account's language; registry.services.users.set_language checks it (registry.schemas.admin.LanguageIn)."""

    language = SelectField(_l("界面语言"), choices=language_choices, validate_choice=False)
    submit = SubmitField(_l("保存语言"))


class ReminderChoicesForm(FlaskForm):
    """How the account gets reminders besides the registry; registry.services.users.set_reminder_choices checks it."""

    email = StringField(_l("电子邮件地址"), render_kw={"type": "email", "maxlength": 254, "autocomplete": "email"})
    email_reminders = BooleanField(_l("通过电子邮件接收提醒"))
    submit = SubmitField(_l("保存提醒方式"))


class TeacherAccountForm(FlaskForm):
    """School HR makes a teacher's sign-in account: the login is proposed, HR may change it."""

    login = StringField(_l("登录名"), render_kw={"maxlength": 50, "autocomplete": "off"})
    submit = SubmitField(_l("创建登录账号"))
