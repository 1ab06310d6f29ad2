"""Whether this application server can serve: the database answers, and how fresh the stored verdicts are.

Read by `/healthz` (registry.health) for load balancers and monitoring, without a signed-in user. Every figure
comes from one statement of scalar subqueries on primary keys and on the indexed `computed_on` / `valid_until`
columns, so it stays in milliseconds at a country's size (see README, "部署到全省或全国").
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from registry import dates
from registry.extensions import db
from registry.models import School, SchoolVerdict, Teacher, TeacherVerdict
from registry.services.verdicts import stale_clause


class HealthStatus(StrEnum):
    """The overall answer of /healthz."""

    OK = "ok"  # the database answers and every teacher and school has a current verdict
    STALE = "stale"  # the database answers, but some verdict is out of date or missing: run `compliance refresh`
    UNAVAILABLE = "unavailable"  # the database cannot be reached, or cannot answer the freshness query


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool  # a trivial statement succeeded
    ms: float  # round trip of a trivial statement, milliseconds (to 0.01)


@dataclass(frozen=True)
class TeacherFreshness:
    teachers: int  # every teacher, left or not
    stale: int  # verdict rows no longer valid today (valid_until <= today) or computed for a later day
    missing: int  # teachers without a verdict row
    oldest_computed_on: date | None  # the earliest `computed_on` of any row; None without rows


@dataclass(frozen=True)
class SchoolFreshness:
    stale: int
    missing: int


@dataclass(frozen=True)
class Health:
    status: HealthStatus
    database: DatabaseHealth
    verdicts: TeacherFreshness | None  # None when the database is unavailable
    schools: SchoolFreshness | None

    @property
    def http_status(self) -> int:
        """200 while the database answers (even with stale verdicts), 503 when it does not."""
        return 503 if self.status is HealthStatus.UNAVAILABLE else 200

    def to_json(self) -> dict[str, Any]:
        """The JSON body: {"status", "database": {"ok", "ms"}, "verdicts": {...} | null, "schools": {...} | null},
        dates as YYYY-MM-DD."""
        body = asdict(self)
        if self.verdicts is not None and self.verdicts.oldest_computed_on is not None:
            body["verdicts"]["oldest_computed_on"] = self.verdicts.oldest_computed_on.isoformat()
        return body


def check_health() -> Health:
    """The database's round trip and the freshness of the stored verdicts as of registry.dates.today().

    Never raises for a database failure: a DBAPI error (server down, connection refused, schema missing, statement
    cancelled) rolls the session back and gives status UNAVAILABLE; `database.ok` then tells whether the server
    itself answered.
    """
    started = time.perf_counter()
    ms = None
    try:
        db.session.execute(text("SELECT 1"))
        ms = _elapsed_ms(started)
        teachers, schools = _freshness(dates.today())
    except DBAPIError as exc:
        db.session.rollback()
        # The server answered but the verdict tables did not (no migration yet, a statement cancelled): still 503.
        answered = ms is not None
        current_app.logger.warning("health check failed (%s)", type(exc.orig or exc).__name__)
        return Health(HealthStatus.UNAVAILABLE, DatabaseHealth(ok=answered, ms=ms if answered else _elapsed_ms(started)),
                      None, None)
    fresh = teachers.stale == teachers.missing == schools.stale == schools.missing == 0
    return Health(HealthStatus.OK if fresh else HealthStatus.STALE, DatabaseHealth(ok=True, ms=ms), teachers, schools)


def _freshness(today: date) -> tuple[TeacherFreshness, SchoolFreshness]:
    """Counts of rows, stale rows and missing rows of both verdict tables, in one round trip."""

    def count(model, *conditions):
        return select(func.count()).select_from(model).where(*conditions).scalar_subquery()

    def stale(model):
        # Two indexed range conditions: the planner ORs two index scans (PostgreSQL) instead of reading every row.
        return count(model, stale_clause(model, today))

    # A verdict row always belongs to an existing teacher (its primary key is a foreign key, ON DELETE CASCADE), so
    # "missing" is a difference of two index-only counts, cheaper than an anti-join over every teacher.
    row = db.session.execute(
        select(
            count(Teacher),
            count(TeacherVerdict),
            stale(TeacherVerdict),
            select(func.min(TeacherVerdict.computed_on)).scalar_subquery(),
            count(School),
            count(SchoolVerdict),
            stale(SchoolVerdict),
        )
    ).one()
    teachers, teacher_rows, teachers_stale, oldest, schools, school_rows, schools_stale = row
    return (
        TeacherFreshness(teachers, teachers_stale, max(teachers - teacher_rows, 0), oldest),
        SchoolFreshness(schools_stale, max(schools - school_rows, 0)),
    )


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
