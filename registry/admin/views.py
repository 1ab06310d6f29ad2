"""The administrator's account pages: the list with its search and filters, a new account, an account's page
(edit, disable or enable, reset the password). A one-time password is shown once, in the answer to the form
that made it, and never kept in the session or the page's address."""
from __future__ import annotations

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import presenters
from registry.admin import bp
from registry.admin.forms import EditAccountForm, NewAccountForm, UserFilterForm
from registry.errors import Conflict
from registry.extensions import db
from registry.models import User
from registry.schemas.admin import UserListQuery
from registry.schemas.queries import parse_query_leniently
from registry.services import schools as school_service
from registry.services import users as user_service
from registry.views_common import save_or_show


@bp.route("/")
@login_required
def index():
    query = parse_query_leniently(UserListQuery, request.args)
    found = user_service.search_users(current_user, query)
    page = db.paginate(found, page=query.page, per_page=query.per_page, error_out=False)
    form = UserFilterForm(formdata=request.args)
    form.offer_schools(school_service.visible_schools(current_user))
    return render_template("admin/users.html", page=page, form=form, query=query)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = NewAccountForm(data={"role": request.args.get("role", ""), "school_id": request.args.get("school_id", "")})
    offer_choices(form)
    if form.validate_on_submit() and not form.only_listing():
        made = save_or_show(form, lambda: user_service.create_account(current_user, form.values()))
        if made is not None:
            user, plain = made
            return one_time_password_page(user, plain, created=True, back=url_for("admin.detail", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def detail(user_id: int):
    user = user_service.managed_user(current_user, user_id)
    form = EditAccountForm(data={"role": user.role, "school_id": str(user.school_id or ""),
                                 "teacher_id": str(user.teacher_id or ""), "display_name": user.display_name,
                                 "email": user.email or ""})
    offer_choices(form, account_id=user.id)
    if (form.validate_on_submit() and not form.only_listing()
            and save_or_show(form, lambda: user_service.update_account(current_user, user.id, form.values())) is not None):
        flash(_("账号 %(login)s 已保存。", login=user.login), "success")
        return redirect(url_for("admin.detail", user_id=user.id))
    history = user_service.account_history(current_user, user.id)
    return render_template(
        "admin/user.html", user=user, form=form, is_self=user.id == current_user.id,
        history=[(event, presenters.event_changes(event, current_user)) for event in history],
    )


@bp.route("/<int:user_id>/disable", methods=["POST"])
@login_required
def disable(user_id: int):
    return set_active(user_id, False)


@bp.route("/<int:user_id>/enable", methods=["POST"])
@login_required
def enable(user_id: int):
    return set_active(user_id, True)


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    plain = user_service.reset_password(current_user, user_id)
    user = db.session.get(User, user_id)
    return one_time_password_page(user, plain, created=False, back=url_for("admin.detail", user_id=user_id))


def set_active(user_id: int, active: bool):
    try:
        user = user_service.set_user_active(current_user, user_id, active)
    except Conflict as exc:
        flash(exc.message, "danger")
    else:
        if active:
            flash(_("账号 %(login)s 已启用，可以重新登录。", login=user.login), "success")
        else:
            flash(_("账号 %(login)s 已停用：它的登录已全部退出，API 令牌也不再可用。", login=user.login), "success")
    return redirect(url_for("admin.detail", user_id=user_id))


def offer_choices(form, account_id: int | None = None) -> None:
    """Every school, and the teachers of the school chosen in the form that may be linked to the account."""
    teachers = user_service.linkable_teachers(current_user, form.chosen_school_id(), account_id)
    form.offer(school_service.visible_schools(current_user), teachers)


def one_time_password_page(user: User, plain: str, created: bool, back: str) -> Response:
    """The page that shows a one-time password once; never stored by the browser or a proxy."""
    response = make_response(render_template("admin/one_time_password.html", account=user, password=plain,
                                             created=created, back=back))
    response.headers["Cache-Control"] = "no-store"
    return response
