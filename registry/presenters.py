"""How records are shown on the pages: masked identity numbers, the change history's labels and values.

The JSON shapes of api.md are registry.serializers.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry import permissions
from registry.extensions import db
from registry.models import AuditEvent, School, Teacher, User
from registry.rules.vocabulary import Code
from registry.schemas.fields import is_blank
from registry.vocabulary import coded_columns, label

ACTION_LABELS = {
    "create": _l("新增"), "update": _l("修改"), "delete": _l("删除"), "submit": _l("提交"),
    "verify": _l("审核通过"), "reject": _l("退回"), "reopen": _l("重新打开"), "revoke": _l("吊销"),
    "request": _l("申请"), "approve": _l("批准"), "refuse": _l("不批准"), "upload": _l("上传"),
    "sign_in": _l("登录"), "sign_in_failed": _l("登录失败"), "sign_out": _l("退出登录"),
    "password_change": _l("修改密码"), "password_reset": _l("重置密码"), "disable": _l("停用"), "enable": _l("启用"),
}
ENTITY_LABELS = {
    "teacher": _l("教师"), "employment_record": _l("工作经历"), "certificate": _l("证书"),
    "practice_record": _l("企业实践"), "training_record": _l("培训"), "hire_exception": _l("招聘例外"),
    "evidence": _l("证明材料"), "school": _l("学校"), "user": _l("账号"), "policy_version": _l("政策参数"), "api_token": _l("API 令牌"),
    "registry_setting": _l("系统设置"), "delivery": _l("通知发送"), "robot_webhook": _l("工作群机器人"),
}

FIELD_LABELS = {
    "name": _l("姓名"), "id_number": _l("身份证号"), "gender": _l("性别"), "school_id": _l("学校"),
    "course_type": _l("课程类别"), "specialty": _l("专业"), "post_type": _l("岗位类型"), "hire_date": _l("入职日期"),
    "hire_channel": _l("招聘方式"), "education": _l("学历"), "leadership": _l("领导班子成员"), "left_date": _l("离职日期"),
    "employer": _l("单位"), "employer_type": _l("单位类型"), "position": _l("岗位"), "start": _l("开始日期"),
    "end": _l("结束日期"), "kind": _l("类别"), "level": _l("等级"), "issued": _l("发证日期"), "related": _l("与专业相关"),
    "enterprise": _l("企业"), "form": _l("实践形式"), "description": _l("内容"), "status": _l("状态"),
    "reject_reason": _l("退回理由"), "program": _l("培训项目"), "hours": _l("学时"), "reason": _l("理由"),
    "note": _l("审批意见"), "filename": _l("文件名"), "size": _l("大小"), "teacher_id": _l("教师"),
    "submitted_at": _l("提交时间"), "reviewed_at": _l("审核时间"), "reviewed_by_id": _l("审核人"),
    "content_type": _l("文件类型"), "practice_id": _l("企业实践记录"), "uploaded_at": _l("上传时间"),
    "uploaded_by_id": _l("上传人"), "requested_at": _l("申请时间"), "requested_by_id": _l("申请人"),
    "decided_at": _l("审批时间"), "decided_by_id": _l("审批人"), "active": _l("账号可用"),
    "login": _l("登录名"), "display_name": _l("显示名称"), "role": _l("角色"), "language": _l("界面语言"),
    "must_change_password": _l("须修改密码"), "last_signed_in_at": _l("上次登录"), "address": _l("登录地址"),
    "effective_from": _l("生效日期"), "county": _l("县（市、区）"),
    "email": _l("电子邮箱"), "email_reminders": _l("通过电子邮件接收提醒"), "url": _l("Webhook 地址"),
    "secret": _l("加签密钥"), "attempts": _l("发送次数"), "last_error": _l("失败原因"),
}
# The model of each audited table, to name a record from its current fields.
MODELS = {mapper.class_.__tablename__: mapper.class_ for mapper in db.Model.registry.mappers}
# Internal fields the change history does not show (the audit log keeps them).
HIDDEN_FIELDS = frozenset({"id", "teacher_id", "stored_name", "practice_id"})
# The list each coded column's values come from, to show them in Chinese: (table, column) -> list.
CODED_FIELDS: dict[tuple[str, str], type[Code]] = {
    (table.name, name): codes for table in db.metadata.sorted_tables for name, codes in coded_columns(table).items()
}


def masked_id_number(value: str) -> str:
    """First 6 and last 4 characters only (api.md)."""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else value


def id_number_for(viewer: User | None, value: str) -> str:
    """An identity number as `viewer` may see it: in full for the roles that may see them, else masked.

    The one place this is decided: the serialisers (registry.serializers) and the change history call it.
    """
    return value if viewer is not None and permissions.may(viewer, "see_id_numbers") else masked_id_number(value)


def action_label(action: str) -> str:
    """An audited action's Chinese name ("verify" -> 审核通过); an unknown one as it is."""
    return str(ACTION_LABELS.get(action, action))


def entity_label(entity: str) -> str:
    """A table's Chinese name as the change history shows it; an unknown one as it is."""
    return str(ENTITY_LABELS.get(entity, entity))


def shown_value(field: str, value: Any, entity: str | None = None) -> Any:
    """A stored value of `entity`'s `field` as the change history shows it: 是/否, a code's label, a local time, a user's name."""
    if isinstance(value, bool):
        return str(_l("是") if value else _l("否"))
    codes = CODED_FIELDS.get((entity, field))
    if codes and isinstance(value, str):
        return label(codes, value)
    if field.endswith("_at") and isinstance(value, str):
        try:  # stored as ISO text in UTC; shown to the minute in the user's time zone
            return format_datetime(datetime.fromisoformat(value), "yyyy-MM-dd HH:mm")
        except ValueError:
            return value
    if (entity, field) == ("evidence", "size") and isinstance(value, int):
        return format_decimal(value / 1024, "#,##0.#") + " KB"
    if field == "school_id" and isinstance(value, int):
        school = db.session.get(School, value)
        return school.name if school is not None else value
    if field.endswith("_by_id") and isinstance(value, int):
        user = db.session.get(User, value)
        return (user.display_name or user.login) if user is not None else value
    return value


# A field whose name means something else on another record ("name" is 姓名 on a teacher).
ENTITY_FIELD_LABELS = {
    ("certificate", "name"): _l("证书名称"), ("school", "name"): _l("学校名称"), ("api_token", "name"): _l("令牌名称"),
    ("evidence", "size"): _l("文件大小"),
}


def field_label(entity: str, field: str) -> str:
    """How the change history names `entity`'s `field` (the record's own label first, then FIELD_LABELS)."""
    return str(ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field, field))


# The order fields are shown in: the forms' order, as FIELD_LABELS lists them; others after, by name.
FIELD_ORDER = {key: index for index, key in enumerate(FIELD_LABELS)}

# What a record is called in a sentence of the change history, filled from its fields and its teacher's name.
RECORD_NAMES = {
    "teacher": _l("教师%(name)s"),
    "employment_record": _l("%(teacher)s的工作经历（%(employer)s，%(start)s 起）"),
    "certificate": _l("%(teacher)s的证书（%(name)s）"),
    "practice_record": _l("%(teacher)s的企业实践记录（%(start)s 至 %(end)s）"),
    "training_record": _l("%(teacher)s的培训记录（%(program)s）"),
    "hire_exception": _l("%(teacher)s的招聘例外申请"),
    "evidence": _l("%(teacher)s的证明材料（%(filename)s）"),
    "school": _l("学校“%(name)s”"),
    "user": _l("账号“%(login)s”"),
    "policy_version": _l("政策版本（%(effective_from)s 起施行）"),
    "api_token": _l("API 令牌“%(name)s”"),
}
# What happened to it.
OUTCOMES = {
    "create": _l("已新增"), "update": _l("已修改"), "delete": _l("已删除"), "submit": _l("已提交审核"),
    "verify": _l("已审核通过"), "reject": _l("已退回"), "reopen": _l("已重新打开"), "revoke": _l("已吊销"),
    "request": _l("已提交"), "approve": _l("已批准"), "refuse": _l("未获批准"), "upload": _l("已上传"),
    "sign_in": _l("已登录"), "sign_in_failed": _l("登录失败"), "sign_out": _l("已退出登录"),
    "password_change": _l("已修改密码"), "password_reset": _l("已重置密码"), "disable": _l("已停用"), "enable": _l("已启用"),
}


def event_sentence(event: AuditEvent) -> str:
    """What an audit event did, as a sentence: '张宏伟的企业实践记录（2024-07-01 至 2024-08-31）已审核通过'.

    The record is named from the event's own snapshot, completed from the record as it is now; a record whose
    fields are gone (deleted, and the event did not carry them) is named by its kind.
    """
    changes = event.changes or {}
    values: dict[str, Any] = {**(changes.get("before") or {}), **(changes.get("after") or {})}
    template = RECORD_NAMES.get(event.entity)
    model = MODELS.get(event.entity)
    record = db.session.get(model, event.entity_id) if model is not None else None
    if record is not None:
        values = {column.key: getattr(record, column.key) for column in record.__table__.columns} | values
    if event.teacher_id is not None:
        teacher = db.session.get(Teacher, event.teacher_id)
        values["teacher"] = teacher.name if teacher is not None else entity_label("teacher")
    values = {key: "—" if value is None else value for key, value in values.items()}
    try:
        name = str(template) % values if template is not None else entity_label(event.entity)
    except KeyError:
        name = entity_label(event.entity)
    return _("%(record)s%(outcome)s", record=name, outcome=str(OUTCOMES.get(event.action, action_label(event.action))))


def event_changes(event: AuditEvent, viewer: User) -> list[tuple[str, tuple[Any, Any]]]:
    """(field label, (before, after)) for each field the event touched, in the forms' order, values in Chinese
    where coded, schools and people by name; a field blank before and after is left out.

    Snapshots keep identity numbers in full; they are masked here exactly as on the teacher itself.
    """
    before = (event.changes or {}).get("before") or {}
    after = (event.changes or {}).get("after") or {}
    keys = sorted(set(before) | set(after), key=lambda key: (FIELD_ORDER.get(key, len(FIELD_ORDER)), key))
    return [
        (field_label(event.entity, key), (shown_change(key, before.get(key), viewer, event.entity),
                                            shown_change(key, after.get(key), viewer, event.entity)))
        for key in keys
        if key not in HIDDEN_FIELDS and not (is_blank(before.get(key)) and is_blank(after.get(key)))
    ]


def shown_change(field: str, value: Any, viewer: User, entity: str | None = None) -> Any:
    """One value of the change history as `viewer` may see it: the identity number by role, else as shown_value."""
    if field == "id_number" and isinstance(value, str):
        return id_number_for(viewer, value)
    return shown_value(field, value, entity)
