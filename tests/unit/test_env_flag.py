"""registry.config.env_flag: a yes/no setting read from the environment, refused when it is neither."""
from __future__ import annotations

import pytest

from registry.config import env_flag

NAME = "REGISTRY_TEST_FLAG"


@pytest.mark.parametrize(
    "value, flag",
    [("1", True), ("true", True), ("YES", True), (" On ", True), ("0", False), ("false", False), ("No", False),
     ("OFF", False)],
)
def test_a_flag_reads_yes_and_no_in_any_case(monkeypatch, value, flag):
    monkeypatch.setenv(NAME, value)

    assert env_flag(NAME) is flag


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_unset_or_blank_flag_is_its_default(monkeypatch, value, default):
    if value is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, value)

    assert env_flag(NAME, default) is default


@pytest.mark.parametrize("value", ["2", "tru", "enabled", "y", "是"])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(NAME, value)

    with pytest.raises(ValueError, match=NAME):
        env_flag(NAME)
