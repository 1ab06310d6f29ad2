"""Every code the registry stores, with its Chinese label.

The codes of rules.md live in the pure rule package; this module adds the
application's own (roles, genders, forms of practice, exception states) so
models, forms, the API and the importer share one list.
"""
from flask_babel import lazy_gettext as _l

from registry.rules.facts import (  # noqa: F401  (re-exported)
    CERTIFICATE_KINDS,
    COURSE_TYPES,
    EDUCATION_LEVELS,
    EMPLOYER_TYPES,
    HIRE_CHANNELS,
    POST_TYPES,
    PRACTICE_STATUSES,
    SKILL_LEVELS,
    TRAINING_KINDS,
    TRAINING_STATUSES,
)

ROLES = ("teacher", "school_hr", "bureau", "admin")
GENDERS = ("male", "female")
PRACTICE_FORMS = ("shadowing", "placement", "visit", "skill_training", "part_time", "research", "other")
EXCEPTION_STATUSES = ("requested", "approved", "refused")

LABELS = {
    "role": {"teacher": _l("教师"), "school_hr": _l("学校人事"), "bureau": _l("市教育局"), "admin": _l("系统管理员")},
    "gender": {"male": _l("男"), "female": _l("女")},
    "course_type": {"specialty": _l("专业课教师"), "internship": _l("实习指导教师"), "general": _l("公共基础课教师")},
    "post_type": {"fixed": _l("固定岗"), "flowing": _l("流动岗")},
    "hire_channel": {"open": _l("公开招聘"), "direct": _l("直接考核引进")},
    "education": {
        "below_secondary": _l("初中及以下"),
        "secondary": _l("高中/中专/技校"),
        "associate": _l("高职专科(大专)"),
        "bachelor": _l("本科"),
        "master": _l("硕士研究生"),
        "doctor": _l("博士研究生"),
    },
    "employer_type": {"enterprise": _l("企业"), "school": _l("学校"), "public": _l("机关事业单位"), "other": _l("其他")},
    "certificate_kind": {
        "skill": _l("职业技能等级证书/职业资格证书"),
        "teacher": _l("教师资格证"),
        "title": _l("专业技术职称"),
    },
    "skill_level": {
        "junior": _l("五级/初级工"),
        "intermediate": _l("四级/中级工"),
        "senior": _l("三级/高级工"),
        "technician": _l("二级/技师"),
        "senior_technician": _l("一级/高级技师"),
    },
    "practice_status": {"planned": _l("计划中"), "submitted": _l("待审核"), "verified": _l("已审核"), "rejected": _l("已退回")},
    "practice_form": {
        "shadowing": _l("跟岗实践"),
        "placement": _l("顶岗实践"),
        "visit": _l("企业考察观摩"),
        "skill_training": _l("技能培训"),
        "part_time": _l("兼职任职"),
        "research": _l("产品研发/技术创新"),
        "other": _l("其他"),
    },
    "training_kind": {"rotation": _l("全员轮训"), "other": _l("其他培训")},
    "training_status": {"planned": _l("计划中"), "completed": _l("已完成")},
    "exception_status": {"requested": _l("待审批"), "approved": _l("已批准"), "refused": _l("未批准")},
}


def label(vocabulary: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(LABELS[vocabulary].get(code, code))


def choices(vocabulary: str, blank: str | None = None) -> list[tuple[str, str]]:
    items = [(code, str(text)) for code, text in LABELS[vocabulary].items()]
    return [("", blank)] + items if blank is not None else items
