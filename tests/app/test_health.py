"""/healthz answers load balancers and monitors without signing in: the database, and the freshness of the verdicts.
And the gunicorn settings of `make serve` (registry.serving) come from the environment."""
from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry import serving
from registry.extensions import db
from registry.models import SchoolVerdict, TeacherVerdict
from registry.rules.vocabulary import HireStatus, LeadershipStatus, PracticeRuleStatus, TrainingRuleStatus
from registry.services.health import HealthStatus


def current_verdicts(teacher, today: date) -> None:
    """Make the teacher's and its school's stored verdicts current as of `today` (rows written directly: this
    module tests what /healthz reports about the rows, not how they are computed)."""
    row = db.session.get(TeacherVerdict, teacher.id) or TeacherVerdict(
        teacher_id=teacher.id, hire_status=HireStatus.NOT_APPLICABLE, experience_months=0, shortfall_months=0,
        practice_status=PracticeRuleStatus.NOT_APPLICABLE, training_status=TrainingRuleStatus.NOT_APPLICABLE,
    )
    row.computed_on, row.valid_until = today, None
    db.session.add(row)
    school_row = db.session.get(SchoolVerdict, teacher.school_id) or SchoolVerdict(
        school_id=teacher.school_id, status=LeadershipStatus.NON_COMPLIANT, best_months=0, members_counted=0,
    )
    school_row.computed_on, school_row.valid_until = today, None
    db.session.add(school_row)
    db.session.commit()


@pytest.fixture
def teacher(make, frozen_today):
    teacher = make.teacher(make.school())
    current_verdicts(teacher, frozen_today)
    return teacher


def health(client, status: int = 200) -> dict:
    response = client.get("/healthz")
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    return response.get_json()


def test_a_fresh_database_is_ok_without_signing_in(client, frozen_today):
    body = health(client)
    assert body["status"] == HealthStatus.OK
    assert body["database"]["ok"] is True
    assert body["database"]["ms"] >= 0
    assert body["verdicts"] == {"teachers": 0, "stale": 0, "missing": 0, "oldest_computed_on": None}
    assert body["schools"] == {"stale": 0, "missing": 0}


def test_every_verdict_current_is_ok_and_names_the_oldest_computation(client, teacher, frozen_today):
    body = health(client)
    assert body["status"] == HealthStatus.OK
    assert body["verdicts"] == {"teachers": 1, "stale": 0, "missing": 0, "oldest_computed_on": frozen_today.isoformat()}


def test_a_verdict_valid_only_until_today_is_stale(client, teacher, frozen_today):
    db.session.execute(
        update(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id)
        .values(computed_on=frozen_today - timedelta(days=40), valid_until=frozen_today)
    )
    db.session.commit()
    body = health(client)
    assert body["status"] == HealthStatus.STALE
    assert body["verdicts"] == {"teachers": 1, "stale": 1, "missing": 0,
                                "oldest_computed_on": (frozen_today - timedelta(days=40)).isoformat()}
    assert body["schools"] == {"stale": 0, "missing": 0}


def test_a_verdict_computed_for_a_later_day_is_stale(client, teacher, frozen_today):
    db.session.execute(
        update(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id)
        .values(computed_on=frozen_today + timedelta(days=1))
    )
    db.session.commit()
    assert health(client)["verdicts"]["stale"] == 1


def test_a_teacher_without_a_verdict_is_missing(client, teacher):
    db.session.execute(delete(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id))
    db.session.commit()
    body = health(client)
    assert body["status"] == HealthStatus.STALE
    assert body["verdicts"] == {"teachers": 1, "stale": 0, "missing": 1, "oldest_computed_on": None}


def test_a_school_with_a_stale_or_missing_verdict_makes_the_answer_stale(client, teacher, frozen_today):
    db.session.execute(update(SchoolVerdict).values(computed_on=frozen_today - timedelta(days=2),
                                                    valid_until=frozen_today - timedelta(days=1)))
    db.session.commit()
    body = health(client)
    assert (body["status"], body["schools"]) == (HealthStatus.STALE, {"stale": 1, "missing": 0})

    db.session.execute(delete(SchoolVerdict))
    db.session.commit()
    assert health(client)["schools"] == {"stale": 0, "missing": 1}


def test_an_unreachable_database_answers_503_unavailable(make_app, tmp_path):
    unreachable = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no-such-folder' / 'registry.sqlite'}")
    response = unreachable.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == HealthStatus.UNAVAILABLE
    assert body["database"]["ok"] is False
    assert (body["verdicts"], body["schools"]) == (None, None)
    with unreachable.app_context():
        db.engine.dispose()


def test_a_failing_statement_answers_503_and_the_next_probe_is_healthy_again(client, teacher, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    with monkeypatch.context() as patch:
        patch.setattr(Session, "execute", refused)
        assert health(client, 503)["status"] == HealthStatus.UNAVAILABLE
    assert health(client)["status"] == HealthStatus.OK


def test_a_server_that_answers_but_cannot_count_the_verdicts_is_unavailable_with_its_database_ok(client, monkeypatch):
    execute = Session.execute

    def no_verdict_tables(session, statement, *args, **kwargs):
        if "teacher_verdict" in str(statement):
            raise OperationalError(str(statement), {}, RuntimeError("no such table: teacher_verdict"))
        return execute(session, statement, *args, **kwargs)

    monkeypatch.setattr(Session, "execute", no_verdict_tables)
    body = health(client, 503)
    assert (body["status"], body["database"]["ok"], body["verdicts"]) == (HealthStatus.UNAVAILABLE, True, None)


def test_the_probe_sets_no_cookie_and_is_never_rate_limited(app, client):
    for _ in range(30):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert client.head("/healthz").status_code == 200


# ---------------------------------------------------------------- gunicorn's settings (registry.serving)


def test_workers_are_twice_the_cores_plus_one_unless_web_concurrency_says():
    assert serving.worker_count({}, cores=2) == 5
    assert serving.worker_count({"WEB_CONCURRENCY": "3"}, cores=2) == 3
    assert serving.worker_count({}) == 2 * serving.available_cores() + 1


def test_a_worker_count_that_is_not_positive_is_refused():
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        serving.worker_count({"WEB_CONCURRENCY": "0"})


def test_the_bind_address_comes_from_host_and_port():
    assert serving.bind_address({}) == "127.0.0.1:8000"
    assert serving.bind_address({"HOST": "0.0.0.0", "PORT": "9000"}) == "0.0.0.0:9000"
    assert serving.bind_address({"HOST": "::1"}) == "[::1]:8000"


def test_forwarded_headers_are_trusted_only_from_configured_proxies_and_the_access_log_goes_to_stdout(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    settings = importlib.reload(serving)
    assert settings.forwarded_allow_ips == ""
    assert settings.accesslog == "-"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert importlib.reload(serving).forwarded_allow_ips == "10.0.0.5"
