"""What each staff home page lists: what needs the user now, within the user's scope.

Every item is a short list (the first HOME_LIST entries, in the order of the full list) and its count, with the
query parameters of the full list it comes from, so that the page links each count to that list. The teachers'
figures are read from the stored verdicts through the compliance list (scan) and the dashboard: no rule is worked
out again here, and no query runs per teacher or per school.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from registry import permissions
from registry.dates import TIMEZONE, today
from registry.extensions import db
from registry.models import AuditEvent, HireException, PolicyVersion, PracticeRecord, School, Teacher, User, utcnow
from registry.rules.months import add_months
from registry.rules.vocabulary import (
    DeliveryStatus,
    ExceptionStatus,
    HireStatus,
    LeadershipStatus,
    PracticeRuleStatus,
    Rule,
    TrainingRuleStatus,
)
from registry.services import compliance_list, deliveries
from registry.services.audit import ChainReport, verify_chain
from registry.services.compliance_list import ComplianceRow, ListQuery, with_filters
from registry.services.compliance_list.rows import row_from
from registry.services.compliance_list.scan import Source, count_totals, part_select, scoped, verdict_source
from registry.services.dashboard import DUE_WITHIN_MONTHS, SchoolSummary, build_dashboard
from registry.services.exceptions import exceptions_query, recent_decisions
from registry.services.health import Health, check_health
from registry.services.practice import review_queue
from registry.services.users import unused_accounts, unused_cutoff
from registry.sort_keys import name_key

T = TypeVar("T")

HOME_LIST = 10  # entries shown per item; the count and the link give them all
DECISIONS_DAYS = 30  # exception decisions shown for at least this many days, and since the previous sign-in
# The audit chain is checked on the administrator's home page only while it is this short (rows): beyond it a
# check reads the whole trail on every visit, so the page says how to run it (`flask audit verify`) instead.
CHAIN_CHECK_LIMIT = 20000
LAGGING = (PracticeRuleStatus.BEHIND, PracticeRuleStatus.INFEASIBLE)


@dataclass(frozen=True)
class Shortlist(Generic[T]):
    """The first entries of a list (`items`, at most HOME_LIST) and how many it holds (`count`); `args` are the
    query parameters that give the whole list on its own page ({} when the page needs none)."""

    items: list[T]
    count: int
    args: dict[str, str] = field(default_factory=dict)

    @property
    def more(self) -> bool:
        """Whether the list holds more than the entries shown."""
        return self.count > len(self.items)


@dataclass(frozen=True)
class Waiting(Generic[T]):
    """A record waiting for someone (a practice record to review, an exception to decide) and for how many days."""

    record: T
    days: int


def as_utc(moment: datetime) -> datetime:
    """A stored moment with its zone (SQLite gives it back without one: it is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local_day(moment: datetime) -> date:
    """The day in Dandong of a stored moment."""
    return as_utc(moment).astimezone(TIMEZONE).date()


def days_waiting(since: datetime | None, day: date) -> int:
    """Whole days from `since` (a stored moment) to `day`; 0 when unknown or later."""
    return max((day - local_day(since)).days, 0) if since is not None else 0


def shortlist(query: Select, args: dict[str, str] | None = None, wrap: Callable[[Any], T] = lambda x: x) -> Shortlist[T]:
    """The first HOME_LIST records of `query` (ordered), each wrapped, and the count of all of them: two queries."""
    count = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = [wrap(record) for record in db.session.scalars(query.limit(HOME_LIST))]
    return Shortlist(items, count, args or {})


# --- school HR --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HrHome:
    """School HR's home page as of `as_of`: the own school's queues and the teachers whose verdicts need action."""

    as_of: date
    school: School | None
    teachers: int  # every teacher of the school (left ones included, as the compliance list)
    practice: Shortlist[Waiting[PracticeRecord]]  # submitted records, oldest submission first
    non_compliant: Shortlist[ComplianceRow]  # hire rule 不符合, by name
    infeasible: Shortlist[ComplianceRow]  # practice 本周期已无法完成, most months needed first
    behind: Shortlist[ComplianceRow]  # practice 进度落后, most months needed first
    due_by: date  # as_of + DUE_WITHIN_MONTHS
    due: Shortlist[ComplianceRow]  # cycle ends on or before due_by and months still needed, soonest first
    training: Shortlist[ComplianceRow]  # rotation training rule 未完成 this cycle, by name
    exceptions_waiting: Shortlist[Waiting[HireException]]  # requests the bureau has not decided, oldest first
    decisions_since: date  # decisions shown from this day (Dandong)
    decisions: Shortlist[HireException]  # decided since decisions_since, newest first


def hr_home(actor: User, as_of: date, now: date | None = None) -> HrHome:
    """The HR home page's lists for the actor's school, verdicts as of `as_of` (waiting ages counted to `now`,
    today unless given: the reminders command counts them to its date).

    Forbidden unless school HR (review_practice). At most about twenty queries, whatever the school's size.
    """
    permissions.authorize(actor, "review_practice")
    permissions.authorize(actor, "read_compliance_lists")
    now = now or today()
    everyone = compliance_list.parse_filters({"as_of": as_of.isoformat()})
    source = verdict_source(as_of)
    totals = count_totals(actor, everyone, source)
    due_by = add_months(as_of, DUE_WITHIN_MONTHS)
    due_query = with_filters(everyone, due_by=due_by, sort="cycle_end")
    due_count = db.session.scalar(scoped(actor, due_query, source, func.count()))

    def verdicts(rule: Rule, status: str, sort: str = "school") -> Shortlist[ComplianceRow]:
        query = with_filters(everyone, rule=str(rule), status=str(status), sort=sort)
        count = totals.by_rule[rule][status]
        return Shortlist(first_rows(actor, query, source, count), count, list_args(query, now))

    practice = shortlist(
        review_queue(actor).options(joinedload(PracticeRecord.teacher)),
        wrap=lambda record: Waiting(record, days_waiting(record.submitted_at, now)),
    )
    waiting = shortlist(
        exceptions_query(actor, ExceptionStatus.REQUESTED).options(joinedload(HireException.teacher)),
        wrap=lambda request: Waiting(request, days_waiting(request.requested_at, now)),
    )
    since = decisions_since(actor)
    # recent_decisions gives the newest first: those since `since` are a prefix of it.
    decided = Shortlist(
        [x for x in recent_decisions(actor, HOME_LIST) if as_utc(x.decided_at) >= since],
        db.session.scalar(select(func.count()).select_from(
            exceptions_query(actor)
            .where(HireException.status != ExceptionStatus.REQUESTED, HireException.decided_at >= since)
            .order_by(None).subquery()
        )),
    )
    return HrHome(
        as_of=as_of,
        school=actor.school,
        teachers=totals.total,
        practice=practice,
        non_compliant=verdicts(Rule.HIRE, HireStatus.NON_COMPLIANT),
        infeasible=verdicts(Rule.PRACTICE, PracticeRuleStatus.INFEASIBLE, "-needed"),
        behind=verdicts(Rule.PRACTICE, PracticeRuleStatus.BEHIND, "-needed"),
        due_by=due_by,
        due=Shortlist(first_rows(actor, due_query, source, due_count), due_count, list_args(due_query, now)),
        training=verdicts(Rule.TRAINING, TrainingRuleStatus.PENDING),
        exceptions_waiting=waiting,
        decisions_since=local_day(since),
        decisions=decided,
    )


def first_rows(user: User, query: ListQuery, source: Source, count: int) -> list[ComplianceRow]:
    """The first HOME_LIST rows of the filtered list of `count` rows, in its order (a query per part of the order
    read; none when the list is empty)."""
    wanted = min(HOME_LIST, count)
    rows: list[ComplianceRow] = []
    for part in query.parts():
        if len(rows) >= wanted:
            break
        statement = part_select(user, query, source, part).limit(wanted - len(rows))
        rows.extend(row_from(values, query.as_of) for values in db.session.execute(statement).mappings())
    return rows


def list_args(query: ListQuery, now: date) -> dict[str, str]:
    """The compliance list's query parameters giving `query` (the filters the home page sets; as_of unless today)."""
    args = {name: getattr(query, name) for name in ("rule", "status", "due_by", "sort")}
    args = {name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in args.items() if value is not None and value != "school"}
    if query.as_of != now:
        args["as_of"] = query.as_of.isoformat()
    return args


def decisions_since(user: User) -> datetime:
    """From when exception decisions are news to the user: the sign-in before the current one, or DECISIONS_DAYS
    ago when that is earlier or the user has not signed in before (the audit trail's sign-ins)."""
    window = utcnow() - timedelta(days=DECISIONS_DAYS)
    previous = db.session.scalar(
        select(AuditEvent.at)
        .where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id, AuditEvent.action == "sign_in")
        .order_by(AuditEvent.id.desc())
        .offset(1)
        .limit(1)
    )
    return window if previous is None else min(as_utc(previous), window)


# --- the bureau -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolLag:
    """A school's teachers 进度落后 or 本周期已无法完成, of those the practice rule applies to."""

    summary: SchoolSummary
    lagging: int
    applicable: int

    @property
    def share(self) -> float:
        return self.lagging / self.applicable if self.applicable else 0.0


@dataclass(frozen=True)
class CountyLine:
    """One county's schools summed up (from the dashboard's per-school totals)."""

    county: str
    schools: int = 0
    teachers: int = 0
    non_compliant: int = 0  # hire rule 不符合
    lagging: int = 0  # practice 进度落后 or 本周期已无法完成
    applicable: int = 0  # teachers the practice rule applies to
    training_pending: int = 0
    leadership_failing: int = 0  # schools

    @property
    def share(self) -> float | None:
        return self.lagging / self.applicable if self.applicable else None


@dataclass(frozen=True)
class BureauHome:
    """The bureau's home page as of `as_of`."""

    as_of: date
    lagging: Shortlist[SchoolLag]  # schools with any lagging teacher, highest share first
    leadership_failing: Shortlist[SchoolSummary]  # leadership rule 不符合
    no_flowing: Shortlist[SchoolSummary]  # teachers in office, none of them on a flowing post
    exceptions_waiting: Shortlist[Waiting[HireException]]  # oldest request first
    counties: list[CountyLine]  # in pinyin order


def bureau_home(actor: User, as_of: date, now: date | None = None) -> BureauHome:
    """The bureau home page's lists over every school the actor sees, as of `as_of`, from the dashboard's figures
    (build_dashboard: a GROUP BY per figure); waiting ages counted to `now` (today unless given). Forbidden unless
    the actor may read the dashboard and the exception queue.
    """
    permissions.authorize(actor, "read_exception_queue")
    board = build_dashboard(actor, compliance_list.parse_filters({"as_of": as_of.isoformat()}))
    now = now or today()
    lags = [SchoolLag(s, sum(s.totals.by_rule[Rule.PRACTICE][status] for status in LAGGING), s.applicable(Rule.PRACTICE))
            for s in board.schools]
    lagging = sorted((lag for lag in lags if lag.lagging),
                     key=lambda lag: (-lag.share, -lag.lagging, lag.summary.school.name_key))
    failing = [s for s in board.schools if s.leadership is not None and s.leadership.status == LeadershipStatus.NON_COMPLIANT]
    no_flowing = [s for s in board.schools if s.in_office and not s.flowing]
    waiting = shortlist(
        exceptions_query(actor, ExceptionStatus.REQUESTED).options(
            joinedload(HireException.teacher).joinedload(Teacher.school)
        ),
        wrap=lambda request: Waiting(request, days_waiting(request.requested_at, now)),
    )
    as_of_args = {} if as_of == now else {"as_of": as_of.isoformat()}
    return BureauHome(
        as_of=as_of,
        lagging=Shortlist(lagging[:HOME_LIST], len(lagging), as_of_args),
        leadership_failing=Shortlist(failing[:HOME_LIST], len(failing), as_of_args),
        no_flowing=Shortlist(no_flowing[:HOME_LIST], len(no_flowing), as_of_args),
        exceptions_waiting=waiting,
        counties=county_lines(board.schools),
    )


def county_lines(schools: Sequence[SchoolSummary]) -> list[CountyLine]:
    """The schools' figures summed per county, counties in pinyin order."""
    lines: dict[str, dict[str, int]] = {}
    for s in schools:
        line = lines.setdefault(s.school.county, dict.fromkeys(
            ("schools", "teachers", "non_compliant", "lagging", "applicable", "training_pending", "leadership_failing"), 0))
        practice = s.totals.by_rule[Rule.PRACTICE]
        line["schools"] += 1
        line["teachers"] += s.totals.total
        line["non_compliant"] += s.totals.by_rule[Rule.HIRE][HireStatus.NON_COMPLIANT]
        line["lagging"] += sum(practice[status] for status in LAGGING)
        line["applicable"] += s.applicable(Rule.PRACTICE)
        line["training_pending"] += s.totals.by_rule[Rule.TRAINING][TrainingRuleStatus.PENDING]
        line["leadership_failing"] += int(s.leadership is not None and s.leadership.status == LeadershipStatus.NON_COMPLIANT)
    return [CountyLine(county, **lines[county]) for county in sorted(lines, key=name_key)]


# --- the administrator ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainState:
    """The audit trail: its length, and the check's report when it was run (None past CHAIN_CHECK_LIMIT rows)."""

    rows: int
    report: ChainReport | None

    @property
    def checked(self) -> bool:
        return self.report is not None


@dataclass(frozen=True)
class AdminHome:
    """The administrator's home page on `day` (today)."""

    day: date
    unused_before: date  # active accounts not signed in since before this day are listed
    unused: Shortlist[User]  # never signed in first, then the longest unused
    disabled: Shortlist[User]  # by login
    coming: Shortlist[PolicyVersion]  # versions taking effect after today, soonest first
    verdicts: Health  # the stored verdicts' freshness (registry.services.health)
    chain: ChainState
    failed_deliveries: int = 0  # e-mails and robot posts whose last attempt failed (retried by the next run)


def admin_home(actor: User) -> AdminHome:
    """The administrator's lists as of today: accounts to look at, policy versions still to come, the state of the
    stored verdicts and of the audit chain, and how many deliveries failed. Forbidden unless the administrator
    (manage_users)."""
    permissions.authorize(actor, "manage_users")
    day = today()
    cutoff = unused_cutoff()
    unused = select(User).where(unused_accounts(cutoff)).options(selectinload(User.school)).order_by(User.last_signed_in_at.is_not(None), User.last_signed_in_at, User.login)
    disabled = select(User).where(User.active.is_(False)).options(selectinload(User.school)).order_by(User.login)
    coming = select(PolicyVersion).where(PolicyVersion.effective_from > day).order_by(PolicyVersion.effective_from)
    return AdminHome(
        day=day,
        unused_before=local_day(cutoff),
        unused=shortlist(unused, {"unused": "true"}),
        disabled=shortlist(disabled, {"active": "false"}),
        coming=shortlist(coming),
        verdicts=check_health(),
        chain=chain_state(),
        failed_deliveries=deliveries.status_counts()[DeliveryStatus.FAILED],
    )


def chain_state() -> ChainState:
    """The audit trail's length and, up to CHAIN_CHECK_LIMIT rows, the result of checking every link of it."""
    rows = db.session.scalar(select(func.count()).select_from(AuditEvent))
    return ChainState(rows, verify_chain() if rows <= CHAIN_CHECK_LIMIT else None)
