"""Work-group robots: the webhook address a school (its HR) or the bureau (the administrator) registers, so that
their digests are posted into a WeCom (企业微信) or DingTalk (钉钉) group.

The address and the DingTalk secret are credentials: anyone who has them can post into the group. They are kept
in the database for sending, shown only masked (`masked_url`), and the audit trail records that they changed,
never what they are.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from registry import permissions
from registry.errors import Invalid, NotFound
from registry.extensions import db
from registry.models import Delivery, RobotWebhook, School, User
from registry.notify.robots import check_webhook_url
from registry.rules.vocabulary import RobotKind
from registry.schemas import load
from registry.schemas.notifications import RobotWebhookIn
from registry.services.audit import append_events, event_values
from registry.transactions import atomic

SHOWN_KEY_CHARACTERS = 4  # of a webhook's key (WeCom) or access token (DingTalk), only the last few are shown
MASK = "••••"


def masked_url(url: str) -> str:
    """A webhook address as the pages and the audit trail show it: scheme, host and path, and of each query value
    only its last SHOWN_KEY_CHARACTERS characters: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••3f2a."""
    parts = urlsplit(url)
    query = "&".join(f"{name}={MASK}{value[-SHOWN_KEY_CHARACTERS:] if len(value) > 2 * SHOWN_KEY_CHARACTERS else ''}"
                     for name, value in parse_qsl(parts.query, keep_blank_values=True))
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")


def robot_owner(actor: User, school_id: int | None) -> School | None:
    """The school whose robot the actor manages (None: the bureau's robot).

    A school: HR of that school or the administrator ("manage_school_robot"); Forbidden for other roles, NotFound
    for a school the actor cannot see (HR of another school). The bureau: the administrator only
    ("manage_bureau_robot"), Forbidden for everyone else.
    """
    if school_id is None:
        permissions.authorize(actor, "manage_bureau_robot")
        return None
    return permissions.find(actor, "manage_school_robot", School, school_id)


def stored_robot(school_id: int | None) -> RobotWebhook | None:
    condition = RobotWebhook.school_id.is_(None) if school_id is None else RobotWebhook.school_id == school_id
    return db.session.scalar(select(RobotWebhook).where(condition))


def robot_webhook(actor: User, school_id: int | None) -> RobotWebhook | None:
    """The robot registered for the school `school_id` (None: the bureau's), or None. Errors as robot_owner."""
    robot_owner(actor, school_id)
    return stored_robot(school_id)


def last_post(robot: RobotWebhook | None) -> Delivery | None:
    """The robot's most recent post (whatever its status), so that whoever set the robot sees whether it works:
    a wrong address shows here as 发送失败 with the robot's answer. None when nothing was posted yet."""
    if robot is None:
        return None
    # Only posts since the robot was last saved: a failure of the address it replaced says nothing about this one.
    return db.session.scalar(select(Delivery).where(
        Delivery.robot_id == robot.id, func.coalesce(Delivery.last_attempt_at, Delivery.created_at) >= robot.updated_at,
    ).order_by(Delivery.id.desc()).limit(1))


def audited_values(robot: RobotWebhook) -> dict:
    """What the audit trail keeps of a robot: its kind, its address masked, whether it has a secret."""
    return {"kind": str(robot.kind), "url": masked_url(robot.url), "secret": MASK if robot.secret else None}


def record_robot_event(actor: User, action: str, robot: RobotWebhook, before: dict | None, after: dict | None) -> None:
    """The audit event of a robot, tied to its school (so that the school's change history lists it)."""
    db.session.flush()
    append_events([event_values(actor, action, "robot_webhook", robot.id, None, robot.school_id, before, after)])


@atomic
def set_robot_webhook(actor: User, school_id: int | None, data: dict) -> RobotWebhook:
    """Register (or replace) the work-group robot of the school `school_id` (None: the bureau's) and return it.

    `data`: registry.schemas.notifications.RobotWebhookIn — kind (a RobotKind code), url (the robot's webhook
    address, checked by registry.notify.robots.check_webhook_url), secret (DingTalk 加签, optional: "SEC…"),
    clear_secret (True: remove the stored secret). The secret is never shown back, so a blank one keeps the
    stored secret while the robot stays a DingTalk robot; a WeCom robot has none.
    Recorded as "create" or "update" with the address masked. Invalid by field; errors of access as robot_owner.
    """
    robot_owner(actor, school_id)
    clean = load(RobotWebhookIn, data)
    kind = RobotKind(clean.kind)
    errors: dict[str, str] = {}
    if (problem := check_webhook_url(kind, clean.url)) is not None:
        errors["url"] = problem
    if clean.secret and kind != RobotKind.DINGTALK:
        errors["secret"] = _("只有钉钉群机器人使用加签密钥；企业微信群机器人请留空")
    elif clean.secret and not clean.secret.startswith("SEC"):
        errors["secret"] = _("钉钉的加签密钥以 SEC 开头，请从机器人的安全设置中完整复制")
    elif clean.secret and clean.clear_secret:
        errors["clear_secret"] = _("填写了新的加签密钥就不能同时清除密钥：请只选一项")
    if errors:
        raise Invalid(errors)
    robot = stored_robot(school_id)
    before = audited_values(robot) if robot is not None else None
    url_changed = robot is not None and robot.url != clean.url
    secret = kept_secret(robot, kind, clean.url, clean.secret, clean.clear_secret)
    secret_changed = robot is not None and bool(robot.secret) and bool(secret) and robot.secret != secret
    if robot is None:
        robot = RobotWebhook(school_id=school_id)
        db.session.add(robot)
    robot.kind, robot.url, robot.secret, robot.updated_by_id = kind, clean.url, secret, actor.id
    after = audited_values(robot)
    if before is not None and url_changed and after["url"] == before["url"]:
        after["url"] += _("（已更换）")  # a new key that happens to end like the old one is still a change
    if secret_changed:
        after["secret"] += _("（已更换）")
    record_robot_event(actor, "update" if before is not None else "create", robot, before, after)
    return robot


def kept_secret(robot: RobotWebhook | None, kind: RobotKind, url: str, typed: str, clear: bool) -> str | None:
    """The DingTalk secret a saved robot keeps: the one typed; else, unless `clear`, the stored one while it stays
    the same DingTalk robot (same kind, same address: another robot has a secret of its own); None for WeCom."""
    if kind != RobotKind.DINGTALK or clear:
        return None
    if typed:
        return typed
    same_robot = robot is not None and robot.kind == RobotKind.DINGTALK and robot.url == url
    return robot.secret if same_robot else None


@atomic
def delete_robot_webhook(actor: User, school_id: int | None) -> None:
    """Remove the robot of the school `school_id` (None: the bureau's); its unsent posts go with it.

    Recorded as "delete" (address masked). NotFound when none is registered; errors of access as robot_owner.
    """
    robot_owner(actor, school_id)
    robot = stored_robot(school_id)
    if robot is None:
        raise NotFound("robot_webhook")
    record_robot_event(actor, "delete", robot, audited_values(robot), None)
    db.session.delete(robot)
