from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from registry.auth import bp, throttle
from registry.auth.forms import ChangePasswordForm, LanguageForm, LoginForm, ReminderChoicesForm, TokenForm
from registry.auth_loaders import end_session, remember_language, renew_session, start_session
from registry.extensions import limiter
from registry.services import users
from registry.views_common import safe_next, save_or_show


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.attempts_per_address, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        throttle.check(form.login.data)
        user = users.sign_in(form.login.data, form.password.data, request.remote_addr)
        if user is None:
            throttle.record_failure(form.login.data)
            flash(_("登录名或密码不正确。"), "danger")
        else:
            start_session(user)
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out here and everywhere else: the account's session token is replaced."""
    if current_user.is_authenticated:
        users.sign_out(current_user._get_current_object(), request.remote_addr)
    end_session()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    """Everyone's own account: who they are, their recent sign-ins, password, language, reminders and API tokens."""
    user = current_user._get_current_object()
    return render_template("auth/account.html", **account_page(user, LanguageForm(data={"language": user.language or ""})))


@bp.route("/account/reminders", methods=["POST"])
@login_required
def change_reminders():
    """The account's e-mail address and whether reminders are e-mailed to it."""
    user = current_user._get_current_object()
    form = ReminderChoicesForm()
    if form.validate_on_submit():
        saved = save_or_show(form, lambda: users.set_reminder_choices(user, form.email.data, form.email_reminders.data))
        if saved is not None:
            flash(_("提醒方式已保存。"), "success")
            return redirect(url_for("auth.account") + "#reminders")
    page = account_page(user, LanguageForm(data={"language": user.language or ""}), form)
    return render_template("auth/account.html", **page), 400


@bp.route("/account/language", methods=["POST"])
@login_required
def change_language():
    """Keep the language chosen on the account (every browser it signs in on) and on this browser at once."""
    user = current_user._get_current_object()
    form = LanguageForm()
    if form.validate_on_submit():
        changed = save_or_show(form, lambda: users.set_language(user, form.language.data or None))
        if changed is not None:
            remember_language(changed)
            refresh()  # the confirmation below in the language just chosen
            flash(_("界面语言已保存。"), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", **account_page(user, form))


def account_page(user, form: LanguageForm, reminders_form: ReminderChoicesForm | None = None) -> dict:
    """What the account page shows: the language form, the reminder choices (`reminders_form`: as sent back with
    its errors), recent sign-ins and tokens."""
    return {
        "language_form": form,
        "reminders_form": reminders_form or ReminderChoicesForm(
            formdata=None, data={"email": user.email or "", "email_reminders": user.email_reminders}),
        "mail_configured": bool(current_app.config.get("MAIL_SERVER")),
        "sign_ins": users.recent_sign_ins(user),
        "tokens": [token for token in users.user_tokens(user) if token.revoked_at is None],
    }


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(throttle.attempts_per_address, methods=["POST"])
def change_password():
    """Every role changes its own password here; this browser stays signed in, every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        changed = save_or_show(form, lambda: users.change_password(user, form.current_password.data, form.new_password.data))
        if changed is not None:
            renew_session(changed)
            flash(_("密码已修改。其他设备上的登录已全部退出。"), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)


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
