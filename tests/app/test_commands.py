"""The command line of api.md: exit 0 on success, 1 when refused, 2 on usage errors; no tracebacks."""
import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import School, User
from registry.services.users import user_for_token


def test_schools_create_prints_the_new_id(cli, app):
    result = cli("schools", "create", "东港市职业教育中心", "--county", "东港市")
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.get(School, int(result.output.strip())).county == "东港市"


def test_a_duplicate_school_is_refused_with_exit_1(cli):
    cli("schools", "create", "东港市职业教育中心", "--county", "东港市")
    result = cli("schools", "create", "东港市职业教育中心", "--county", "东港市")
    assert result.exit_code == 1
    assert "已有同名学校" in result.output
    assert "Traceback" not in result.output


def test_users_create_and_token(cli, app):
    school_id = cli("schools", "create", "甲校", "--county", "丹东市区").output.strip()
    assert cli("users", "create", "hr1", "--role", "school_hr", "--school", school_id, "--password", "long-enough-1").exit_code == 0
    token = cli("users", "token", "hr1")
    assert token.exit_code == 0
    with app.app_context():
        assert user_for_token(token.output.strip()).login == "hr1"
        assert db.session.scalar(select(User).where(User.login == "hr1")).school_id == int(school_id)


@pytest.mark.parametrize(
    "args, field",
    [
        (["users", "create", "hr2", "--role", "school_hr", "--password", "long-enough-1"], "school_id"),
        (["users", "create", "t1", "--role", "teacher", "--password", "long-enough-1"], "teacher_id"),
        (["users", "create", "x1", "--role", "bureau", "--password", "short"], "password"),
    ],
)
def test_a_user_missing_what_the_role_needs_is_refused(cli, args, field):
    result = cli(*args)
    assert result.exit_code == 1
    assert field in result.output


def test_an_unknown_role_or_a_missing_option_is_a_usage_error(cli):
    assert cli("users", "create", "x", "--role", "principal", "--password", "long-enough-1").exit_code == 2
    assert cli("schools", "create", "乙校").exit_code == 2


@pytest.mark.parametrize("option", ["--school", "--teacher"])
@pytest.mark.parametrize("value", ["0", "2147483648", "99999999999999999999"])
def test_a_record_id_out_of_range_is_a_usage_error_not_a_traceback(cli, app, option, value):
    result = cli("users", "create", "x2", "--role", "school_hr", option, value, "--password", "long-enough-1")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "x2")) is None


def test_a_token_for_an_unknown_login_is_refused(cli):
    result = cli("users", "token", "nobody")
    assert result.exit_code == 1
