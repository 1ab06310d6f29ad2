"""Turning pydantic's errors into {field: Chinese message}, and `load`, the one way services validate input."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError

from registry.errors import Invalid
from registry.schemas.fields import Schema, is_blank


def messages() -> dict[str, str]:
    """Chinese text for each pydantic error type; looked up per request so a locale can switch."""
    return {
        "missing": _("必填项"),
        "extra_forbidden": _("不认识的字段"),
        "string_type": _("应为文字"),
        "string_too_short": _("不能为空"),
        "string_too_short_n": _("太短（至少 {min_length} 个字符）"),
        "string_pattern_mismatch": _("含有不允许的字符"),
        "string_too_long": _("太长（最多 {max_length} 个字）"),
        "literal_error": _("不是允许的取值，应为：{expected}"),
        "enum": _("不是允许的取值"),
        "date": _("不是有效日期，请用 YYYY-MM-DD 格式"),
        "date_nonexistent": _("不是有效日期：{value} 这一天不存在，请核对月份和日"),
        "date_range": _("日期须在 {min} 至 {max} 之间"),
        "bool_type": _("应为是或否（true/false）"),
        "bool_parsing": _("应为是或否（true/false）"),
        "int_type": _("应为整数"),
        "int_parsing": _("应为整数"),
        "int_from_float": _("应为整数"),
        "greater_than_equal": _("不能小于 {ge}"),
        "less_than_equal": _("不能大于 {le}"),
        "id_number": _("身份证号应为文字"),
        "id_number_format": _("身份证号应为18位，前17位为数字，最后一位为数字或X"),
        "id_number_birth": _("身份证号中的出生日期不存在"),
        "id_number_check": _("身份证号校验位不正确（GB 11643），请核对"),
        "left_before_hire": _("离职日期不能早于入职日期"),
        "start_after_end": _("结束日期不能早于开始日期"),
        "level_required": _("职业技能等级证书须填写等级"),
        "too_long": _("最多 {max_length} 条"),
        "list_type": _("应为列表"),
        "model_type": _("请求体应为 JSON 对象"),
        "practice_over_cycle": _("不能超过一个周期的总月数（{months} 个月）"),
        "status_unknown": _("不是该规则的状态，应为：{expected}"),
        "status_needs_rule": _("按“不适用”筛选时须同时选择规则"),
        "dict_type": _("请求体应为 JSON 对象"),
        "email": _("不是有效的电子邮件地址，应形如 zhangsan@example.com"),
    }


# A required field left blank reads as "必填项", not as a bad value of its type.
BLANK_IS_MISSING = frozenset(
    {"literal_error", "enum", "date", "string_type", "int_type", "int_parsing", "id_number", "id_number_format"}
)


def error_dict(exc: ValidationError) -> dict[str, str]:
    """Every bad field of `exc` with its message; nested fields by path (employment.0.end), the record as __all__."""
    table = messages()
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        # A record-level check names its field in ctx; nested records keep their path (employment.0.end).
        parts = [str(part) for part in error["loc"]] + ([ctx["field"]] if "field" in ctx else [])
        field = ".".join(parts) or "__all__"
        kind = error["type"]
        if kind == "string_too_short" and ctx.get("min_length", 1) > 1 and not is_blank(error.get("input")):
            kind = "string_too_short_n"
        template = table.get(kind)
        if error["type"] in BLANK_IS_MISSING and is_blank(error.get("input")):
            template = table["missing"]
        if template is None:
            message = error["msg"]
        else:
            try:
                message = template.format(**ctx)
            except (KeyError, IndexError):
                message = template
        errors.setdefault(field, message)
    return errors


def load(schema: type[Schema], data: Mapping[str, Any] | Any) -> Schema:
    """Validate input for a service; raise Invalid with every bad field."""
    if not isinstance(data, Mapping):
        raise Invalid({"__all__": messages()["model_type"]})
    try:
        return schema.model_validate(dict(data))
    except ValidationError as exc:
        raise Invalid(error_dict(exc)) from None
