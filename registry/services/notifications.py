"""Notifications: recording them (once per person and key) and reading them back in the registry.

Requests and the reminders command only record: a Notification row, and an e-mail Delivery when the person gets
reminders by e-mail (registry.services.deliveries.queue_email). Nothing is sent from here.

Reading them (the bell, the list, opening one, marking read) is always of the caller's own notifications:
another person's id is NotFound. Marking read is not audited: it changes nothing of the registry's data, only
what the bell counts.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from registry import permissions
from registry.dates import today
from registry.errors import NotFound
from registry.extensions import db
from registry.models import Notification, PracticeRecord, User, utcnow
from registry.notify.messages import Message, build
from registry.notify.unsubscribe import user_for_unsubscribe_token
from registry.rules.vocabulary import NotificationKind, PracticeStatus, Role
from registry.services import deliveries
from registry.services.audit import update_audited
from registry.transactions import atomic
from registry.views_common import safe_next


def record_notification(user: User, kind: NotificationKind, key: str, as_of: date, payload: Mapping[str, Any],
                        link: str) -> Notification | None:
    """Record the notification `key` for `user` unless it is already recorded, and queue its e-mail.

    `key` identifies the reminder (registry.rules.reminders gives the keys: the same reminder for the same
    person, cycle and threshold has the same key); `payload` is JSON-able (dates as ISO strings, months as
    numbers); `link` is the path of the page where the person acts. Returns the new Notification, or None when
    one with this key was recorded before (also when another process recorded it at the same moment).
    """
    recorded = select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)
    if db.session.scalar(recorded) is not None:
        return None
    notification = Notification(user=user, kind=kind, key=key, as_of=as_of, payload=dict(payload), link=link)
    try:
        with db.session.begin_nested():
            db.session.add(notification)
            db.session.flush()
    except IntegrityError:  # recorded by a concurrent run between the check and the insert
        return None
    deliveries.queue_email(notification)
    return notification


# --- reading them in the registry --------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the bell's badge); 0 for anyone not signed in."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


@dataclass(frozen=True)
class ShownNotification:
    """A notification as the list shows it: the row (date, read or not) and its words in the reader's language."""

    notification: Notification
    message: Message

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def list_notifications(actor: User, page: int) -> Pagination:
    """One page (`page`, from 1; PER_PAGE a page) of the actor's own notifications, newest first.

    The pagination's `items` are ShownNotification (the row and its Message, registry.notify.messages.build in
    the current request's language). A page beyond the last is empty, never an error.
    """
    permissions.authorize(actor, "read_own_notifications")
    query = select(Notification).where(Notification.user_id == actor.id).order_by(Notification.id.desc())
    found = db.paginate(query, page=page, per_page=current_app.config["PER_PAGE"], error_out=False)
    found.items = [ShownNotification(item, shown_message(item)) for item in found.items]
    return found


def shown_message(notification: Notification) -> Message:
    """The notification's Message; a payload its builder cannot read (kept from an older version of the registry)
    gives a Message of the kind's name and the date, so the list is never broken by one old row."""
    try:
        return build(notification.kind, notification.payload, notification.as_of, notification.link)
    except (KeyError, TypeError, ValueError):
        kind = NotificationKind(notification.kind)
        return Message(subject=_(kind.label), lead=_("%(day)s 的通知", day=format_date(notification.as_of, "long")),
                       action=_("查看"), link=notification.link)


def own_notification(actor: User, notification_id: int) -> Notification:
    """The actor's own notification `notification_id`; NotFound when it does not exist or is someone else's."""
    permissions.authorize(actor, "read_own_notifications")
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound("notification")
    return notification


@atomic
def mark_read(actor: User, notification_id: int) -> Notification:
    """Mark the actor's own notification read (it keeps the moment it was first read). NotFound as own_notification."""
    notification = own_notification(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


@atomic
def mark_all_read(actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many were unread."""
    permissions.authorize(actor, "read_own_notifications")
    result = db.session.execute(
        update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None)).values(read_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def open_notification(actor: User, notification_id: int) -> str:
    """Mark the actor's own notification read and return where it leads: its link, a path of this site ("/…").

    A stored link that is not a path of this site (an absolute URL, "//host") is never followed: the home page
    is returned instead (registry.views_common.safe_next), so a notification cannot redirect anyone elsewhere.
    NotFound as own_notification.
    """
    notification = mark_read(actor, notification_id)
    return safe_next(notification.link or None)


# --- review outcomes ---------------------------------------------------------------------------------------------

def page_path(endpoint: str, **values: Any) -> str:
    """The path of a page of the registry, as a notification links to it (built without a request: the reminders
    run from the command line)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def notify_practice_reviewed(record: PracticeRecord) -> list[Notification]:
    """Tell the teacher that HR verified or rejected `record` (call it in the review's transaction, after the
    decision is written). Returns the notifications recorded: one per active teacher account of the record's
    teacher (none for a teacher without one, or for a record in any other status).

    Kind practice_verified or practice_rejected; key "practice_review:<record id>:<reviewed_at ISO>" (a record
    rejected, corrected and verified gets two); as_of the review day (Dandong); payload {"record_id",
    "teacher_id", "enterprise", "start", "end"} (dates ISO, end None while open) and "reason" when rejected;
    link the teacher's practice page at the record. Nothing is sent here (registry.services.deliveries).
    """
    kinds = {PracticeStatus.VERIFIED: NotificationKind.PRACTICE_VERIFIED,
             PracticeStatus.REJECTED: NotificationKind.PRACTICE_REJECTED}
    kind = kinds.get(record.status)
    if kind is None or record.reviewed_at is None:
        return []
    payload: dict[str, Any] = {
        "record_id": record.id,
        "teacher_id": record.teacher_id,
        "enterprise": record.enterprise,
        "start": record.start.isoformat(),
        "end": record.end.isoformat() if record.end else None,
    }
    if kind == NotificationKind.PRACTICE_REJECTED:
        payload["reason"] = record.reject_reason
    accounts = db.session.scalars(
        select(User).where(User.teacher_id == record.teacher_id, User.role == Role.TEACHER, User.active.is_(True))
        .order_by(User.id)
    )
    key = f"practice_review:{record.id}:{record.reviewed_at.isoformat()}"
    link = f"{page_path('practice.mine')}#practice-{record.id}"
    recorded = [record_notification(user, kind, key, today(), payload, link) for user in accounts]
    return [notification for notification in recorded if notification is not None]


# --- one-click unsubscribe (the link in every e-mail) --------------------------------------------------------------


def unsubscribe_account(token: str) -> User:
    """The account an unsubscribe link's signed token names (registry.notify.unsubscribe); NotFound for a token
    that is not one of ours."""
    user = user_for_unsubscribe_token(token)
    if user is None:
        raise NotFound("user")
    return user


@atomic
def unsubscribe(token: str) -> User:
    """Stop e-mailing reminders to the account the token names (User.email_reminders off) and return it; the
    signed token is the person's authority, so the change is recorded as theirs. Doing it twice changes nothing
    more. NotFound as unsubscribe_account.
    """
    user = unsubscribe_account(token)
    update_audited(user, user, {"email_reminders": False})
    return user
