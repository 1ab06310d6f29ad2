"""Every code the registry stores, with its label in the user's language.

The codes of rules.md and their Chinese labels live in the pure rule package
(registry.rules.facts, marked there with N_ for extraction); this module wraps
those labels in lazy_gettext (_l) and adds the application's own vocabularies
(roles, genders, forms of practice, exception states) so models, forms, the
API and the importer share one list.
"""
from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from registry.rules import facts
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


def _translated(labels: Mapping[str, str]) -> dict:
    """A rule label dict with each Chinese msgid translated when it is shown."""
    return {code: _l(text) for code, text in labels.items()}


LABELS = {
    "role": {"teacher": _l("教师"), "school_hr": _l("学校人事"), "bureau": _l("市教育局"), "admin": _l("系统管理员")},
    "gender": {"male": _l("男"), "female": _l("女")},
    "course_type": _translated(facts.COURSE_TYPE_LABELS),
    "post_type": _translated(facts.POST_TYPE_LABELS),
    "hire_channel": _translated(facts.HIRE_CHANNEL_LABELS),
    "education": _translated(facts.EDUCATION_LABELS),
    "employer_type": _translated(facts.EMPLOYER_TYPE_LABELS),
    "certificate_kind": _translated(facts.CERTIFICATE_KIND_LABELS),
    "skill_level": _translated(facts.SKILL_LEVEL_LABELS),
    "practice_status": _translated(facts.PRACTICE_STATUS_LABELS),
    "practice_form": {
        "shadowing": _l("跟岗实践"),
        "placement": _l("顶岗实践"),
        "visit": _l("企业考察观摩"),
        "skill_training": _l("技能培训"),
        "part_time": _l("兼职任职"),
        "research": _l("产品研发/技术创新"),
        "other": _l("其他"),
    },
    "training_kind": _translated(facts.TRAINING_KIND_LABELS),
    "training_status": _translated(facts.TRAINING_STATUS_LABELS),
    "exception_status": {"requested": _l("待审批"), "approved": _l("已批准"), "refused": _l("未批准")},
}


def translated(table: dict[str, str], code: str | None) -> str:
    """A label from one of the rule package's tables (plain Chinese msgids), in the user's language."""
    if not code:
        return ""
    return gettext(table[code]) if code in table else code


def label(vocabulary: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(LABELS[vocabulary].get(code, code))


def choices(vocabulary: str, blank: str | None = None) -> list[tuple[str, str]]:
    items = [(code, str(text)) for code, text in LABELS[vocabulary].items()]
    return [("", blank)] + items if blank is not None else items
