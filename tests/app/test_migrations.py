import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from registry.extensions import db
from tests.app.factories import Factory
from tests.app.isolated import isolated_app

FIRST_REVISION = "92577d3ec489"  # the initial schema


# SQLAlchemy cannot reflect an index on an expression (robot_webhook's one robot per school and one for the bureau,
# coalesce(school_id, 0)): the comparison skips it; the last test here checks it instead.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index:UserWarning")
def test_the_migrations_build_exactly_the_schema_of_the_models(app):
    with app.app_context():
        differences = compare_metadata(MigrationContext.configure(db.session.connection()), db.metadata)
    assert differences == []


def test_migrating_down_to_the_first_schema_and_up_again_keeps_every_record(make_app, tmp_path):
    """A batch migration rebuilds a table on SQLite (copy, drop, rename): with the app's foreign keys on, the drop
    would fail or cascade into the child tables. Here with data in every parent table; the keys filled on the way up."""
    with isolated_app(make_app, "migrations", tmp_path) as app, app.app_context():
        make = Factory()
        teacher = make.teacher(make.school("丹东市第一职业中专"), name="张宏伟")
        make.practice(teacher, "2023-07-01", "2023-08-31")
        make.employment(teacher, "2015-07-01", "2019-06-30")
        make.user("teacher", teacher=teacher)
        db.session.commit()
        counted = ("school", "teacher", "practice_record", "employment_record", "user")

        def counts() -> dict[str, int]:
            return {table: db.session.scalar(text(f"SELECT count(*) FROM {table}")) for table in counted}  # noqa: S608

        before = counts()
        db.session.remove()
        downgrade(revision=FIRST_REVISION)
        upgrade()
        assert counts() == before
        assert db.session.scalar(text("SELECT name_key FROM teacher")) == "zhang1 hong2 wei3"


def test_robot_webhook_allows_one_per_school_and_one_for_the_bureau(make):
    from sqlalchemy.exc import IntegrityError

    from registry.models import RobotWebhook

    school = make.school("丹东市第一职业中专")
    for owner in (school.id, None):
        db.session.add(RobotWebhook(school_id=owner, kind="wecom", url="https://qyapi.weixin.qq.com/x"))
        db.session.flush()
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(RobotWebhook(school_id=owner, kind="dingtalk", url="https://oapi.dingtalk.com/y"))
            db.session.flush()


def test_migrating_leaves_the_applications_own_logger_speaking(app, make_app, tmp_path):
    app.logger.warning("the registry's logger exists before the migrations run")
    with isolated_app(make_app, "loggers", tmp_path):
        pass
    assert not app.logger.disabled
