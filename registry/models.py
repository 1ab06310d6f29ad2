"""The data model. Constraints that the data demands live in the database."""
from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from registry.extensions import db
from registry.rules.vocabulary import (
    CertificateKind,
    Channel,
    CourseType,
    DeliveryStatus,
    Education,
    EmployerType,
    ExceptionStatus,
    FileType,
    Gender,
    HireBasis,
    HireChannel,
    HireStatus,
    LeadershipStatus,
    NotificationKind,
    PostType,
    PracticeForm,
    PracticeRuleStatus,
    PracticeStatus,
    PreviousPractice,
    PreviousTraining,
    RobotKind,
    Role,
    Rule,
    SkillLevel,
    TrainingKind,
    TrainingRuleStatus,
    TrainingStatus,
)
from registry.sort_keys import NameKey, name_key, name_key_default
from registry.vocabulary import CodeColumn, one_of


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


class PinyinOrdered:
    """A record whose `name` lists sort by pinyin: the key (registry.sort_keys) is kept beside the name, on INSERT
    (ORM or Core) and whenever the ORM changes the name."""

    name_key: Mapped[str] = mapped_column(NameKey, default=name_key_default("name"), index=True)

    @validates("name")
    def keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class School(PinyinOrdered, db.Model):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    county: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = created_at_column()

    teachers: Mapped[list[Teacher]] = relationship(back_populates="school")

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Teacher(PinyinOrdered, db.Model):
    __tablename__ = "teacher"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    gender: Mapped[Gender] = mapped_column(CodeColumn(Gender, 10))
    course_type: Mapped[CourseType] = mapped_column(CodeColumn(CourseType, 20))
    specialty: Mapped[str] = mapped_column(String(50))
    post_type: Mapped[PostType] = mapped_column(CodeColumn(PostType, 10))
    hire_date: Mapped[date] = mapped_column(Date)
    hire_channel: Mapped[HireChannel] = mapped_column(CodeColumn(HireChannel, 10))
    education: Mapped[Education] = mapped_column(CodeColumn(Education, 20))
    leadership: Mapped[bool] = mapped_column(Boolean, default=False)
    left_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship(back_populates="teachers")
    employment: Mapped[list[EmploymentRecord]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="EmploymentRecord.start"
    )
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="Certificate.issued"
    )
    practice: Mapped[list[PracticeRecord]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="PracticeRecord.start"
    )
    training: Mapped[list[TrainingRecord]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="TrainingRecord.end"
    )
    hire_exceptions: Mapped[list[HireException]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="HireException.requested_at"
    )

    __table_args__ = (
        CheckConstraint("length(id_number) = 18", name="id_number_length"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        one_of("gender", Gender),
        one_of("course_type", CourseType),
        one_of("post_type", PostType),
        one_of("hire_channel", HireChannel),
        one_of("education", Education),
        CheckConstraint("left_date IS NULL OR left_date >= hire_date", name="left_after_hire"),
    )


class EmploymentRecord(db.Model):
    __tablename__ = "employment_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    employer: Mapped[str] = mapped_column(String(100))
    employer_type: Mapped[EmployerType] = mapped_column(CodeColumn(EmployerType, 20))
    position: Mapped[str] = mapped_column(String(100), default="")
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)

    teacher: Mapped[Teacher] = relationship(back_populates="employment")

    __table_args__ = (
        one_of("employer_type", EmployerType),
        CheckConstraint('"end" IS NULL OR start <= "end"', name="start_before_end"),
    )


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(CodeColumn(CertificateKind, 10))
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[SkillLevel | None] = mapped_column(CodeColumn(SkillLevel, 20))
    issued: Mapped[date] = mapped_column(Date)
    related: Mapped[bool] = mapped_column(Boolean, default=False)

    teacher: Mapped[Teacher] = relationship(back_populates="certificates")

    __table_args__ = (
        one_of("kind", CertificateKind),
        one_of("level", SkillLevel, nullable=True),
        CheckConstraint(f"kind <> '{CertificateKind.SKILL}' OR level IS NOT NULL", name="skill_has_level"),
    )


class PracticeRecord(db.Model):
    __tablename__ = "practice_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    enterprise: Mapped[str] = mapped_column(String(100))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    form: Mapped[PracticeForm] = mapped_column(CodeColumn(PracticeForm, 20))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PracticeStatus] = mapped_column(
        CodeColumn(PracticeStatus, 10), default=PracticeStatus.PLANNED, index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    teacher: Mapped[Teacher] = relationship(back_populates="practice")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="Evidence.uploaded_at"
    )

    __table_args__ = (
        one_of("status", PracticeStatus),
        one_of("form", PracticeForm),
        CheckConstraint('"end" IS NULL OR start <= "end"', name="start_before_end"),
        CheckConstraint(f"status <> '{PracticeStatus.VERIFIED}' OR reviewed_at IS NOT NULL", name="verified_has_reviewer"),
        CheckConstraint(f"status <> '{PracticeStatus.REJECTED}' OR reject_reason IS NOT NULL", name="rejected_has_reason"),
    )


class Evidence(db.Model):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice_record.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[FileType] = mapped_column(CodeColumn(FileType, 50))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = created_at_column()

    practice: Mapped[PracticeRecord] = relationship(back_populates="evidence")

    __table_args__ = (
        one_of("content_type", FileType),
        CheckConstraint("size > 0 AND size <= 10485760", name="size_limit"),
    )


class TrainingRecord(db.Model):
    __tablename__ = "training_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TrainingKind] = mapped_column(CodeColumn(TrainingKind, 10))
    end: Mapped[date] = mapped_column(Date)
    hours: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[TrainingStatus] = mapped_column(CodeColumn(TrainingStatus, 10))

    teacher: Mapped[Teacher] = relationship(back_populates="training")

    __table_args__ = (
        one_of("kind", TrainingKind),
        one_of("status", TrainingStatus),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
    )


class HireException(db.Model):
    __tablename__ = "hire_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    status: Mapped[ExceptionStatus] = mapped_column(
        CodeColumn(ExceptionStatus, 10), default=ExceptionStatus.REQUESTED, index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = created_at_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    teacher: Mapped[Teacher] = relationship(back_populates="hire_exceptions")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        one_of("status", ExceptionStatus),
        CheckConstraint("length(reason) > 0", name="reason_not_empty"),
        CheckConstraint(f"status = '{ExceptionStatus.REQUESTED}' OR decided_at IS NOT NULL", name="decision_dated"),
        # At most one request waiting for the bureau per teacher, even when two arrive at once.
        Index(
            "uq_hire_exception_one_open", "teacher_id", unique=True,
            sqlite_where=text(f"status = '{ExceptionStatus.REQUESTED}'"),
            postgresql_where=text(f"status = '{ExceptionStatus.REQUESTED}'"),
        ),
    )


class PolicyVersion(db.Model):
    """The parameters of rules.md, with the date each version took effect."""

    __tablename__ = "policy_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    hire_rule_effective: Mapped[date] = mapped_column(Date)
    hire_min_experience_months: Mapped[int] = mapped_column(Integer)
    hire_min_education: Mapped[Education] = mapped_column(CodeColumn(Education, 20))
    direct_min_skill_level: Mapped[SkillLevel] = mapped_column(CodeColumn(SkillLevel, 20))
    practice_rule_effective: Mapped[date] = mapped_column(Date)
    cycle_years: Mapped[int] = mapped_column(Integer)
    practice_required_months: Mapped[int] = mapped_column(Integer)
    leadership_min_experience_months: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        one_of("hire_min_education", Education),
        one_of("direct_min_skill_level", SkillLevel),
        CheckConstraint("hire_min_experience_months >= 0", name="hire_months_not_negative"),
        CheckConstraint("cycle_years > 0", name="cycle_years_positive"),
        CheckConstraint("practice_required_months > 0", name="practice_months_positive"),
        CheckConstraint("leadership_min_experience_months >= 0", name="leadership_months_not_negative"),
    )


class RegistrySetting(db.Model):
    """A registry-wide switch the administrator sets in the browser (registry.services.settings names them);
    a switch with no row has its default."""

    __tablename__ = "registry_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


def new_session_token() -> str:
    """A random session token for User.session_token: 32 bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(CodeColumn(Role, 20))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    # Part of every session cookie of this account (get_id): replacing it ends all of them at once.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Set by an administrator's reset: the one-time password only opens the page that replaces it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The pages' language the account chose (a code of Config.LANGUAGES); None follows the browser.
    language: Mapped[str | None] = mapped_column(String(10))
    # Where reminders are e-mailed (optional), and whether the person wants them by e-mail at all.
    email: Mapped[str | None] = mapped_column(String(254))
    email_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))

    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    teacher: Mapped[Teacher | None] = relationship(foreign_keys=[teacher_id])

    __table_args__ = (
        one_of("role", Role),
        CheckConstraint(f"role <> '{Role.SCHOOL_HR}' OR school_id IS NOT NULL", name="hr_has_school"),
        CheckConstraint(f"role <> '{Role.TEACHER}' OR teacher_id IS NOT NULL", name="teacher_has_record"),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What the session cookie keeps: "<id>:<session token>" (registry.auth_loaders reads it back)."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Replace the session token: every session cookie signed in with the old one no longer signs anyone in."""
        self.session_token = new_session_token()


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class AuditEvent(db.Model):
    """Append-only and chained: registry.services.audit.append_events writes every row, with the hash of the row
    before it (registry.audit_chain); triggers refuse UPDATE, DELETE and TRUNCATE (migration b8d2f1e3c4a5).

    On SQLite a migration that rebuilds this table (batch_alter_table) drops the triggers: it must create them again.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # No foreign keys: the trail outlives a deleted account or teacher, and deleting one must not rewrite it.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    teacher_id: Mapped[int | None] = mapped_column(Integer, index=True)
    school_id: Mapped[int | None] = mapped_column(Integer, index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 hex digests; a unique predecessor means the chain cannot fork even if two writers raced.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(primaryjoin="foreign(AuditEvent.actor_id) == User.id", viewonly=True)


# --- notifications (registry.services.notifications records them, registry.services.deliveries sends them) -----


class Notification(db.Model):
    """Something a person should know, shown in the registry (the bell) and sent by the channels they chose.

    `key` makes a reminder happen once: the same reminder for the same person, cycle and threshold has the same
    key (registry.rules.reminders), and (user_id, key) is unique. `payload` holds the figures as of `as_of`; the
    words are made from them where the notification is shown or sent (registry.notify.messages), in the reader's
    language. `link` is the path of the page where the person acts.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(CodeColumn(NotificationKind, 30))
    key: Mapped[str] = mapped_column(String(120))
    as_of: Mapped[date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="notification", passive_deletes=True)

    __table_args__ = (
        one_of("kind", NotificationKind),
        Index("uq_notification_user_key", "user_id", "key", unique=True),
        # The bell's count and the list: a user's notifications, unread first, newest first.
        Index("ix_notification_user_read", "user_id", "read_at", "id"),
    )


class RobotWebhook(db.Model):
    """The webhook address of a work-group robot (WeCom or DingTalk) that receives a school's HR digests, or the
    bureau's digests when `school_id` is None. At most one per school and one for the bureau."""

    __tablename__ = "robot_webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    kind: Mapped[RobotKind] = mapped_column(CodeColumn(RobotKind, 20))
    url: Mapped[str] = mapped_column(String(500))
    # DingTalk's 加签 secret (SEC…), when the robot's security setting asks for signed requests.
    secret: Mapped[str | None] = mapped_column(String(100))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[School | None] = relationship()

    __table_args__ = (
        one_of("kind", RobotKind),
        CheckConstraint("length(url) > 0", name="url_not_empty"),
        Index("uq_robot_webhook_owner", text("coalesce(school_id, 0)"), unique=True),
    )


class Delivery(db.Model):
    """One message to send by one channel: an e-mail of a notification, or a robot post of a digest.

    The words are rendered when the delivery is queued (the recipient's language, the figures of that day) and
    kept, so a retry sends exactly the same message. `key` makes it happen once. The address is read when it is
    sent (the user's e-mail, the robot's webhook), so a corrected address is used by the next retry.
    """

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[Channel] = mapped_column(CodeColumn(Channel, 10))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    robot_id: Mapped[int | None] = mapped_column(ForeignKey("robot_webhook.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        CodeColumn(DeliveryStatus, 10), default=DeliveryStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()

    notification: Mapped[Notification | None] = relationship(back_populates="deliveries")
    robot: Mapped[RobotWebhook | None] = relationship()

    __table_args__ = (
        one_of("channel", Channel),
        one_of("status", DeliveryStatus),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint(
            f"(channel = '{Channel.EMAIL}' AND notification_id IS NOT NULL) OR "
            f"(channel = '{Channel.ROBOT}' AND robot_id IS NOT NULL)",
            name="channel_has_recipient",
        ),
        CheckConstraint(f"status <> '{DeliveryStatus.SENT}' OR sent_at IS NOT NULL", name="sent_is_dated"),
    )


# --- stored verdicts (registry.services.verdicts keeps them equal to the rule engine's answer) -------------


def months_column(nullable: bool = True, index: bool = False) -> Mapped[float | None]:
    """Months as reported by the rules (rounded half-up to 2 decimals), loaded as a float."""
    return mapped_column(Numeric(9, 2, asdecimal=False), nullable=nullable, index=index)


class ListedFields:
    """What the compliance list shows, filters and sorts by besides the verdicts: copies of the teacher's and the
    school's fields, rewritten whenever those change (registry.services.verdicts), so that the list, its totals
    and its exports read one table with no join."""

    school_id: Mapped[int] = mapped_column(Integer, index=True)
    county: Mapped[str] = mapped_column(String(50), index=True)
    school_name: Mapped[str] = mapped_column(String(100))
    teacher_name: Mapped[str] = mapped_column(String(50))
    school_name_key: Mapped[str] = mapped_column(NameKey)  # the lists order names by pinyin (registry.sort_keys)
    teacher_name_key: Mapped[str] = mapped_column(NameKey)
    id_number: Mapped[str] = mapped_column(String(18))  # the exports list it (masked for the roles that see it so)
    specialty: Mapped[str] = mapped_column(String(50), index=True)
    course_type: Mapped[CourseType] = mapped_column(CodeColumn(CourseType))
    post_type: Mapped[PostType] = mapped_column(CodeColumn(PostType, 10))
    hire_date: Mapped[date] = mapped_column(Date)
    left_date: Mapped[date | None] = mapped_column(Date)


class VerdictFields:
    """Every result field of rules.md for hire, practice and training, as columns (months as the rules report them).

    Practice and training share the personal cycle and its applicability, so `cycle_start`/`cycle_end` serve
    both (rules.md: "same applicability and the same personal cycles").
    """

    hire_status: Mapped[HireStatus] = mapped_column(CodeColumn(HireStatus))
    hire_basis: Mapped[HireBasis | None] = mapped_column(CodeColumn(HireBasis, 30))
    hire_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    experience_months: Mapped[float] = months_column(nullable=False)
    shortfall_months: Mapped[float] = months_column(nullable=False)
    practice_status: Mapped[PracticeRuleStatus] = mapped_column(CodeColumn(PracticeRuleStatus))
    practice_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    cycle_start: Mapped[date | None] = mapped_column(Date)
    cycle_end: Mapped[date | None] = mapped_column(Date)
    practice_months: Mapped[float | None] = months_column()
    practice_required: Mapped[float | None] = months_column()
    practice_needed: Mapped[float | None] = months_column()
    practice_expected: Mapped[float | None] = months_column()
    practice_previous: Mapped[PreviousPractice | None] = mapped_column(CodeColumn(PreviousPractice))
    practice_previous_months: Mapped[float | None] = months_column()
    training_status: Mapped[TrainingRuleStatus] = mapped_column(CodeColumn(TrainingRuleStatus))
    training_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    training_previous: Mapped[PreviousTraining | None] = mapped_column(CodeColumn(PreviousTraining))


# The orders the list offers, each an index led by its columns, so that a page is read in order from the index
# (compliance_list.query declares the same orders; rule and figure orders read one status or figure at a time).
LIST_ORDERS = {
    "school": ("school_name_key", "teacher_name_key", "teacher_id"),
    "name": ("teacher_name_key", "school_name_key", "teacher_id"),
    "hire_date": ("hire_date", "teacher_name_key", "teacher_id"),
    "hire": ("hire_status", "school_name_key", "teacher_name_key", "teacher_id"),
    "practice": ("practice_status", "school_name_key", "teacher_name_key", "teacher_id"),
    "training": ("training_status", "school_name_key", "teacher_name_key", "teacher_id"),
    "practice_months": ("practice_months", "school_name_key", "teacher_name_key", "teacher_id"),
    "needed": ("practice_needed", "school_name_key", "teacher_name_key", "teacher_id"),
    "cycle_end": ("cycle_end", "school_name_key", "teacher_name_key", "teacher_id"),
    # Every status and previous result at once: the list's totals are read from this index alone.
    "totals": ("hire_status", "practice_status", "training_status", "practice_previous", "training_previous"),
}


def list_indexes(table: str, *lead: str) -> tuple[Index, ...]:
    """The indexes of LIST_ORDERS on `table`, each after the columns `lead` (a snapshot's id)."""
    return tuple(Index(f"ix_{table}_by_{name}", *lead, *columns) for name, columns in LIST_ORDERS.items())


def verdict_constraints() -> tuple[CheckConstraint, ...]:
    """The CHECK constraints of the codes of ListedFields and VerdictFields."""
    return (
        one_of("course_type", CourseType),
        one_of("post_type", PostType),
        one_of("hire_status", HireStatus),
        one_of("hire_basis", HireBasis, nullable=True),
        one_of("practice_status", PracticeRuleStatus),
        one_of("practice_previous", PreviousPractice, nullable=True),
        one_of("training_status", TrainingRuleStatus),
        one_of("training_previous", PreviousTraining, nullable=True),
    )


class TeacherVerdict(ListedFields, VerdictFields, db.Model):
    """A teacher's current verdicts, valid from `computed_on` up to the day before `valid_until` (None: until the
    data or the policy changes)."""

    __tablename__ = "teacher_verdict"

    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), primary_key=True)
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_version.id", ondelete="SET NULL"))
    computed_on: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)

    __table_args__ = (
        *verdict_constraints(),
        *list_indexes("teacher_verdict"),
        CheckConstraint("valid_until IS NULL OR valid_until > computed_on", name="valid_after_computed"),
    )


class VerdictSnapshot(db.Model):
    """The verdicts of every teacher as of a date other than today, evaluated on demand and kept until data changes.

    `stale` is set by the first write after it was made (registry.services.verdicts); a stale snapshot is never
    read again and its rows are removed by the nightly refresh.
    """

    __tablename__ = "verdict_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_version.id", ondelete="SET NULL"))
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (
        Index("uq_verdict_snapshot_current", "as_of", unique=True,
              sqlite_where=text("NOT stale"), postgresql_where=text("NOT stale")),
    )


class SnapshotVerdict(ListedFields, VerdictFields, db.Model):
    """A teacher's verdicts in a VerdictSnapshot."""

    __tablename__ = "snapshot_verdict"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("verdict_snapshot.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (*verdict_constraints(), *list_indexes("snapshot_verdict", "snapshot_id"))


class SchoolVerdict(db.Model):
    """A school's current verdict of the leadership rule (rules.md, rule leadership), valid like TeacherVerdict."""

    __tablename__ = "school_verdict"

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_version.id", ondelete="SET NULL"))
    computed_on: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[LeadershipStatus] = mapped_column(CodeColumn(LeadershipStatus), index=True)
    best_months: Mapped[float] = months_column(nullable=False)
    members_counted: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        one_of("status", LeadershipStatus),
        CheckConstraint("valid_until IS NULL OR valid_until > computed_on", name="valid_after_computed"),
    )


class ComplianceTrend(db.Model):
    """How many of a school's teachers had each status of a rule at a month's end: the dashboard's trends."""

    __tablename__ = "compliance_trend"

    month_end: Mapped[date] = mapped_column(Date, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[Rule] = mapped_column(CodeColumn(Rule), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    teachers: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        one_of("rule", Rule),
        CheckConstraint("teachers >= 0", name="teachers_not_negative"),
    )
