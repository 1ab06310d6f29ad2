from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from registry.auth import bp, throttle
from registry.auth.forms import LoginForm, TokenForm
from registry.extensions import limiter
from registry.services import users
from registry.views_common import safe_next


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        throttle.check(form.login.data)
        user = users.authenticate(form.login.data, form.password.data)
        if user is None:
            throttle.record_failure(form.login.data)
            flash(_("登录名或密码不正确。"), "danger")
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _token, new_token = users.create_token(current_user, form.name.data or "")
        flash(_("新令牌已生成。它只显示这一次，请立即复制保存。"), "success")
    return render_template("auth/tokens.html", form=form, tokens=users.user_tokens(current_user), new_token=new_token)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    users.revoke_token(current_user, token_id)
    flash(_("令牌已吊销。"), "info")
    return redirect(url_for("auth.tokens"))
