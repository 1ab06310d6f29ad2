"""Deliveries: the e-mails and robot posts waiting to be sent, sending them, and what failed.

A Delivery keeps the words rendered when it was queued, so every retry sends the same message; the address is
read when it is sent (the user's e-mail and choice, the robot's webhook). `deliver_pending` claims each delivery
with a guarded UPDATE and commits before sending, so two runs at once never send one twice, and commits each
outcome on its own: a server that is down fails its deliveries (retried by the next run) and never the others.
The e-mails of a run share one SMTP connection; once the mail server could not be reached, the run leaves its
other e-mails for the next run (skipped: not tried, not counted as attempts) and still posts to the robots.
Sending is not registry data: it writes no audit events; the admin's retry does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from registry import permissions
from registry.errors import Conflict, NotFound
from registry.extensions import db
from registry.models import Delivery, Notification, RobotWebhook, User, utcnow
from registry.notify import mail, robots
from registry.notify.messages import Message, build
from registry.notify.render import ROBOT_MAX_BYTES, fit_bytes, render_email, render_robot, unsubscribe_url
from registry.rules.vocabulary import Channel, DeliveryStatus, NotificationKind
from registry.services.audit import update_audited
from registry.transactions import atomic
from registry.vocabulary import label

# A delivery "sending" for longer than this was left by a run that died: the next run sends it again.
STALE_AFTER = timedelta(minutes=10)
PAGE = 100  # delivery ids read per query
SUBJECT_LENGTH = 200  # Delivery.subject
ERROR_LENGTH = 500  # enough for a sentence; a server's long answer is cut
RETRYABLE = (DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)  # what the admin may put back to pending
# What a run sends: pending and failed deliveries, and those left "sending" (TAKEN_OVER) by a run that died.
SENDS = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
TAKEN_OVER = DeliveryStatus.SENDING


# ------------------------------------------------------------------ queueing


def would_email(user: User) -> bool:
    """Whether a notification of `user` gets an e-mail: the account is active, has an e-mail address and wants
    reminders by e-mail (User.email_reminders), and MAIL_SERVER is configured."""
    return bool(current_app.config.get("MAIL_SERVER")) and email_cancel_reason(user) is None


def queue_email(notification: Notification) -> Delivery | None:
    """Queue the e-mail of `notification` when its user gets one (`would_email`); the words are rendered now in
    the user's language. Returns the Delivery, or None when nothing is queued. Idempotent (Delivery.key
    "email:<notification id>")."""
    user = notification.user
    if not would_email(user):
        return None
    key = f"email:{notification.id}"
    if already_queued(key):
        return None
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = build(notification.kind, notification.payload, notification.as_of, notification.link)
        email = render_email(message, user)
    return insert_once(Delivery(key=key, channel=Channel.EMAIL, notification_id=notification.id,
                                subject=email.subject[:SUBJECT_LENGTH], text_body=email.text, html_body=email.html))


def queue_robot(robot: RobotWebhook, key: str, message: Message) -> Delivery | None:
    """Queue a post of `message` to `robot` (its markdown rendered now), once per `key` (e.g.
    "robot:<robot id>:hr_digest:2026-W49"). Returns the Delivery, or None when that key was queued before."""
    if already_queued(key):
        return None
    post = render_robot(message, robot.kind)
    return insert_once(Delivery(key=key, channel=Channel.ROBOT, robot_id=robot.id, subject=post.title[:SUBJECT_LENGTH],
                                text_body=post.markdown, html_body=None))


def already_queued(key: str) -> bool:
    return db.session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None


def insert_once(delivery: Delivery) -> Delivery | None:
    """Insert `delivery` in a savepoint; None when another process queued its key in the meantime."""
    try:
        with db.session.begin_nested():
            db.session.add(delivery)
            db.session.flush()
    except IntegrityError:
        return None
    return delivery


# ------------------------------------------------------------------ sending


@dataclass
class DeliveryReport:
    """What one delivery run did, by delivery id: sent, failed (with the failures' messages in `errors`),
    cancelled (nobody to send it to any more), and `skipped`: e-mails not tried because the mail server could not
    be reached earlier in the run (left as they were, for the next run)."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def deliver_pending() -> DeliveryReport:
    """Send every delivery a run takes (`claimable`: pending, failed, or left "sending" by a run that died), in the
    order they were queued, each committed on its own: a server that is down marks its deliveries failed (retried
    by the next run) and never stops the others. The e-mails share one SMTP connection; after the mail server could
    not be reached (registry.notify.mail.unreachable), the remaining e-mails are skipped, robot posts still go."""
    report = DeliveryReport()
    last_id = 0
    with mail.Outbox() as outbox:
        while True:
            rows = db.session.execute(
                select(Delivery.id, Delivery.channel).where(Delivery.id > last_id, claimable(utcnow()))
                .order_by(Delivery.id).limit(PAGE)
            ).all()
            for delivery_id, channel in rows:
                if channel == Channel.EMAIL and outbox.unreachable:
                    report.skipped.append(delivery_id)
                else:
                    deliver(delivery_id, report, outbox)
            if len(rows) < PAGE:
                return report
            last_id = rows[-1].id


def claimable(now: datetime) -> ColumnElement[bool]:
    """Deliveries a run may take: SENDS (pending, failed), or TAKEN_OVER ("sending") for longer than STALE_AFTER.
    E-mails wait (pending) while no MAIL_SERVER is configured."""
    condition = or_(
        Delivery.status.in_(SENDS),
        and_(Delivery.status == TAKEN_OVER,
             or_(Delivery.last_attempt_at.is_(None), Delivery.last_attempt_at < now - STALE_AFTER)),
    )
    if not current_app.config.get("MAIL_SERVER"):
        condition = and_(condition, Delivery.channel != Channel.EMAIL)
    return condition


def claim(delivery_id: int) -> bool:
    """Mark the delivery "sending" (one more attempt) and commit, if it is still claimable; whether this run got it."""
    now = utcnow()
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, claimable(now))
        .values(status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1, last_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return claimed


def deliver(delivery_id: int, report: DeliveryReport, outbox: mail.Outbox) -> None:
    """Claim one delivery, send it (an e-mail through `outbox`) and commit its outcome (sent, failed with the
    reason, or cancelled)."""
    if not claim(delivery_id):
        return
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    try:
        cancelled_because = send(delivery, outbox)
    except Exception as error:  # every failure of one delivery stays with it; the run goes on
        message = failure_text(delivery, error)
        current_app.logger.warning("delivery %s (%s) failed: %s", delivery.id, delivery.channel, type(error).__name__)
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, message[:ERROR_LENGTH]
        report.failed.append(delivery.id)
        report.errors[delivery.id] = message
    else:
        if cancelled_because is None:
            delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, utcnow(), None
            report.sent.append(delivery.id)
        else:
            delivery.status, delivery.last_error = DeliveryStatus.CANCELLED, cancelled_because
            report.cancelled.append(delivery.id)
    db.session.commit()


def send(delivery: Delivery, outbox: mail.Outbox) -> str | None:
    """Send one claimed delivery to its address as it is now (an e-mail through `outbox`); the reason when there is
    nobody to send it to any more (the delivery is then cancelled), else None. Raises whatever the sending raises."""
    if (reason := superseded(delivery)) is not None:
        return reason
    if delivery.channel == Channel.EMAIL:
        user = delivery.notification.user
        if (reason := email_cancel_reason(user)) is not None:
            return reason
        outbox.send(user.email, delivery.subject, delivery.text_body, delivery.html_body, unsubscribe_url(user))
        return None
    robot = delivery.robot
    robots.post(robot.kind, robot.url, robot.secret, delivery.subject,
                fit_bytes(delivery.text_body, ROBOT_MAX_BYTES[robot.kind]))  # the robot's kind may have changed
    return None


DIGESTS = (NotificationKind.HR_DIGEST, NotificationKind.BUREAU_DIGEST)


def superseded(delivery: Delivery) -> str | None:
    """Why a digest still waiting is no longer worth sending: a newer digest for the same robot, or of the same kind
    for the same person, has been queued since (a robot or mail server down for weeks then sends the latest digest,
    not every week's). None for anything else."""
    if delivery.channel == Channel.ROBOT:
        newer = select(Delivery.id).where(Delivery.robot_id == delivery.robot_id, Delivery.id > delivery.id)
    elif delivery.notification.kind in DIGESTS:
        notification = delivery.notification
        newer = select(Notification.id).where(Notification.user_id == notification.user_id,
                                              Notification.kind == notification.kind, Notification.id > notification.id)
    else:
        return None
    return _("已有更新的一期摘要") if db.session.scalar(newer.limit(1)) is not None else None


def email_cancel_reason(user: User) -> str | None:
    """Why `user` gets no e-mail (disabled account, no address, e-mail reminders off), in the current locale; None
    when they get them. A queued e-mail with a reason is cancelled when it is sent."""
    if not user.active:
        return _("账号已停用")
    if not user.email:
        return _("账号已没有电子邮件地址")
    if not user.email_reminders:
        return _("账号已关闭邮件提醒")
    return None


def failure_text(delivery: Delivery, error: Exception) -> str:
    """The admin's words for a failed delivery: the server and what went wrong, never a password or webhook key."""
    if delivery.channel == Channel.EMAIL:
        return mail.failure_text(error)
    if isinstance(error, robots.RobotError):
        return str(error)
    return _("发送时出错（%(kind)s）", kind=type(error).__name__)


# ------------------------------------------------------------------ the admin's view


@dataclass(frozen=True)
class DeliveryProblem:
    """A delivery that failed or was cancelled, as the admin's page lists it. `recipient` names the account
    (login) of an e-mail, or the school (教育局 for the bureau) and kind of a robot."""

    id: int
    channel: Channel
    status: DeliveryStatus
    recipient: str
    subject: str
    attempts: int
    last_error: str
    last_attempt_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class DeliveryOverview:
    """How many deliveries are in each status (every DeliveryStatus, 0 included) and the failed and cancelled ones,
    newest first (at most `limit` of them; `problem_count` counts them all)."""

    counts: dict[DeliveryStatus, int]
    problems: list[DeliveryProblem]
    problem_count: int

    @property
    def failed(self) -> int:
        return self.counts[DeliveryStatus.FAILED]


def delivery_overview(actor: User, limit: int = 100) -> DeliveryOverview:
    """The deliveries' state for the administrator: counts per status and the latest `limit` failed or cancelled
    deliveries with recipient, attempts and last error. Forbidden for every other role."""
    permissions.authorize(actor, "manage_users")
    counts = status_counts()
    rows = db.session.scalars(
        select(Delivery).where(Delivery.status.in_(RETRYABLE)).order_by(Delivery.id.desc()).limit(limit)
    ).all()
    problems = [
        DeliveryProblem(
            id=row.id, channel=row.channel, status=row.status, recipient=recipient(row), subject=row.subject,
            attempts=row.attempts, last_error=row.last_error or "", last_attempt_at=row.last_attempt_at,
            created_at=row.created_at,
        )
        for row in rows
    ]
    return DeliveryOverview(counts, problems, sum(counts[status] for status in RETRYABLE))


def status_counts(*conditions: ColumnElement[bool]) -> dict[DeliveryStatus, int]:
    """How many deliveries (those meeting every one of `conditions`, SQL conditions on Delivery) are in each
    status: every DeliveryStatus, 0 included. One query."""
    found = dict(db.session.execute(
        select(Delivery.status, func.count()).where(*conditions).group_by(Delivery.status)).all())
    return {status: found.get(status, 0) for status in DeliveryStatus}


def waiting_counts() -> dict[DeliveryStatus, int]:
    """The deliveries a run would try now (`claimable`, as deliver_pending takes them), by status: pending, failed
    and "sending" (left by a run that died), each 0 included. E-mails are not counted while no MAIL_SERVER is set."""
    counts = status_counts(claimable(utcnow()))
    return {status: counts[status] for status in (*SENDS, TAKEN_OVER)}


def recipient(delivery: Delivery) -> str:
    if delivery.channel == Channel.EMAIL:
        return delivery.notification.user.login
    robot = delivery.robot
    owner = robot.school.name if robot.school is not None else _("教育局")
    return f"{owner} · {label(robot.kind)}"


@atomic
def retry_delivery(actor: User, delivery_id: int) -> Delivery:
    """Put a failed or cancelled delivery back to pending (sent by the next run), audited; the administrator only.

    Forbidden for other roles; NotFound for an unknown id; Conflict for a delivery that is pending, sending or
    sent.
    """
    permissions.authorize(actor, "manage_users")
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("delivery")
    if delivery.status not in RETRYABLE:
        raise Conflict(_("只有发送失败或已取消的通知可以重新发送"))
    update_audited(actor, delivery, {"status": DeliveryStatus.PENDING})
    return delivery
