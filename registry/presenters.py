"""How records are shown: the JSON shapes of api.md, masked identity numbers, audit labels."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from registry import permissions
from registry.models import AuditEvent, Teacher, User
from registry.services.audit import plain

TEACHER_FIELDS = (
    "id", "name", "id_number", "gender", "school_id", "course_type", "specialty",
    "post_type", "hire_date", "hire_channel", "education", "leadership", "left_date",
)

ACTION_LABELS = {
    "create": _l("新增"), "update": _l("修改"), "delete": _l("删除"), "submit": _l("提交"),
    "verify": _l("审核通过"), "reject": _l("退回"), "reopen": _l("重新打开"),
    "request": _l("申请"), "approve": _l("批准"), "refuse": _l("不批准"), "upload": _l("上传"),
}
ENTITY_LABELS = {
    "teacher": _l("教师"), "employment_record": _l("工作经历"), "certificate": _l("证书"),
    "practice_record": _l("企业实践"), "training_record": _l("培训"), "hire_exception": _l("招聘例外"),
    "evidence": _l("证明材料"), "school": _l("学校"), "user": _l("账号"), "policy_version": _l("政策参数"),
}


def masked_id_number(value: str) -> str:
    """First 6 and last 4 characters only (api.md)."""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else value


def teacher_dict(teacher: Teacher, viewer: User) -> dict[str, Any]:
    data = {name: plain(getattr(teacher, name)) for name in TEACHER_FIELDS}
    if not permissions.can(viewer, "see_id_numbers"):
        data["id_number"] = masked_id_number(teacher.id_number)
    return data


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def entity_label(entity: str) -> str:
    return str(ENTITY_LABELS.get(entity, entity))


def event_changes(event: AuditEvent) -> list[tuple[str, tuple[Any, Any]]]:
    before = (event.changes or {}).get("before") or {}
    after = (event.changes or {}).get("after") or {}
    keys = sorted(set(before) | set(after))
    return [(key, (before.get(key), after.get(key))) for key in keys if key != "id"]
