"""Each app test runs in a transaction rolled back at its end; the code's own commits and rollbacks stay inside it."""
import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import School, Teacher
from tests.app.inputs import teacher_form


def schools() -> set[str]:
    return set(db.session.scalars(select(School.name)))


@pytest.mark.parametrize("run", ["first", "second"])
def test_what_a_test_commits_is_gone_for_the_next_one(make, client, run):
    """Run twice, in either order: the second would find the first one's rows."""
    assert db.session.scalar(select(func.count()).select_from(School)) == 0
    make.school(name="隔离测试")
    assert client.get("/login").status_code == 200  # a request in an app context of its own sees the same database
    assert schools() == {"隔离测试"}


def test_a_rollback_in_the_code_keeps_what_was_committed_before_it(make, database):
    make.school(name="已提交")
    db.session.add(School(name="未提交", county="东港市"))
    db.session.flush()
    db.session.rollback()
    assert schools() == {"已提交"}
    assert database.in_transaction()  # the test's own transaction is still open, to be rolled back at its end


def test_a_request_commits_into_the_tests_transaction(hr, login):
    response = login(hr).post("/teachers/new", data=teacher_form(name="请求写入"))
    assert response.status_code == 302
    assert db.session.scalar(select(Teacher.name)) == "请求写入"
