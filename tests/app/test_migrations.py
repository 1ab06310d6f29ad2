from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from registry.extensions import db


def test_the_migrations_build_exactly_the_schema_of_the_models(app):
    with app.app_context():
        differences = compare_metadata(MigrationContext.configure(db.session.connection()), db.metadata)
    assert differences == []
