"""The teacher qualification and enterprise-practice registry."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from registry.config import PROJECT_ROOT, Config


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_secret_key(app)
    register_deployment_checks(app)
    bound_integer_urls(app)
    register_input_guard(app)

    register_extensions(app)
    register_security_headers(app)
    register_transactions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_secret_key(app: Flask) -> None:
    from registry import secret_key

    secret_key.init(app)


def register_deployment_checks(app: Flask) -> None:
    """In production, refuse to start while `flask --app app check` lists any unsafe setting."""
    from registry.checks import refuse_unsafe_production

    refuse_unsafe_production(app)


def bound_integer_urls(app: Flask) -> None:
    """An id in a URL beyond the database's integer range is simply not found (404), never a database error."""
    from werkzeug.routing import IntegerConverter

    from registry.schemas import MAX_ID

    class RecordIdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = RecordIdConverter


def register_input_guard(app: Flask) -> None:
    """Before every other check: control characters in any text, and JSON bodies too deep or not JSON, are a 400."""
    from registry import input_guard

    input_guard.init(app)


def register_extensions(app: Flask) -> None:
    from registry import auth_loaders
    from registry.extensions import babel, csrf, db, init_sqlite, limiter, login_manager, mail, migrate

    db.init_app(app)
    init_sqlite(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=auth_loaders.select_locale)
    limiter.init_app(app)
    mail.init_app(app)
    auth_loaders.init(app, login_manager)


def register_security_headers(app: Flask) -> None:
    from registry import security_headers

    security_headers.init(app)


def register_transactions(app: Flask) -> None:
    from registry.services import verdicts  # noqa: F401  (its session listeners keep the stored verdicts current)
    from registry.transactions import init

    init(app)


def register_blueprints(app: Flask) -> None:
    from registry.admin import bp as admin_bp
    from registry.api import bp as api_bp
    from registry.auth import bp as auth_bp
    from registry.bureau import bp as bureau_bp
    from registry.health import bp as health_bp
    from registry.imports import bp as imports_bp
    from registry.main import bp as main_bp
    from registry.notifications import bp as notifications_bp
    from registry.policies import bp as policies_bp
    from registry.practice import bp as practice_bp
    from registry.schools import bp as schools_bp
    from registry.teachers import bp as teachers_bp

    for blueprint in (auth_bp, main_bp, teachers_bp, imports_bp, practice_bp, schools_bp, bureau_bp, policies_bp, api_bp, health_bp,
                      notifications_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(admin_bp)


def register_error_handlers(app: Flask) -> None:
    from registry.errors_views import init

    init(app)


def register_template_helpers(app: Flask) -> None:
    from registry.template_helpers import init

    init(app)


def register_commands(app: Flask) -> None:
    from registry.commands import init

    init(app)
