"""Filters and globals the templates share."""
from __future__ import annotations

from datetime import date

from flask import Flask, current_app
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry import permissions, presenters
from registry.rules.explain import STATUS_LABELS, explain
from registry.vocabulary import LABELS, label

# (endpoint, text, roles); entries whose endpoint is not registered are left out.
NAV = (
    ("main.index", _l("首页"), {"teacher", "school_hr", "bureau", "admin"}),
    ("practice.mine", _l("我的企业实践"), {"teacher"}),
    ("teachers.index", _l("教师名单"), {"school_hr", "bureau", "admin"}),
    ("teachers.prehire", _l("聘前核查"), {"school_hr"}),
    ("imports.upload", _l("批量导入"), {"school_hr"}),
    ("practice.review", _l("实践审核"), {"school_hr"}),
    ("audit.compliance", _l("合规名单"), {"school_hr", "bureau", "admin"}),
    ("audit.dashboard", _l("统计看板"), {"bureau", "admin"}),
    ("audit.exceptions", _l("例外审批"), {"bureau"}),
    ("schools.index", _l("学校"), {"school_hr", "bureau", "admin"}),
    ("policies.index", _l("政策参数"), {"bureau", "admin"}),
    ("auth.tokens", _l("API 令牌"), {"teacher", "school_hr", "bureau", "admin"}),
)


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, str(text))
        for endpoint, text, roles in NAV
        if current_user.role in roles and endpoint in current_app.view_functions
    ]


# The rule package's labels are Chinese msgids; translate them when shown.
RULE_STATUS_LABELS = {code: _l(text) for code, text in STATUS_LABELS.items()}


def status_label(status: str | None) -> str:
    """A rule status, or the status of a practice record or hire exception, in Chinese."""
    for table in (RULE_STATUS_LABELS, LABELS["practice_status"], LABELS["exception_status"]):
        if status in table:
            return str(table[status])
    return status or "—"


def explain_result(result) -> list[str]:
    """The sentences explaining a rule result, in the user's language (the Jinja global `explain`)."""
    return explain(result, translate=gettext)


def months(value) -> str:
    """Months as users read them: one decimal unless more is needed."""
    if value is None:
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") if float(value) % 1 else f"{float(value):.0f}"


def iso(value: date | None) -> str:
    return value.isoformat() if value else "—"


def init(app: Flask) -> None:
    app.jinja_env.globals.update(
        label=label,
        status_label=status_label,
        explain=explain_result,
        nav_items=nav_items,
        current_locale=get_locale,
        can=lambda action: permissions.can(current_user, action),
        masked_id=presenters.masked_id_number,
        action_label=presenters.action_label,
        entity_label=presenters.entity_label,
        event_changes=presenters.event_changes,
        has_endpoint=lambda endpoint: endpoint in current_app.view_functions,
    )
    app.jinja_env.filters.update(months=months, iso=iso)
