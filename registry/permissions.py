"""Who may do what, and which records each user can see — decided only here.

Each action declares once the roles that may take it and the scope it is taken
in (ACTIONS). The services are the gate: they call `find` (a record by id) or
`authorize` (an action, optionally on a teacher) and narrow their queries with
`visible_teacher_ids` / `teacher_ids_for`; pages ask `may` only to decide what to show.

A role that may never do an action gets Forbidden (403); a record outside the
caller's scope gets NotFound (404), exactly as if it did not exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true

from registry.errors import Forbidden, NotFound, RegistryError
from registry.extensions import db
from registry.models import ApiToken, Evidence, School, Teacher, User
from registry.rules.vocabulary import Role

Record = TypeVar("Record")


class Scope(StrEnum):
    """Which teachers an action reaches, beyond the role."""

    VISIBLE = "visible"  # every teacher the user may see (teachers_query)
    OWN_SCHOOL = "own_school"  # the teachers of the school the user works in (school HR)
    OWN_TEACHER = "own_teacher"  # the teacher the account stands for
    OWN_ACCOUNT = "own_account"  # records of the user's own account (API tokens), whatever the role


@dataclass(frozen=True)
class Action:
    roles: frozenset[Role]
    scope: Scope = Scope.VISIBLE


STAFF = (Role.SCHOOL_HR, Role.BUREAU, Role.ADMIN)


def action(*roles: Role, scope: Scope = Scope.VISIBLE) -> Action:
    """An ACTIONS entry: the roles that may take it, within `scope` (VISIBLE: every teacher they may see)."""
    return Action(frozenset(roles), scope)


ACTIONS: dict[str, Action] = {
    "read_teachers": action(Role.TEACHER, *STAFF),
    "list_teachers": action(*STAFF),
    "read_teacher_history": action(*STAFF),
    "edit_teachers": action(Role.SCHOOL_HR, scope=Scope.OWN_SCHOOL),
    "see_id_numbers": action(Role.SCHOOL_HR, Role.ADMIN),
    "edit_own_practice": action(Role.TEACHER, scope=Scope.OWN_TEACHER),
    "review_practice": action(Role.SCHOOL_HR, scope=Scope.OWN_SCHOOL),
    # HR too: the certificate a teacher without an account handed in on paper, for an imported record.
    "upload_evidence": action(Role.TEACHER, Role.SCHOOL_HR),
    "request_exception": action(Role.SCHOOL_HR, scope=Scope.OWN_SCHOOL),
    "decide_exception": action(Role.BUREAU),
    "read_compliance_lists": action(*STAFF),
    "read_schools": action(*STAFF),
    "read_dashboard": action(*STAFF),  # school HR: the own school only (schools_query)
    "read_exception_queue": action(Role.BUREAU, Role.ADMIN),
    "manage_schools": action(Role.ADMIN),
    "manage_users": action(Role.ADMIN),
    "manage_policy": action(Role.ADMIN),
    "read_policy": action(Role.BUREAU, Role.ADMIN),
    "import_teachers": action(Role.SCHOOL_HR, scope=Scope.OWN_SCHOOL),
    "manage_own_tokens": action(*Role, scope=Scope.OWN_ACCOUNT),
    "manage_own_account": action(*Role, scope=Scope.OWN_ACCOUNT),
    "manage_teacher_accounts": action(Role.SCHOOL_HR, scope=Scope.OWN_SCHOOL),
    # Reminders (issue 15): one's own notifications; a school's work-group robot (HR: schools_query keeps them to
    # their own school); the bureau's robot.
    "read_own_notifications": action(*Role, scope=Scope.OWN_ACCOUNT),
    "manage_school_robot": action(Role.SCHOOL_HR, Role.ADMIN),
    "manage_bureau_robot": action(Role.ADMIN),
}

ALL_SCHOOLS_ROLES = frozenset({Role.BUREAU, Role.ADMIN})


# ------------------------------------------------------------------ scope


def teacher_scope(user: User, teacher_id: ColumnElement[int], school_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The teachers the user may see, as a condition on a teacher's id and school id columns (of any table)."""
    if user.role in ALL_SCHOOLS_ROLES:
        return true()
    if user.role == Role.SCHOOL_HR:
        return school_id == user.school_id
    if user.role == Role.TEACHER:
        return teacher_id == user.teacher_id
    return false()


def teachers_query(user: User) -> Select[tuple[Teacher]]:
    """All teachers the user may see, as a query to refine."""
    return select(Teacher).where(teacher_scope(user, Teacher.id, Teacher.school_id))


def visible_teacher_ids(user: User) -> Select[tuple[int]]:
    """Ids of the teachers the user may see (teachers_query), as a select for `.in_(...)` or to refine."""
    return teachers_query(user).with_only_columns(Teacher.id)


def teacher_ids_for(user: User, action: str) -> Select[tuple[int]]:
    """Ids of the teachers the user may take `action` on: the read scope narrowed to the action's scope.

    The set form of `authorize(user, action, teacher)` for queries over many records; Forbidden by role.
    """
    authorize(user, action)
    ids = visible_teacher_ids(user)
    scope = ACTIONS[action].scope
    if scope == Scope.OWN_SCHOOL:
        school_id = fixed_school_id(user)
        return ids.where(Teacher.school_id == school_id) if school_id is not None else ids.where(false())
    if scope == Scope.OWN_TEACHER:
        teacher_id = own_teacher_id(user)
        return ids.where(Teacher.id == teacher_id) if teacher_id is not None else ids.where(false())
    return ids


def schools_query(user: User) -> Select[tuple[School]]:
    """All schools the user may see, by name in pinyin order (a school's name starts with its city or county)."""
    query = select(School).order_by(School.name_key)
    if user.role in ALL_SCHOOLS_ROLES:
        return query
    if user.role == Role.SCHOOL_HR:
        return query.where(School.id == user.school_id)
    if user.role == Role.TEACHER and user.teacher is not None:
        return query.where(School.id == user.teacher.school_id)
    return query.where(False)


def fixed_school_id(user: User) -> int | None:
    """The school a user always works in and writes into: school_hr's own; None for every other role."""
    return user.school_id if user.role == Role.SCHOOL_HR else None


def own_teacher_id(user: User) -> int | None:
    """The teacher record a teacher's account stands for; None for staff accounts."""
    return user.teacher_id if user.role == Role.TEACHER else None


def teacher_of(record) -> Teacher:
    """The teacher a record belongs to: itself, its `.teacher`, or (evidence) its practice record's teacher."""
    if isinstance(record, Teacher):
        return record
    if isinstance(record, Evidence):
        return record.practice.teacher
    return record.teacher


def sees(user: User, record) -> bool:
    """Whether the record is in the user's read scope.

    A school: in schools_query; an API token: of the user's own account; any other record: its teacher
    among visible_teacher_ids.
    """
    if isinstance(record, ApiToken):
        return record.user_id == user.id
    if isinstance(record, School):
        query = schools_query(user).with_only_columns(School.id).where(School.id == record.id)
    else:
        query = visible_teacher_ids(user).where(Teacher.id == teacher_of(record).id)
    return db.session.scalar(query.limit(1)) is not None


def in_scope(user: User, scope: Scope, teacher: Teacher) -> bool:
    """Whether `teacher` is within `scope` for the user (VISIBLE asks the database, the others the account)."""
    if scope == Scope.OWN_SCHOOL:
        return fixed_school_id(user) is not None and fixed_school_id(user) == teacher.school_id
    if scope == Scope.OWN_TEACHER:
        return own_teacher_id(user) is not None and own_teacher_id(user) == teacher.id
    return sees(user, teacher)


# ------------------------------------------------------------------- gate


def refusal(user: User, action: str, teacher: Teacher | None = None) -> RegistryError | None:
    """Why the user may not take `action` (on `teacher`): Forbidden by role first, then NotFound by scope; None if allowed."""
    rule = ACTIONS[action]
    if not (user.is_authenticated and user.role in rule.roles):
        return Forbidden(action)
    if teacher is None or in_scope(user, rule.scope, teacher):
        return None
    return NotFound("teacher")


def authorize(user: User, action: str, teacher: Teacher | None = None) -> None:
    """Raise Forbidden when the user's role may never take `action`, then NotFound when `teacher` is outside its scope."""
    if (error := refusal(user, action, teacher)) is not None:
        raise error


def may(user: User, action: str, teacher: Teacher | None = None) -> bool:
    """The same decision as `authorize`, as a yes or no (to show a button or a form); never raises."""
    return refusal(user, action, teacher) is None


def find(user: User, action: str, model: type[Record], record_id: int | None) -> Record:
    """The record of `model` with `record_id`, for taking `action` on it.

    Forbidden when the user's role may never take `action`; NotFound when the record does not exist, is
    outside the user's read scope (teachers_query / schools_query) or outside the action's own scope (HR of
    another school, another teacher's practice) — the three look the same.
    """
    authorize(user, action)
    record = db.session.get(model, record_id) if record_id is not None else None
    if record is None or not sees(user, record):
        raise NotFound(model.__tablename__)
    scope = ACTIONS[action].scope
    if scope in (Scope.OWN_SCHOOL, Scope.OWN_TEACHER) and not isinstance(record, School) and not in_scope(user, scope, teacher_of(record)):
        raise NotFound("teacher")
    return record
