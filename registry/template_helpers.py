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

# (endpoint, text, action): shown to users who may do the action (None: every signed-in user)
# and only once the endpoint is registered.
NAV = (
    ("main.index", _l("首页"), None),
    ("practice.mine", _l("我的企业实践"), "edit_own_practice"),
    ("teachers.index", _l("教师名单"), "list_teachers"),
    ("teachers.prehire", _l("聘前核查"), "edit_teachers"),
    ("imports.upload", _l("批量导入"), "import_teachers"),
    ("practice.review", _l("实践审核"), "review_practice"),
    ("audit.compliance", _l("合规名单"), "read_compliance_lists"),
    ("audit.dashboard", _l("统计看板"), "read_dashboard"),
    ("audit.exceptions", _l("例外审批"), "read_exception_queue"),
    ("schools.index", _l("学校"), "read_schools"),
    ("policies.index", _l("政策参数"), "read_policy"),
    ("auth.tokens", _l("API 令牌"), None),
)


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, str(text))
        for endpoint, text, action in NAV
        if (action is None or permissions.can(current_user, action)) and endpoint in current_app.view_functions
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
        has_endpoint=lambda endpoint: endpoint in current_app.view_functions,
    )
    app.jinja_env.filters.update(months=months, iso=iso)
