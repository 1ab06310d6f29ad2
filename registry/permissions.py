"""Who may do what, and which records each user can see — decided only here.

A role that may never do an action gets Forbidden (403); a record outside the
caller's scope gets NotFound (404), exactly as if it did not exist.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from registry.errors import Forbidden, NotFound
from registry.extensions import db
from registry.models import Evidence, School, Teacher, User
from registry.rules.vocabulary import HireStatus, Role

# action -> roles that may do it (scope is checked separately)
ACTIONS: dict[str, frozenset[Role]] = {
    "read_teachers": frozenset({Role.TEACHER, Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN}),
    "list_teachers": frozenset({Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN}),
    "read_teacher_history": frozenset({Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN}),
    "edit_teachers": frozenset({Role.SCHOOL_HR}),
    "see_id_numbers": frozenset({Role.SCHOOL_HR, Role.ADMIN}),
    "edit_own_practice": frozenset({Role.TEACHER}),
    "review_practice": frozenset({Role.SCHOOL_HR}),
    "upload_evidence": frozenset({Role.TEACHER}),
    "request_exception": frozenset({Role.SCHOOL_HR}),
    "decide_exception": frozenset({Role.BUREAU}),
    "read_compliance_lists": frozenset({Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN}),
    "read_schools": frozenset({Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN}),
    "read_dashboard": frozenset({Role.BUREAU, Role.ADMIN}),
    "read_exception_queue": frozenset({Role.BUREAU, Role.ADMIN}),
    "manage_schools": frozenset({Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
    "manage_policy": frozenset({Role.ADMIN}),
    "read_policy": frozenset({Role.BUREAU, Role.ADMIN}),
    "import_teachers": frozenset({Role.SCHOOL_HR}),
}

ALL_SCHOOLS_ROLES = frozenset({Role.BUREAU, Role.ADMIN})


def can(user: User, action: str) -> bool:
    return user.is_authenticated and user.role in ACTIONS[action]


def require(user: User, action: str) -> None:
    if not can(user, action):
        raise Forbidden(action)


def teachers_query(user: User) -> Select[tuple[Teacher]]:
    """All teachers the user may see, as a query to refine."""
    query = select(Teacher)
    if user.role in ALL_SCHOOLS_ROLES:
        return query
    if user.role == Role.SCHOOL_HR:
        return query.where(Teacher.school_id == user.school_id)
    if user.role == Role.TEACHER:
        return query.where(Teacher.id == user.teacher_id)
    return query.where(False)


def schools_query(user: User) -> Select[tuple[School]]:
    query = select(School).order_by(School.county, School.name)
    if user.role in ALL_SCHOOLS_ROLES:
        return query
    if user.role == Role.SCHOOL_HR:
        return query.where(School.id == user.school_id)
    if user.role == Role.TEACHER and user.teacher is not None:
        return query.where(School.id == user.teacher.school_id)
    return query.where(False)


def get_teacher(user: User, teacher_id: int) -> Teacher:
    teacher = db.session.scalar(teachers_query(user).where(Teacher.id == teacher_id))
    if teacher is None:
        raise NotFound("teacher")
    return teacher


def get_school(user: User, school_id: int) -> School:
    school = db.session.scalar(schools_query(user).where(School.id == school_id))
    if school is None:
        raise NotFound("school")
    return school


def get_teacher_record(user: User, model: type, record_id: int):
    """A sub-record (employment, certificate, practice, training, exception) the user may see."""
    record = db.session.get(model, record_id)
    if record is None:
        raise NotFound(model.__tablename__)
    get_teacher(user, record.teacher_id)
    return record


def get_evidence(user: User, evidence_id: int) -> Evidence:
    """An evidence file, only for users who may see its practice record."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("evidence")
    get_teacher(user, evidence.practice.teacher_id)
    return evidence


def fixed_school_id(user: User) -> int | None:
    """The school a user always works in and writes into: school_hr's own; None for every other role."""
    return user.school_id if user.role == Role.SCHOOL_HR else None


def own_teacher_id(user: User) -> int | None:
    """The teacher record a teacher's account stands for; None for staff accounts."""
    return user.teacher_id if user.role == Role.TEACHER else None


def _may_in_own_school(user: User, action: str, teacher: Teacher) -> bool:
    return can(user, action) and fixed_school_id(user) == teacher.school_id


def _require_in_own_school(user: User, action: str, teacher: Teacher) -> None:
    """Refused by role first (403), then outside the own school as if the teacher did not exist (404)."""
    require(user, action)
    if fixed_school_id(user) != teacher.school_id:
        raise NotFound("teacher")


def may_edit_teacher(user: User, teacher: Teacher) -> bool:
    return _may_in_own_school(user, "edit_teachers", teacher)


def require_edit_teacher(user: User, teacher: Teacher) -> None:
    """school_hr of the teacher's own school; others are refused by role (403)."""
    _require_in_own_school(user, "edit_teachers", teacher)


def may_review_practice(user: User, teacher: Teacher) -> bool:
    return _may_in_own_school(user, "review_practice", teacher)


def require_review_practice(user: User, teacher: Teacher) -> None:
    """school_hr of the teacher's own school reviews practice; others are refused by role (403)."""
    _require_in_own_school(user, "review_practice", teacher)


def may_edit_own_practice(user: User, teacher: Teacher) -> bool:
    return can(user, "edit_own_practice") and own_teacher_id(user) == teacher.id


def require_own_practice(user: User, teacher: Teacher) -> None:
    """A teacher writing their own practice records; others are refused by role (403)."""
    require(user, "edit_own_practice")
    if own_teacher_id(user) != teacher.id:
        raise NotFound("teacher")


def may_request_exception(user: User, teacher: Teacher, hire_result) -> bool:
    """Whether to offer the hire-exception request: HR of the teacher's school, hiring verdict non-compliant.

    Whether a request is already waiting is the record's state, not a permission: the page says so instead.
    """
    return _may_in_own_school(user, "request_exception", teacher) and hire_result.status == HireStatus.NON_COMPLIANT
