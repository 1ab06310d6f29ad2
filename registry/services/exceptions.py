"""Hire exceptions: school HR asks, the bureau approves or refuses.

An approved exception is a fact the hiring rule reads: the teacher's verdict
becomes `exception` (rules.md, rule hire, step 4).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from registry import permissions
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import HireException, Teacher, User, utcnow
from registry.rules.engine import HireResult
from registry.rules.vocabulary import ExceptionStatus, HireStatus
from registry.schemas import NoteIn, ReasonIn, load
from registry.services import verdicts
from registry.services.audit import record_event, snapshot
from registry.services.compliance import TEACHER_FACT_LOADS, PolicyBook, hire_check, teacher_facts
from registry.transactions import atomic
from registry.vocabulary import label


def hire_status(teacher: Teacher, book: PolicyBook | None = None) -> str:
    """The hiring verdict; it is judged at the hire date, so no as-of date is needed."""
    return hire_check(teacher_facts(teacher), book).status


def open_request(teacher: Teacher) -> HireException | None:
    return next((x for x in teacher.hire_exceptions if x.status == ExceptionStatus.REQUESTED), None)


@atomic
def request_hire_exception(actor: User, teacher_id: int, data: Mapping[str, Any]) -> HireException:
    """HR of the teacher's school asks the bureau to accept a non-compliant hire (data["reason"]).

    Conflict when a request is already waiting or the hiring verdict is not non-compliant.
    """
    teacher = permissions.find(actor, "request_exception", Teacher, teacher_id)
    clean = load(ReasonIn, data)
    # Lock the teacher row (PostgreSQL) so two requests at once are decided one after the other.
    db.session.refresh(teacher, with_for_update=True)
    if open_request(teacher) is not None:
        raise Conflict(already_open_message())
    if hire_status(teacher) != HireStatus.NON_COMPLIANT:
        raise Conflict(
            _("只有招聘资格为“%(status)s”的教师才能申请招聘例外。", status=label(HireStatus.NON_COMPLIANT))
        )
    exception = HireException(
        teacher=teacher, status=ExceptionStatus.REQUESTED, reason=clean.reason, requested_by_id=actor.id
    )
    db.session.add(exception)
    try:
        # The partial unique index uq_hire_exception_one_open is the last word when requests race: flushed here,
        # a lost race is this service's Conflict (and its savepoint is rolled back).
        db.session.flush()
    except IntegrityError:
        raise Conflict(already_open_message()) from None
    record_event(actor, "request", exception, after=snapshot(exception))
    return exception


def already_open_message() -> str:
    return _("该教师已有一份待审批的例外申请，请等待教育局审批。")


# A decision (the audited action) and the status it gives.
DECISIONS = {"approve": ExceptionStatus.APPROVED, "refuse": ExceptionStatus.REFUSED}


@atomic
def decide_hire_exception(actor: User, exception_id: int, decision: str, data: Mapping[str, Any]) -> HireException:
    """The bureau approves or refuses a request: `decision` is a key of DECISIONS; data["note"] is optional when
    approving and required when refusing (the school's HR reads it as the reason: Invalid on "note" otherwise).

    Only a requested exception can be decided, once (Conflict otherwise). The decision is a compare-and-set
    (UPDATE … WHERE status = 'requested', its row count checked): of two decisions at once exactly one wins,
    and the other is a Conflict that names the status the winner left.
    """
    exception = permissions.find(actor, "decide_exception", HireException, exception_id)
    clean = load(NoteIn, data)
    if decision == "refuse" and not clean.note:
        raise Invalid({"note": refusal_reason_missing()})
    if exception.status != ExceptionStatus.REQUESTED:
        raise Conflict(_("该申请已经审批过，不能再次审批。"))
    before = snapshot(exception)
    decided = db.session.execute(
        update(HireException)
        .where(HireException.id == exception.id, HireException.status == ExceptionStatus.REQUESTED)
        .values(status=DECISIONS[decision], note=clean.note, decided_by_id=actor.id, decided_at=utcnow()),
        execution_options={"synchronize_session": False},
    ).rowcount
    if db.session.get(HireException, exception.id, populate_existing=True) is None:
        raise NotFound("hire_exception")  # deleted meanwhile, with its teacher
    if decided != 1:
        raise Conflict(
            _("该申请已被他人审批（当前状态：%(status)s），请刷新后再看。", status=label(ExceptionStatus, exception.status))
        )
    verdicts.mark_teachers([exception.teacher_id])
    record_event(actor, decision, exception, before=before, after=snapshot(exception))
    return exception


def refusal_reason_missing() -> str:
    """Why a refusal without a reason is refused (Chinese): HR acts on the reason."""
    return _("不批准时请填写理由：学校人事会看到这条理由，据此补充材料或另行安排。")


def recent_decisions(user: User, limit: int = 5) -> list[HireException]:
    """The latest decided exceptions on the teachers the user may see, newest decision first (at most `limit`),
    for school HR's home page ("最近的例外申请结果"); [] for users who do not request exceptions."""
    if not permissions.may(user, "request_exception"):
        return []
    query = exceptions_query(user).where(HireException.status != ExceptionStatus.REQUESTED)
    return list(db.session.scalars(query.options(selectinload(HireException.teacher)).limit(limit)))


def exceptions_query(user: User, status: str | None = None) -> Select[tuple[HireException]]:
    """Exceptions on the teachers the user may see: requested first (oldest first), then decided (newest first)."""
    query = select(HireException).where(HireException.teacher_id.in_(permissions.visible_teacher_ids(user)))
    if status:
        query = query.where(HireException.status == status)
    waiting_first = case((HireException.status == ExceptionStatus.REQUESTED, 0), else_=1)
    # Requested ones have no decision date: among them the oldest request comes first.
    return query.order_by(waiting_first, HireException.decided_at.desc(), HireException.requested_at, HireException.id)


def list_exceptions(user: User, status: str | None = None) -> Select[tuple[HireException]]:
    """The exceptions on the teachers the user may see (exceptions_query), for any user who may read teachers."""
    permissions.authorize(user, "read_teachers")
    return exceptions_query(user, status)


def queue(user: User) -> tuple[list[tuple[HireException, Any]], Select]:
    """The bureau's queue: the requested exceptions with each teacher's hire result, and the query of decided ones."""
    permissions.authorize(user, "read_exception_queue")
    book = PolicyBook.load()
    waiting = list(
        db.session.scalars(
            exceptions_query(user, ExceptionStatus.REQUESTED).options(
                selectinload(HireException.teacher).options(joinedload(Teacher.school), *TEACHER_FACT_LOADS),
                selectinload(HireException.requested_by),
            )
        )
    )
    with_results = [(x, hire_check(teacher_facts(x.teacher), book)) for x in waiting]
    decided = exceptions_query(user).where(HireException.status != ExceptionStatus.REQUESTED).options(
        selectinload(HireException.teacher).joinedload(Teacher.school), selectinload(HireException.decided_by)
    )
    return with_results, decided


def may_request(actor: User, teacher: Teacher, hire: HireResult) -> bool:
    """Whether to offer a hire-exception request: HR of the teacher's school, while the hiring verdict is non_compliant.

    Whether a request is already waiting is the record's state, not a permission: the page says so instead.
    """
    return hire.status == HireStatus.NON_COMPLIANT and permissions.may(actor, "request_exception", teacher)
