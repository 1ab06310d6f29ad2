"""The measures: each question the registry answers, asked as a request would ask it, timed and weighed.

Every run starts from a fresh session (as a request does: nothing cached in
the identity map, the caller loaded again by id) and ends by discarding the
session, which rolls back whatever a reader wrote (a date's snapshot) so the
next run finds the same database. The write commits, as its request would.
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from registry.bench.client import BUREAU_LOGIN, signed_in_client
from registry.bench.generate import SPECIALTIES, Generated
from registry.bench.memory import RssPeak, TracemallocPeak
from registry.bureau import exports
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.rules.vocabulary import PracticeRuleStatus, Rule
from registry.services import compliance, teachers, verdicts
from registry.services import schools as school_service
from registry.services.compliance import PolicyBook
from registry.services.compliance_list import DEFAULT_SORT, list_page, parse_filters
from registry.services.dashboard import build_dashboard
from registry.services.reminders import send_reminders

FULL_BASELINE_LIMIT = 100_000  # beyond it the baseline evaluates a sample and extrapolates
BASELINE_SAMPLE = 20_000
NAME_SORT = "name"  # the list's order by name (compliance_list.SORTS)


# The lines of the table, in order.
GENERATION = "generation"
REFRESH = "full refresh"
FIRST_PAGE = "list, first page + totals"
BEHIND = "list, practice = behind"
BY_STATUS = "list, by practice status"
LAST_PAGE = "list, by name, last page"
DASHBOARD = "dashboard"
ONE_TEACHER = "one teacher"
ONE_SCHOOL = "one school"
CSV = "CSV export, all"
XLSX = "xlsx export, all"
WRITE = "write + recompute"
BASELINE = "baseline: list, as of yesterday"
REMINDERS = "reminders, dry run (work out)"
PRINT = "print, whole list of a county (page)"
IMPORT_DRY_RUN = "import, dry run (page)"  # registry.bench.imports: last, as they add teachers
IMPORT = "import (page)"
MEASURE_NAMES = (GENERATION, REFRESH, FIRST_PAGE, BEHIND, BY_STATUS, LAST_PAGE, DASHBOARD, ONE_TEACHER, ONE_SCHOOL,
                 CSV, XLSX, PRINT, WRITE, REMINDERS, BASELINE, IMPORT_DRY_RUN, IMPORT)


@dataclass(frozen=True)
class Outcome:
    """What one run produced: `rows` it handled (for rows per second; None where that means nothing) and a word."""

    rows: int | None = None
    detail: str = ""
    seconds: float | None = None  # the run's own figure, when it is not the wall time (an extrapolation)


@dataclass(frozen=True)
class Measure:
    """A named question; `run(i)` asks it for the i-th time. A heavy one runs once, cold, whatever --repeat says."""

    name: str
    run: Callable[[int], Outcome]
    heavy: bool = False


@dataclass
class Result:
    """One line of the table. Times in milliseconds, memory in MB."""

    name: str
    runs: int
    median_ms: float | None
    rows_per_second: float | None = None
    peak_mb: float | None = None
    detail: str = ""
    times_ms: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.name, "runs": self.runs, "median_ms": self.median_ms, "times_ms": self.times_ms,
            "rows_per_second": self.rows_per_second, "peak_mb": self.peak_mb, "detail": self.detail,
        }


def settle_statistics() -> None:
    """On PostgreSQL, VACUUM ANALYZE after the bulk writes, as autovacuum soon would on a server: the planner's
    statistics and the visibility map (index-only scans) then describe the data the reads measure. Counted in
    the full refresh's time."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def fresh_session() -> None:
    """End the current session (rolling back what it did not commit): the next statement starts a new one."""
    db.session.remove()


def run_measure(measure: Measure, repeat: int, memory: RssPeak | TracemallocPeak) -> Result:
    """Time `measure`: one untimed warm-up then `repeat` runs (a heavy one: a single cold run); median and peak."""
    runs = 1 if measure.heavy else repeat
    index = 0
    if not measure.heavy:
        fresh_session()
        measure.run(index)
        index += 1
    if not memory.extra_pass:
        memory.start()
    times, outcome = [], Outcome()
    for _ in range(runs):
        fresh_session()
        started = time.perf_counter()
        outcome = measure.run(index)
        elapsed = time.perf_counter() - started
        times.append(outcome.seconds if outcome.seconds is not None else elapsed)
        index += 1
    fresh_session()
    if memory.extra_pass:
        memory.start()
        try:
            measure.run(index)
        finally:
            peak = memory.stop()
            fresh_session()
    else:
        peak = memory.stop()
    median = statistics.median(times)
    return Result(
        name=measure.name,
        runs=runs,
        median_ms=median * 1000,
        rows_per_second=outcome.rows / median if outcome.rows and median > 0 else None,
        peak_mb=peak,
        detail=outcome.detail,
        times_ms=[t * 1000 for t in times],
    )


def consume(chunks: Iterable[bytes]) -> int:
    """Read a streamed file to its end; returns its size in bytes."""
    return sum(len(chunk) for chunk in chunks)


class Questions:
    """The measures over one generated data set, as of `today`."""

    def __init__(self, data: Generated, today: date, baseline_sample: int | None = None):
        self.data = data
        self.today = today
        if baseline_sample is None and data.teachers > FULL_BASELINE_LIMIT:
            baseline_sample = BASELINE_SAMPLE
        self.baseline_sample = baseline_sample if baseline_sample and baseline_sample < data.teachers else None

    def bureau(self) -> User:
        return db.session.get(User, self.data.bureau_id)

    def page(self, **filters: Any) -> Outcome:
        page = list_page(self.bureau(), parse_filters(filters))
        return Outcome(detail=f"{len(page.rows)} of {page.totals.total:,} rows, page {page.page} of {page.pages:,}")

    def last_page_by_name(self, _i: int) -> Outcome:
        per_page = parse_filters({}).per_page
        return self.page(sort=NAME_SORT, page=max(1, math.ceil(self.data.teachers / per_page)))

    def dashboard(self, _i: int) -> Outcome:
        board = build_dashboard(self.bureau(), parse_filters({}))
        return Outcome(detail=f"{len(board.schools)} schools, {board.overall.total:,} teachers")

    def one_teacher(self, _i: int) -> Outcome:
        result = compliance.teacher_compliance(self.bureau(), self.data.read_teacher_id, self.today)
        return Outcome(detail=f"teacher {result.teacher_id}: {result.hire.status}, {result.practice.status}, "
                              f"{result.training.status}")

    def one_school(self, _i: int) -> Outcome:
        summary = school_service.school_compliance(self.bureau(), self.data.hr_school_id, self.today)
        return Outcome(detail=f"school {summary['school_id']}: {summary['teachers']:,} teachers")

    def export(self, make: Callable) -> Callable[[int], Outcome]:
        def run(_i: int) -> Outcome:
            size = consume(make(self.bureau(), parse_filters({})))
            return Outcome(rows=self.data.teachers, detail=f"{self.data.teachers:,} rows, {size / 1e6:,.1f} MB")

        return run

    def write(self, _i: int) -> Outcome:
        """Change a teacher's specialty through the teacher service, and commit: the verdicts are recomputed."""
        hr = db.session.get(User, self.data.hr_id)
        teacher = teachers.editable_teacher(hr, self.data.write_teacher_id)
        specialty = SPECIALTIES[1] if teacher.specialty == SPECIALTIES[0] else SPECIALTIES[0]
        teachers.update_teacher(hr, teacher.id, {"specialty": specialty}, self.today)
        db.session.commit()
        return Outcome(detail=f"teacher {teacher.id}: specialty → {specialty}")

    def print_list(self, _i: int) -> Outcome:
        """The whole compliance list of the largest county (else school) that fits under COMPLIANCE_PRINT_MAX_ROWS,
        laid out for paper as the bureau gets it through the page (/bureau/compliance/print, signed in with the test
        client; the sign-in is timed too, one password check): the largest document the page prints."""
        limit = current_app.config["COMPLIANCE_PRINT_MAX_ROWS"]
        counties = db.session.execute(
            select(School.county, func.count()).join(Teacher.school).group_by(School.county)).all()
        schools = db.session.execute(select(Teacher.school_id, func.count()).group_by(Teacher.school_id)).all()
        candidates = [(n, {"county": county}) for county, n in counties] + [(n, {"school_id": s}) for s, n in schools]
        fitting = [candidate for candidate in candidates if candidate[0] <= limit]
        if not fitting:
            return Outcome(detail=f"no county or school of at most {limit:,} teachers")
        _n, filters = max(fitting, key=lambda candidate: candidate[0])
        client = signed_in_client(current_app, BUREAU_LOGIN, self.data.password)
        response = client.get("/bureau/compliance/print", query_string=filters)
        if response.status_code != 200:
            raise RuntimeError(f"the printed list answered {response.status_code}")
        html = response.get_data(as_text=True)
        rows = html.count("data-teacher=")
        return Outcome(rows=rows, detail=f"{rows:,} rows, {len(html.encode()) / 1e6:,.1f} MB of HTML")

    def reminders(self, _i: int) -> Outcome:
        """What the daily `reminders send` works out for every teacher account and every school's HR, as a dry run
        (nothing recorded or sent)."""
        report = send_reminders(self.today, dry_run=True)
        by_kind = ", ".join(f"{kind}: {count:,}" for kind, count in sorted(report.by_kind().items()))
        return Outcome(rows=self.data.teachers, detail=f"{len(report.planned):,} due ({by_kind})")

    def full_refresh(self, progress: Callable[[int, int], None] | None = None) -> Callable[[int], Outcome]:
        def run(_i: int) -> Outcome:
            report = verdicts.refresh(self.today, everyone=True, progress=progress)
            db.session.commit()
            settle_statistics()
            return Outcome(rows=report.teachers, detail=f"{report.teachers:,} teachers, {report.schools:,} schools")

        return run

    def baseline(self, i: int) -> Outcome:
        """The list's first page as of a past day (yesterday, then a day earlier each run: never a kept snapshot),
        which evaluates every teacher in scope through the rule engine — today's list before stored verdicts.

        With a sample, only that many teachers are evaluated (evenly spread ids) and the time is scaled to all.
        """
        as_of = self.today - timedelta(days=1 + i)
        if self.baseline_sample is None:
            page = list_page(self.bureau(), parse_filters({"as_of": as_of.isoformat()}))
            return Outcome(rows=page.totals.total, detail=f"{page.totals.total:,} teachers evaluated, as of {as_of}")
        step = self.data.teachers / self.baseline_sample
        ids = [1 + int(k * step) for k in range(self.baseline_sample)]
        started = time.perf_counter()
        evaluated = sum(1 for _ in verdicts.evaluate_teachers(ids, as_of, PolicyBook.load()))
        seconds = (time.perf_counter() - started) * self.data.teachers / evaluated
        return Outcome(rows=self.data.teachers, seconds=seconds,
                       detail=f"{evaluated:,} teachers evaluated, scaled ×{self.data.teachers / evaluated:,.1f}")

    def measures(self, progress: Callable[[int, int], None] | None = None) -> list[Measure]:
        """Every measure after the generation, in the table's order."""
        behind = {"rule": Rule.PRACTICE.value, "status": PracticeRuleStatus.BEHIND.value}
        return [
            Measure(REFRESH, self.full_refresh(progress), heavy=True),
            Measure(FIRST_PAGE, lambda _i: self.page(sort=DEFAULT_SORT.name)),
            Measure(BEHIND, lambda _i: self.page(**behind)),
            Measure(BY_STATUS, lambda _i: self.page(sort=Rule.PRACTICE.value)),
            Measure(LAST_PAGE, self.last_page_by_name),
            Measure(DASHBOARD, self.dashboard),
            Measure(ONE_TEACHER, self.one_teacher),
            Measure(ONE_SCHOOL, self.one_school),
            Measure(CSV, self.export(exports.csv_chunks), heavy=True),
            Measure(XLSX, self.export(exports.xlsx_chunks), heavy=True),
            Measure(PRINT, self.print_list, heavy=True),
            Measure(WRITE, self.write),
            Measure(REMINDERS, self.reminders, heavy=True),
            Measure(BASELINE, self.baseline, heavy=True),
        ]


def generation_result(data: Generated, peak_mb: float | None) -> Result:
    """The generation's line: teachers per second, every row inserted in the detail."""
    return Result(
        name=GENERATION, runs=1, median_ms=data.seconds * 1000, rows_per_second=data.teachers / data.seconds,
        peak_mb=peak_mb, detail=f"{data.teachers:,} teachers, {data.schools} schools, {data.rows:,} rows "
                                f"({data.rows / data.seconds:,.0f} rows/s)", times_ms=[data.seconds * 1000],
    )
