"""No identity number and no teacher's name ever reaches the log: every record of a whole story is read.

The story runs on an application of its own (tests/app/isolated.py) that is not in testing mode, so its server
errors are logged as in production, with SQLAlchemy's statement log switched on: registrations through the form
and the API, two at once with one identity number, a duplicate that only the database notices, a database error
nobody handled, a refused API call, an import and a failed sign-in.
"""
from __future__ import annotations

import io
import logging
import re
from functools import partial

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Teacher
from registry.services import teachers as teacher_service
from tests.app.factories import Factory, id_number
from tests.app.inputs import csv_bytes, row, teacher_form, with_wrong_check_digit
from tests.app.isolated import at_once, isolated_app, signed_in

SCHOOL = "日志学校"
NAMES = ["日志教师甲", "日志教师乙", "日志教师丙", "日志教师丁", "导入教师一", "导入教师二"]
NUMBERS = [id_number(n, born="19870101") for n in range(1, 7)]
# An identity number on its own: 17 digits and a check character, not inside a longer run of letters and digits.
IDENTITY_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


@pytest.fixture
def log_app(make_app, tmp_path):
    with isolated_app(make_app, "logs", tmp_path, TESTING=False) as app:
        yield app


@pytest.fixture
def every_log_record(log_app, caplog):
    """caplog at DEBUG on the root logger, SQLAlchemy's statement log on; loggers a logging configuration disabled
    (Alembic's fileConfig, run by the migrations, disables those it does not name) speak again for the test."""
    disabled = [logger for logger in logging.root.manager.loggerDict.values()
                if isinstance(logger, logging.Logger) and logger.disabled]
    for logger in disabled:
        logger.disabled = False
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    yield caplog
    for logger in disabled:
        logger.disabled = True


def api_teacher(name: str, number: str) -> dict:
    return {**teacher_form(name=name, id_number=number), "left_date": None, "leadership": False}


def test_a_whole_story_leaves_no_identity_number_and_no_teacher_name_in_the_log(log_app, every_log_record, monkeypatch):
    make = Factory()
    with log_app.app_context():
        school = make.school(name=SCHOOL)
        hr = make.user("school_hr", school=school)
        headers, login = make.token(hr), hr.login
    api = log_app.test_client()

    page = signed_in(log_app, login).post("/teachers/new", data=teacher_form(name=NAMES[0], id_number=NUMBERS[0]))
    assert page.status_code == 302
    assert api.post("/api/v1/teachers", json=api_teacher(NAMES[1], NUMBERS[1]), headers=headers).status_code == 201

    same = api_teacher(NAMES[2], NUMBERS[2])
    raced = at_once(*(partial(log_app.test_client().post, "/api/v1/teachers", json=same, headers=headers) for _ in range(2)))
    assert sorted(r.status_code for r in raced) == [201, 400]

    monkeypatch.setattr(teacher_service, "registered_teachers", lambda numbers: {})  # the check ran before the insert
    duplicate = api.post("/api/v1/teachers", json=api_teacher(NAMES[3], NUMBERS[0]), headers=headers)
    assert duplicate.status_code == 400 and "id_number" in duplicate.get_json()["errors"]
    monkeypatch.setattr(teacher_service, "save_one", lambda actor, clean, target: teacher_service.save_teachers(actor, [clean], []))
    lost = api.post("/api/v1/teachers", json=api_teacher(NAMES[3], NUMBERS[1]), headers=headers)
    assert lost.status_code == 409  # the unique value was written by someone else in between
    monkeypatch.undo()

    refused = api.post("/api/v1/teachers", json=api_teacher(NAMES[3], with_wrong_check_digit(NUMBERS[3])), headers=headers)
    assert refused.status_code == 400
    rows = [row(1, SCHOOL, 姓名=NAMES[4], 身份证号=NUMBERS[4]), row(2, SCHOOL, 姓名=NAMES[5], 身份证号=NUMBERS[5]),
            row(3, SCHOOL, 姓名=NAMES[1], 身份证号=NUMBERS[1])]
    imported = signed_in(log_app, login).post(
        "/imports/", data={"file": (io.BytesIO(csv_bytes(rows)), "teachers.csv"), "submit": "1"},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200
    assert log_app.test_client().post("/login", data={"login": NUMBERS[5], "password": "wrong"}).status_code == 200

    log = every_log_record.text + "\n".join(record.getMessage() for record in every_log_record.records)
    assert "INSERT INTO teacher" in log and "write lost to a simultaneous one" in log, "the statement and the error were logged"
    assert IDENTITY_NUMBER.findall(log) == []
    assert [name for name in NAMES if name in log] == []
    assert "[SQL parameters hidden due to hide_parameters=True]" in log
    with log_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Teacher)) == 5, "two by hand, one of the pair, two imported"
