"""The reminders command's work: who is due which reminder on a date, recording them, and delivering.

Policy source: Dandong's implementation opinions 三(七) (10 months of enterprise practice in every 5 years; rotation
training of every specialty teacher); registry.rules.reminders decides what is due when. This module only turns
the database into the rules' facts and records the answer:

- teachers (active teacher accounts linked to a teacher) from the STORED verdicts of the date
  (compliance_list.scan.verdict_source: today's verdicts made current, or a snapshot of another date);
- school HR (active school_hr accounts), a weekly digest of their home page's lists (registry.services.home.hr_home)
  and one post per school and week to the school's work-group robot;
- the bureau (active bureau accounts), a monthly digest of its home page (home.bureau_home) and one post per month
  to the bureau's robot.

A digest whose every section is empty is not sent. Recording goes through
registry.services.notifications.record_notification (once per person and key: running twice records nothing new),
then pending deliveries go out (registry.services.deliveries.deliver_pending). Only a dry run may look at a day
after today: a real run would record tomorrow's figures under keys that carry no date, and the reminder would
never come on its day.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from registry.dates import TIMEZONE, today
from registry.errors import Invalid
from registry.extensions import db
from registry.models import HireException, Notification, PracticeRecord, RobotWebhook, School, User
from registry.notify.messages import build
from registry.rules.months import add_months, report
from registry.rules.reminders import DEADLINE_MONTHS, TRAINING_MONTHS, Due, Standing, digest_due, teacher_reminders
from registry.rules.vocabulary import (
    DeliveryStatus,
    ExceptionStatus,
    NotificationKind,
    PracticeRuleStatus,
    Role,
    TrainingRuleStatus,
)
from registry.services import compliance_list, deliveries, home
from registry.services.compliance_list.rows import ComplianceRow
from registry.services.compliance_list.scan import scoped, verdict_source
from registry.services.dashboard import DUE_WITHIN_MONTHS
from registry.services.exceptions import exceptions_query
from registry.services.notifications import page_path, record_notification
from registry.services.practice import review_queue
from registry.services.robots import stored_robot

REVIEW_WAITING_DAYS = 7  # HR's digest lists records waiting for review longer than this
EXCEPTION_WAITING_DAYS = 14  # the bureau's digest lists exception requests waiting longer than this
DECISIONS_DAYS = 7  # without a previous digest, exception decisions of this many days are news
# The figures the digests' sections are defined by, as the robot settings' pages state them (a Jinja global).
DIGEST_THRESHOLDS = MappingProxyType({"review_days": REVIEW_WAITING_DAYS, "exception_days": EXCEPTION_WAITING_DAYS,
                                      "due_months": DUE_WITHIN_MONTHS})
# Where a teacher acts on each reminder: practice on the practice page; training on the home page, which shows the
# training verdict and the training on record.
TEACHER_PAGES = {NotificationKind.CYCLE_DEADLINE: "practice.mine", NotificationKind.PRACTICE_BEHIND: "practice.mine",
                 NotificationKind.TRAINING_MISSING: "main.index"}


@dataclass(frozen=True)
class Planned:
    """A notification due and not yet recorded: for the account `user_id` (login, role: the audience), or, with
    `robot_id` set, a post to that work-group robot (`school` names whose; None for the bureau's).
    `payload` is the notification's JSON-able figures, `link` the path of the page where the reader acts."""

    kind: NotificationKind
    key: str
    as_of: date
    payload: Mapping[str, Any]
    link: str
    user_id: int | None = None
    login: str = ""
    audience: Role | None = None
    robot_id: int | None = None
    school: str | None = None


@dataclass
class ReminderReport:
    """What one run did (or, with dry_run, would do): the new notifications and robot posts (`planned`, in the
    order teachers, school HR, bureau); `emails`, how many e-mails the new notifications queue (deliveries.
    would_email: the account is active, has an address, wants e-mail, and MAIL_SERVER is set); `waiting`, the
    deliveries queued before the run that a run would try now, per status (deliveries.waiting_counts); and the
    delivery run's report (None for a dry run, which sends nothing)."""

    as_of: date
    dry_run: bool
    planned: list[Planned] = field(default_factory=list)
    emails: int = 0
    waiting: dict[DeliveryStatus, int] = field(default_factory=dict)
    delivery: deliveries.DeliveryReport | None = None

    @property
    def notifications(self) -> list[Planned]:
        return [p for p in self.planned if p.user_id is not None]

    @property
    def robot_posts(self) -> list[Planned]:
        return [p for p in self.planned if p.robot_id is not None]

    def by_kind(self) -> Counter[NotificationKind]:
        """New notifications (not robot posts) per kind."""
        return Counter(p.kind for p in self.notifications)

    def by_audience(self) -> Counter[Role]:
        """New notifications per audience: teachers, school HR, the bureau."""
        return Counter(p.audience for p in self.notifications)

    @property
    def waiting_total(self) -> int:
        """Deliveries queued before the run that it would try."""
        return sum(self.waiting.values())

    @property
    def waiting_failed(self) -> int:
        """Of those, the ones that failed before."""
        return self.waiting.get(DeliveryStatus.FAILED, 0)

    @property
    def to_send(self) -> int:
        """Everything a run sends: the new notifications' e-mails, the new robot posts and the waiting deliveries."""
        return self.emails + len(self.robot_posts) + self.waiting_total


def send_reminders(as_of: date, dry_run: bool = False) -> ReminderReport:
    """Work out every reminder due on `as_of`, record the new ones, and deliver whatever is pending.

    Commits the recorded notifications (and their queued e-mails and robot posts) before delivering; delivery
    commits each message on its own, and a failed one stays for the next run (deliveries.deliver_pending).
    `dry_run`: nothing is recorded or sent; the whole transaction is rolled back at the end (the verdict snapshot
    of another date, a cache, included). Returns the ReminderReport the command prints.

    Raises Invalid {"as_of": …} for a day after today (Dandong) unless `dry_run`: the keys of teachers' reminders
    carry no date, so recording a future day's would use them up before they are due.
    """
    if as_of > today() and not dry_run:
        raise Invalid({"as_of": _("只有试运行（--dry-run）可以使用今天以后的日期")})
    planned = work_out(as_of)
    report_ = ReminderReport(as_of, dry_run, planned, emails=emails_queued(planned),
                             waiting=deliveries.waiting_counts())
    if dry_run:
        db.session.rollback()
        return report_
    record(planned)
    db.session.commit()
    report_.delivery = deliveries.deliver_pending()
    return report_


def emails_queued(planned: Iterable[Planned]) -> int:
    """How many of the planned notifications get an e-mail (deliveries.would_email of their accounts)."""
    ids = [p.user_id for p in planned if p.user_id is not None]
    if not ids:
        return 0
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(set(ids))))}
    return sum(deliveries.would_email(users[user_id]) for user_id in ids)


def record(planned: Iterable[Planned]) -> None:
    """Record each planned notification (queueing its e-mail) and queue each planned robot post."""
    for item in planned:
        if item.robot_id is not None:
            robot = db.session.get(RobotWebhook, item.robot_id)
            deliveries.queue_robot(robot, item.key, build(item.kind, item.payload, item.as_of, item.link))
        else:
            record_notification(db.session.get(User, item.user_id), item.kind, item.key, item.as_of, item.payload,
                                item.link)


def work_out(as_of: date) -> list[Planned]:
    """Every notification and robot post due on `as_of` that is not recorded yet: teachers' reminders first, then
    the HR digests (school by school), then the bureau's digest. Reads only; writes at most a verdict snapshot."""
    return [*teacher_plans(as_of), *hr_plans(as_of), *bureau_plans(as_of)]


# --- teachers -----------------------------------------------------------------------------------------------------


def teacher_plans(as_of: date) -> list[Planned]:
    """The teachers' reminders due on `as_of` and not yet recorded, from the verdicts of that date.

    Only candidates are read (SQL): teachers the practice rule applies to whose cycle ends within the largest
    reminder window (DEADLINE_MONTHS, TRAINING_MONTHS: a month more, the rules decide the day), or who are behind.
    Training pending alone is no reason: its reminder is due only within TRAINING_MONTHS of the cycle's end.
    """
    source = verdict_source(as_of)
    v = source.table.c
    horizon = add_months(as_of, max(*DEADLINE_MONTHS, TRAINING_MONTHS) + 1)
    rows = db.session.execute(
        select(User.id, User.login, v.teacher_id, v.cycle_start, v.cycle_end, v.practice_status, v.practice_months,
               v.practice_required, v.practice_needed, v.practice_expected, v.training_status)
        .select_from(source.table)
        .join(User, User.teacher_id == v.teacher_id)
        .where(*source.where, User.active.is_(True), User.role == Role.TEACHER,
               v.practice_status != PracticeRuleStatus.NOT_APPLICABLE, v.cycle_end.is_not(None),
               or_(v.cycle_end <= horizon, v.practice_status == PracticeRuleStatus.BEHIND))
        .order_by(v.school_name_key, v.teacher_name_key, User.login)
    ).all()
    plans = []
    links = {kind: page_path(endpoint) for kind, endpoint in TEACHER_PAGES.items()}
    for row in rows:
        standing = Standing(row.cycle_start, row.cycle_end, PracticeRuleStatus(row.practice_status),
                            row.practice_months, row.practice_required, row.practice_needed, row.practice_expected,
                            TrainingRuleStatus(row.training_status))
        for due in teacher_reminders(standing, as_of):
            plans.append(Planned(due.kind, due.key, as_of, {"teacher_id": row.teacher_id, **due.figures},
                                 links[due.kind], user_id=row.id, login=row.login, audience=Role.TEACHER))
    return unrecorded(plans)


def unrecorded(plans: list[Planned]) -> list[Planned]:
    """The plans whose (user, key) has no notification yet: one query."""
    if not plans:
        return []
    recorded = set(db.session.execute(
        select(Notification.user_id, Notification.key)
        .where(Notification.user_id.in_({p.user_id for p in plans}), Notification.key.in_({p.key for p in plans}))
    ).all())
    return [p for p in plans if (p.user_id, p.key) not in recorded]


# --- school HR ----------------------------------------------------------------------------------------------------


def hr_plans(as_of: date) -> list[Planned]:
    """The weekly digest of each school for its active HR accounts that have not had this week's, and the school's
    robot post; a school whose digest would be empty gets none, nor does a school without an active HR account
    (the digest is that account's home page: hr_home)."""
    due = digest_due(NotificationKind.HR_DIGEST, as_of)
    accounts = db.session.scalars(
        select(User).join(School, School.id == User.school_id)
        .where(User.active.is_(True), User.role == Role.SCHOOL_HR)
        .order_by(School.name_key, User.login)
    ).all()
    by_school: dict[int, list[User]] = {}
    for user in accounts:
        by_school.setdefault(user.school_id, []).append(user)
    plans: list[Planned] = []
    for school_id, users in by_school.items():
        plans.extend(digest_plans(
            due, as_of, users, school_id, lambda users=users: hr_digest_payload(users[0], as_of, due, [u.id for u in users])))
    return plans


def hr_digest_payload(actor: User, as_of: date, due: Due, colleagues: list[int]) -> dict[str, Any] | None:
    """The HR digest of the actor's school on `as_of` (see messages.hr_digest for its shape), or None when every
    section is empty. `colleagues`: the school's HR accounts, whose previous digest marks what is new; exception
    decisions are listed from the previous digest's day (included: a decision made later that day is not lost) or,
    without one, from DECISIONS_DAYS days before."""
    page = home.hr_home(actor, as_of, now=as_of)
    previous = db.session.scalar(
        select(Notification).where(Notification.user_id.in_(colleagues), Notification.kind == due.kind,
                                   Notification.key != due.key, Notification.as_of <= as_of)
        .order_by(Notification.as_of.desc(), Notification.id.desc()).limit(1))
    known = set(previous.payload.get("lagging_ids", ())) if previous else set()
    since = previous.as_of if previous else as_of - timedelta(days=DECISIONS_DAYS)
    lagging_ids = lagging_teacher_ids(actor, as_of)

    def lagging(rows: list[ComplianceRow]) -> list[dict[str, Any]]:
        return [{"teacher_id": r.teacher_id, "teacher": r.name, "months": r.practice_months,
                 "needed": r.practice_needed, "new": r.teacher_id not in known} for r in rows]

    reviews = waiting_part(
        page.practice.items, REVIEW_WAITING_DAYS,
        review_queue(actor).where(PracticeRecord.submitted_at < local_midnight(as_of, REVIEW_WAITING_DAYS)),
        lambda w: {"record_id": w.record.id, "teacher": w.record.teacher.name, "enterprise": w.record.enterprise,
                   "days": w.days})
    decided = (exceptions_query(actor)
               .where(HireException.status != ExceptionStatus.REQUESTED,
                      HireException.decided_at >= local_midnight(since), HireException.decided_at < local_midnight(
                          as_of + timedelta(days=1))))
    payload = {
        "school_id": actor.school_id,
        "school": actor.school.name,
        **due.figures,
        "since": since.isoformat(),
        "review_days": REVIEW_WAITING_DAYS,
        "due_months": DUE_WITHIN_MONTHS,
        "lagging_ids": lagging_ids,
        "reviews": reviews,
        # the lagging teachers' sections are named by their status codes
        PracticeRuleStatus.INFEASIBLE: part(page.infeasible.count, lagging(page.infeasible.items)),
        PracticeRuleStatus.BEHIND: part(page.behind.count, lagging(page.behind.items)),
        "due": part(page.due.count, [{"teacher_id": r.teacher_id, "teacher": r.name, "cycle_end": r.cycle_end.isoformat(),
                                      "needed": r.practice_needed} for r in page.due.items]),
        "decisions": part(count_of(decided), [
            {"exception_id": x.id, "teacher": x.teacher.name, "status": str(x.status),
             "decided_on": home.local_day(x.decided_at).isoformat()}
            for x in db.session.scalars(decided.options(joinedload(HireException.teacher)).limit(home.HOME_LIST))]),
    }
    sections = ("reviews", PracticeRuleStatus.INFEASIBLE, PracticeRuleStatus.BEHIND, "due", "decisions")
    return payload if any(payload[name]["count"] for name in sections) else None


def lagging_teacher_ids(actor: User, as_of: date) -> list[int]:
    """Every teacher of the actor's school 进度落后 or 本周期已无法完成 on `as_of` (one query)."""
    source = verdict_source(as_of)
    v = source.table.c
    everyone = compliance_list.parse_filters({"as_of": as_of.isoformat()})
    statement = scoped(actor, everyone, source, v.teacher_id).where(v.practice_status.in_(home.LAGGING))
    return sorted(db.session.scalars(statement))


# --- the bureau ---------------------------------------------------------------------------------------------------


def bureau_plans(as_of: date) -> list[Planned]:
    """The monthly digest for every active bureau account that has not had this month's, and the bureau robot's
    post; none when the digest would be empty."""
    due = digest_due(NotificationKind.BUREAU_DIGEST, as_of)
    users = db.session.scalars(
        select(User).where(User.active.is_(True), User.role == Role.BUREAU).order_by(User.login)).all()
    return digest_plans(due, as_of, users, None, lambda: bureau_digest_payload(users[0], as_of, due)) if users else []


def digest_plans(due: Due, as_of: date, users: Sequence[User], school_id: int | None,
                 payload_of: Callable[[], dict[str, Any] | None]) -> list[Planned]:
    """A digest `due` for those of `users` (one audience: a school's HR, or the bureau) who have not had it, and
    the post to the robot of the school `school_id` (None: the bureau's) unless it was queued. `payload_of` makes
    the digest's figures, only when someone is to get it; None (every section empty) gives no plan at all."""
    link = page_path("main.index")
    wanting = unrecorded([Planned(due.kind, due.key, as_of, {}, link, user_id=u.id, login=u.login,
                                  audience=u.role) for u in users])
    robot = stored_robot(school_id)
    post_key = robot_key(robot, due) if robot else None
    posting = post_key is not None and not deliveries.already_queued(post_key)
    if not wanting and not posting:
        return []
    payload = payload_of()
    if payload is None:
        return []
    plans = [Planned(p.kind, p.key, as_of, payload, link, p.user_id, p.login, p.audience) for p in wanting]
    if posting:
        plans.append(Planned(due.kind, post_key, as_of, payload, link, robot_id=robot.id, school=payload.get("school")))
    return plans


def bureau_digest_payload(actor: User, as_of: date, due: Due) -> dict[str, Any] | None:
    """The bureau's digest on `as_of` (see messages.bureau_digest for its shape), or None when every section is
    empty."""
    page = home.bureau_home(actor, as_of, now=as_of)
    exceptions = waiting_part(
        page.exceptions_waiting.items, EXCEPTION_WAITING_DAYS,
        exceptions_query(actor, ExceptionStatus.REQUESTED).where(
            HireException.requested_at < local_midnight(as_of, EXCEPTION_WAITING_DAYS)),
        lambda w: {"exception_id": w.record.id, "teacher": w.record.teacher.name,
                   "school": w.record.teacher.school.name, "days": w.days})
    payload = {
        **due.figures,
        "exception_days": EXCEPTION_WAITING_DAYS,
        "lagging": part(page.lagging.count, [
            {"school_id": lag.summary.school.id, "school": lag.summary.school.name, "share": round(lag.share, 4),
             "lagging": lag.lagging, "applicable": lag.applicable} for lag in page.lagging.items]),
        "leadership": part(page.leadership_failing.count, [
            {"school_id": s.school.id, "school": s.school.name, "best_months": report(s.leadership.best_months)}
            for s in page.leadership_failing.items]),
        "exceptions": exceptions,
    }
    return payload if any(payload[name]["count"] for name in ("lagging", "leadership", "exceptions")) else None


# --- shared -------------------------------------------------------------------------------------------------------


def part(count: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A digest's section: how many there are, and the first home.HOME_LIST of them."""
    return {"count": count, "items": items[:home.HOME_LIST]}


def waiting_part(shown: Iterable[home.Waiting], days: int, older: Select, item) -> dict[str, Any]:
    """The section of the records waiting longer than `days`: the home page's shortlist (oldest first) cut there,
    counted by `older` (the same records submitted before that day)."""
    return part(count_of(older), [item(w) for w in shown if w.days > days])


def count_of(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def local_midnight(day: date, days_before: int = 0) -> datetime:
    """The first moment of `day` minus `days_before` days in Dandong (a stored moment before it is older)."""
    return datetime.combine(day - timedelta(days=days_before), time(), TIMEZONE)


def robot_key(robot: RobotWebhook, due: Due) -> str:
    """The delivery key of a robot's digest post: "robot:<robot id>:<digest key>" (once per robot and period)."""
    return f"robot:{robot.id}:{due.key}"


