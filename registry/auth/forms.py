from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    login = StringField(_l("登录名"), validators=[DataRequired(_l("请输入登录名")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码")), Length(max=200)])
    submit = SubmitField(_l("登录"))


class TokenForm(FlaskForm):
    name = StringField(_l("用途说明"), validators=[Length(max=100)])
    submit = SubmitField(_l("生成令牌"))
