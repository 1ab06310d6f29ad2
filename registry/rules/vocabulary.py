"""Every code list of the registry, defined once: the code, its Chinese label and, for statuses, how it looks.

Each list is a `StrEnum` of `Code` members, so a member *is* its code string
(`PracticeStatus.INFEASIBLE == "infeasible"`) and carries:

- `label`: the Chinese msgid (marked with N_ for `pybabel extract`; the app translates it where shown);
- `tone`: the look of a status everywhere it is shown, a Bootstrap colour name (badge class `text-bg-<tone>`,
  chart fill registry.vocabulary.TONE_COLORS[tone]), or None;
- `severity`: for a rule's status, its rank worst-first (0 is worst); None where it does not rank (not_applicable).

Everything else — database CHECK constraints, pydantic schemas, form choices,
import aliases, filters, chart colours, OpenAPI enums — is derived from these
classes (see registry/vocabulary.py for the application-side derivations).
Ordered lists (Education, SkillLevel) are defined in ascending order.
Standard library only: the rule package imports it.
"""
from __future__ import annotations

from enum import StrEnum
from functools import cache

from .i18n import N_


class Code(StrEnum):
    """A stored code with its label; subclasses list the members as (code, label[, tone[, severity]])."""

    label: str
    tone: str | None
    severity: int | None

    def __new__(cls, value: str, label: str, tone: str | None = None, severity: int | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.tone = tone
        member.severity = severity
        return member

    @classmethod
    @cache  # the fact classes check every code they are given against it
    def codes(cls) -> tuple[str, ...]:
        """The codes in definition order (for CHECK constraints, Literal types and JSON Schema enums)."""
        return tuple(member.value for member in cls)


# ---------------------------------------------------------------- teachers


class CourseType(Code):
    SPECIALTY = "specialty", N_("专业课教师")
    INTERNSHIP = "internship", N_("实习指导教师")
    GENERAL = "general", N_("公共基础课教师")


class PostType(Code):
    FIXED = "fixed", N_("固定岗")
    FLOWING = "flowing", N_("流动岗")


class HireChannel(Code):
    OPEN = "open", N_("公开招聘")
    DIRECT = "direct", N_("直接考核引进")


class Education(Code):
    """Ascending."""

    BELOW_SECONDARY = "below_secondary", N_("初中及以下")
    SECONDARY = "secondary", N_("高中/中专/技校")
    ASSOCIATE = "associate", N_("高职专科(大专)")
    BACHELOR = "bachelor", N_("本科")
    MASTER = "master", N_("硕士研究生")
    DOCTOR = "doctor", N_("博士研究生")


class Gender(Code):
    MALE = "male", N_("男")
    FEMALE = "female", N_("女")


class EmployerType(Code):
    ENTERPRISE = "enterprise", N_("企业")
    SCHOOL = "school", N_("学校")
    PUBLIC = "public", N_("机关事业单位")
    OTHER = "other", N_("其他")


class CertificateKind(Code):
    SKILL = "skill", N_("职业技能等级证书/职业资格证书")
    TEACHER = "teacher", N_("教师资格证")
    TITLE = "title", N_("专业技术职称")


class SkillLevel(Code):
    """Ascending."""

    JUNIOR = "junior", N_("五级/初级工")
    INTERMEDIATE = "intermediate", N_("四级/中级工")
    SENIOR = "senior", N_("三级/高级工")
    TECHNICIAN = "technician", N_("二级/技师")
    SENIOR_TECHNICIAN = "senior_technician", N_("一级/高级技师")


# ------------------------------------------------------ records and their states


class PracticeForm(Code):
    SHADOWING = "shadowing", N_("跟岗实践")
    PLACEMENT = "placement", N_("顶岗实践")
    VISIT = "visit", N_("企业考察观摩")
    SKILL_TRAINING = "skill_training", N_("技能培训")
    PART_TIME = "part_time", N_("兼职任职")
    RESEARCH = "research", N_("产品研发/技术创新")
    OTHER = "other", N_("其他")


class PracticeStatus(Code):
    """A practice record's review state; only verified records count (rules.md)."""

    PLANNED = "planned", N_("计划中"), "secondary"
    SUBMITTED = "submitted", N_("待审核"), "warning"
    VERIFIED = "verified", N_("已审核"), "success"
    REJECTED = "rejected", N_("已退回"), "danger"


class TrainingKind(Code):
    ROTATION = "rotation", N_("全员轮训")
    OTHER = "other", N_("其他培训")


class TrainingStatus(Code):
    PLANNED = "planned", N_("计划中"), "secondary"
    COMPLETED = "completed", N_("已完成"), "success"


class ExceptionStatus(Code):
    """A hire exception request: waiting for the bureau, then approved or refused."""

    REQUESTED = "requested", N_("待审批"), "warning"
    APPROVED = "approved", N_("已批准"), "success"
    REFUSED = "refused", N_("未批准"), "danger"


class FileType(Code):
    """The content types an evidence file may have (checked by its leading bytes, services/evidence.py)."""

    PDF = "application/pdf", N_("PDF")
    JPEG = "image/jpeg", N_("JPEG")
    PNG = "image/png", N_("PNG")


class Role(Code):
    TEACHER = "teacher", N_("教师")
    SCHOOL_HR = "school_hr", N_("学校人事")
    BUREAU = "bureau", N_("市教育局")
    ADMIN = "admin", N_("系统管理员")


# ------------------------------------------------------------- the rules


class Rule(Code):
    """The four rules of rules.md; the first three are evaluated per teacher."""

    HIRE = "hire", N_("招聘条件（企业工作经历与学历）"), "primary"
    PRACTICE = "practice", N_("教师企业实践"), "success"
    TRAINING = "training", N_("专业课教师全员轮训"), "info"
    LEADERSHIP = "leadership", N_("领导班子行业企业经历")


class HireStatus(Code):
    """Rule 1's verdict, in the order lists and charts show them; severity ranks worst first."""

    COMPLIANT = "compliant", N_("符合"), "success", 2
    EXCEPTION = "exception", N_("已批准例外"), "primary", 1
    NON_COMPLIANT = "non_compliant", N_("不符合"), "danger", 0
    NOT_APPLICABLE = "not_applicable", N_("不适用"), "secondary"


class PracticeRuleStatus(Code):
    """Rule 2's verdict for the current cycle."""

    MET = "met", N_("已达标"), "success", 3
    ON_TRACK = "on_track", N_("进度正常"), "primary", 2
    BEHIND = "behind", N_("进度落后"), "warning", 1
    INFEASIBLE = "infeasible", N_("本周期已无法完成"), "danger", 0
    NOT_APPLICABLE = "not_applicable", N_("不适用"), "secondary"


class TrainingRuleStatus(Code):
    """Rule 3's verdict for the current cycle."""

    DONE = "done", N_("已完成"), "success", 1
    PENDING = "pending", N_("未完成"), "warning", 0
    NOT_APPLICABLE = "not_applicable", N_("不适用"), "secondary"


class LeadershipStatus(Code):
    """Rule 4's verdict for a school."""

    COMPLIANT = "compliant", N_("符合"), "success", 1
    NON_COMPLIANT = "non_compliant", N_("不符合"), "danger", 0


class PreviousPractice(Code):
    """The practice rule's result for the previous cycle."""

    MET = "met", N_("上一周期已达标"), "success"
    FAILED = "failed", N_("上一周期未达标"), "danger"


class PreviousTraining(Code):
    """The training rule's result for the previous cycle."""

    DONE = "done", N_("上一周期已完成轮训"), "success"
    MISSED = "missed", N_("上一周期未完成轮训"), "danger"


class HireBasis(Code):
    """Why a hire complies."""

    STANDARD = "standard", N_("企业工作经历和学历均达到要求")
    GRADUATE_CERTIFICATE = "graduate_certificate", N_("持相关领域职业技能等级证书的毕业生")
    HIGH_SKILL_DIRECT = "high_skill_direct", N_("直接考核引进的高技能人才")
    EXCEPTION = "exception", N_("教育局批准的例外")


class Reason(Code):
    """Reason codes of the rule results (rules.md)."""

    GENERAL_COURSE = "general_course", N_("公共基础课教师不适用本规则")
    FLOWING_POST = "flowing_post", N_("流动岗（企业兼职）人员不适用本规则")
    HIRED_BEFORE_EFFECTIVE = "hired_before_effective", N_("在本规则施行前入职，不适用本规则")
    NOT_YET_HIRED = "not_yet_hired", N_("尚未入职，暂不适用")
    LEFT = "left", N_("已离职，不再适用")
    BEFORE_EFFECTIVE = "before_effective", N_("本规则对该教师尚未开始计算，暂不适用")
    EDUCATION_LOW = "education_low", N_("学历未达到最低要求")
    EXPERIENCE_SHORT = "experience_short", N_("企业工作经历不足")


# Each per-teacher rule and the statuses it gives.
RULE_STATUS: dict[Rule, type[Code]] = {
    Rule.HIRE: HireStatus,
    Rule.PRACTICE: PracticeRuleStatus,
    Rule.TRAINING: TrainingRuleStatus,
}
# Each per-teacher rule and its previous-cycle result (hire has none).
RULE_PREVIOUS: dict[Rule, type[Code]] = {
    Rule.PRACTICE: PreviousPractice,
    Rule.TRAINING: PreviousTraining,
}

class ImportKind(Code):
    """A sheet of the import workbook (api.md "Bulk import file"): the code names it on the command line (--kind) and
    the page; the label is the sheet's name in the template, by which a workbook's sheets are recognised."""

    TEACHERS = "teachers", N_("教师")
    EMPLOYMENT = "employment", N_("工作经历")
    CERTIFICATES = "certificates", N_("证书")
    TRAINING = "training", N_("培训")
    PRACTICE = "practice", N_("企业实践")


# ---------------------------------------------------------------- reminders and notifications


class NotificationKind(Code):
    """What a notification (a reminder, a review outcome, a digest) is about; registry.rules.reminders decides
    when each reminder is due."""

    CYCLE_DEADLINE = "cycle_deadline", N_("企业实践周期即将结束")
    PRACTICE_BEHIND = "practice_behind", N_("企业实践进度落后")
    PRACTICE_VERIFIED = "practice_verified", N_("企业实践记录已审核通过")
    PRACTICE_REJECTED = "practice_rejected", N_("企业实践记录被退回")
    TRAINING_MISSING = "training_missing", N_("全员轮训尚未完成")
    HR_DIGEST = "hr_digest", N_("学校人事每周摘要")
    BUREAU_DIGEST = "bureau_digest", N_("教育局每月摘要")


class Channel(Code):
    """How a notification leaves the registry (it is always shown in the registry itself)."""

    EMAIL = "email", N_("电子邮件")
    ROBOT = "robot", N_("工作群机器人")


class RobotKind(Code):
    """The work-group robot a webhook address belongs to; its message format follows."""

    WECOM = "wecom", N_("企业微信群机器人")
    DINGTALK = "dingtalk", N_("钉钉群机器人")


class DeliveryStatus(Code):
    PENDING = "pending", N_("待发送"), "secondary"
    SENDING = "sending", N_("发送中"), "info"
    SENT = "sent", N_("已发送"), "success"
    FAILED = "failed", N_("发送失败，将重试"), "danger"
    CANCELLED = "cancelled", N_("已取消"), "secondary"


# Every code list by the name the application uses for it (forms, labels, import, OpenAPI).
VOCABULARIES: dict[str, type[Code]] = {
    "course_type": CourseType,
    "post_type": PostType,
    "hire_channel": HireChannel,
    "education": Education,
    "gender": Gender,
    "employer_type": EmployerType,
    "certificate_kind": CertificateKind,
    "skill_level": SkillLevel,
    "practice_form": PracticeForm,
    "practice_status": PracticeStatus,
    "training_kind": TrainingKind,
    "training_status": TrainingStatus,
    "exception_status": ExceptionStatus,
    "file_type": FileType,
    "role": Role,
    "import_kind": ImportKind,
    "rule": Rule,
    "hire_status": HireStatus,
    "practice_rule_status": PracticeRuleStatus,
    "training_rule_status": TrainingRuleStatus,
    "leadership_status": LeadershipStatus,
    "previous_practice": PreviousPractice,
    "previous_training": PreviousTraining,
    "hire_basis": HireBasis,
    "reason": Reason,
    "notification_kind": NotificationKind,
    "channel": Channel,
    "robot_kind": RobotKind,
    "delivery_status": DeliveryStatus,
}
