import stat

from registry import create_app
from registry.secret_key import instance_secret_key


def test_the_factory_uses_the_given_test_config(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"


def test_without_config_the_app_is_not_in_testing_mode():
    assert not create_app().testing


def test_without_a_secret_key_one_is_generated_once_into_the_instance_folder_readable_by_its_owner_only(tmp_path):
    key = instance_secret_key(tmp_path)
    assert len(key) == 64 and instance_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_an_app_without_secret_key_signs_with_the_instance_key():
    app = create_app({"SECRET_KEY": None})
    assert app.config["SECRET_KEY"] == instance_secret_key(app.instance_path)


def test_templates_and_static_files_come_from_the_top_level_folders(app, client):
    assert app.template_folder.endswith("templates")
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    response.close()
    assert response.status_code == 200
