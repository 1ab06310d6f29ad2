"""Notification pages: one's own list (the bell leads here), opening and marking read; the administrator's view of
deliveries and their retry; the one-click unsubscribe page of e-mails; the bureau's work-group robot."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry.errors import Conflict
from registry.extensions import csrf
from registry.notifications import bp
from registry.notifications.forms import RobotForm
from registry.services import deliveries, robots
from registry.services import notifications as service
from registry.views_common import page_arg, save_or_show


@bp.get("/")
@login_required
def index():
    """The user's notifications, newest first, a page at a time."""
    return render_template("notifications/list.html", page=service.list_notifications(current_user, page_arg()))


@bp.post("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark the notification read and go to the page where the user acts on it (a path of this site only)."""
    return redirect(service.open_notification(current_user, notification_id))


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    service.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index", page=page_arg()))


@bp.post("/read-all")
@login_required
def mark_all_read():
    count = service.mark_all_read(current_user)
    if count:
        flash(_("已将 %(n)s 条通知标为已读。", n=count), "success")
    else:
        flash(_("没有未读的通知。"), "info")
    return redirect(url_for("notifications.index"))


# --- the administrator: deliveries and the bureau's robot ---------------------------------------------------------


@bp.get("/deliveries")
@login_required
def deliveries_page():
    """How many e-mails and robot posts are pending, sent, failed; the failed ones with their errors."""
    return render_template("notifications/deliveries.html", overview=deliveries.delivery_overview(current_user))


@bp.post("/deliveries/<int:delivery_id>/retry")
@login_required
def retry_delivery(delivery_id: int):
    try:
        deliveries.retry_delivery(current_user, delivery_id)
    except Conflict as exc:
        flash(exc.message, "danger")
    else:
        flash(_("已放回发送队列：提醒命令（flask reminders send）下次运行时发送。"), "success")
    return redirect(url_for("notifications.deliveries_page"))


@bp.route("/robot", methods=["GET", "POST"])
@login_required
def bureau_robot():
    """The bureau's work-group robot, which receives the bureau's monthly digest (the administrator sets it)."""
    robot = robots.robot_webhook(current_user, None)
    form = RobotForm(data={"kind": str(robot.kind) if robot is not None else ""})
    if form.validate_on_submit() and save_or_show(form, lambda: robots.set_robot_webhook(current_user, None, form.values())):
        flash(_("教育局的工作群机器人已保存。"), "success")
        return redirect(url_for("notifications.bureau_robot"))
    return render_template("notifications/robot.html", robot=robot, form=form, last_post=robots.last_post(robot)), \
        400 if form.errors else 200


@bp.post("/robot/delete")
@login_required
def delete_bureau_robot():
    robots.delete_robot_webhook(current_user, None)
    flash(_("教育局的工作群机器人已移除，摘要不再发到该群。"), "success")
    return redirect(url_for("notifications.bureau_robot"))


# --- the unsubscribe link of every e-mail ---------------------------------------------------------------------------


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) has no form token: the signed token authenticates it
def unsubscribe(token: str):
    """No sign-in: GET asks to confirm (naming the account's login), POST stops reminder e-mails to it."""
    if request.method == "POST":
        return render_template("notifications/unsubscribe.html", account=service.unsubscribe(token), done=True)
    account = service.unsubscribe_account(token)
    return render_template("notifications/unsubscribe.html", account=account, done=not account.email_reminders)
