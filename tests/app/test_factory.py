import pytest

from registry import create_app
from registry.config import DEV_SECRET_KEY


def test_the_factory_uses_the_given_test_config(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"


def test_without_config_the_app_is_not_in_testing_mode():
    assert not create_app().testing


def test_production_refuses_the_development_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"REGISTRY_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_production_starts_with_a_real_secret_key():
    assert create_app({"REGISTRY_ENV": "production", "SECRET_KEY": "a-long-random-production-key"})


def test_templates_and_static_files_come_from_the_top_level_folders(app, client):
    assert app.template_folder.endswith("templates")
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    response.close()
    assert response.status_code == 200
