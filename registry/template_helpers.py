"""Filters and globals the templates share."""
from __future__ import annotations

from datetime import date

from flask import Flask, current_app, g
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from registry import permissions, presenters
from registry.rules.explain import explain, title
from registry.rules.months import months_text
from registry.rules.vocabulary import VOCABULARIES
from registry.services.notifications import unread_count
from registry.services.reminders import DIGEST_THRESHOLDS
from registry.services.robots import masked_url
from registry.vocabulary import label

# (endpoint, text, action): shown to users who may do the action (None: every signed-in user)
# and only once the endpoint is registered.
NAV = (
    ("main.index", _l("首页"), None),
    ("practice.mine", _l("我的企业实践"), "edit_own_practice"),
    ("teachers.index", _l("教师名单"), "list_teachers"),
    ("teachers.prehire", _l("聘前核查"), "edit_teachers"),
    ("imports.upload", _l("批量导入"), "import_teachers"),
    ("practice.review", _l("实践审核"), "review_practice"),
    ("bureau.compliance", _l("合规名单"), "read_compliance_lists"),
    ("bureau.dashboard", _l("统计看板"), "read_dashboard"),
    ("bureau.exceptions", _l("例外审批"), "read_exception_queue"),
    ("schools.index", _l("学校"), "read_schools"),
    ("policies.index", _l("政策参数"), "read_policy"),
    ("admin.index", _l("账号管理"), "manage_users"),
    ("auth.tokens", _l("API 令牌"), None),
)


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, str(text))
        for endpoint, text, action in NAV
        if (action is None or permissions.may(current_user, action)) and endpoint in current_app.view_functions
    ]


def unread_notifications() -> int | None:
    """The signed-in user's unread notifications (the bell's badge; the Jinja global `unread_notifications`),
    counted once per request; 0 for a visitor.

    None when the database cannot answer: the error page of a failed transaction still renders, without a badge.
    """
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = unread_count(current_user)
        except SQLAlchemyError:
            g.unread_notifications = None
    return g.unread_notifications


def explain_result(result) -> list[str]:
    """The sentences explaining a rule result, in the user's language (the Jinja global `explain`)."""
    return explain(result, translate=gettext)


def rule_title(result) -> str:
    """A rule's heading with the figures of the policy version that decided it (the Jinja global `rule_title`)."""
    return title(result, translate=gettext)


def months(value) -> str:
    """The `months` filter: a number of months as every page writes it (registry.rules.months.months_text:
    "6", "6.5", "6.33"); "—" where there is no figure."""
    if value is None:
        return "—"
    return months_text(value)


def iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def init(app: Flask) -> None:
    # Each code list by its class name, so templates compare with members: r.status == PracticeStatus.REJECTED.
    app.jinja_env.globals.update({codes.__name__: codes for codes in VOCABULARIES.values()})
    app.jinja_env.globals.update(
        label=label,
        explain=explain_result,
        rule_title=rule_title,
        nav_items=nav_items,
        unread_notifications=unread_notifications,
        masked_webhook=masked_url,
        digest_thresholds=DIGEST_THRESHOLDS,  # the digests' days and months, as the robot settings state them
        current_locale=get_locale,
        can=lambda action: permissions.may(current_user, action),
        action_label=presenters.action_label,
        entity_label=presenters.entity_label,
        event_sentence=presenters.event_sentence,
        has_endpoint=lambda endpoint: endpoint in current_app.view_functions,
    )
    app.jinja_env.filters.update(months=months, iso=iso)
