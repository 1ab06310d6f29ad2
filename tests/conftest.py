"""Shared by every test: the Hypothesis profiles, a test app factory and a frozen "today"."""
from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from hypothesis import settings

from registry import create_app
from registry.config import TestConfig
from registry.dates import TIMEZONE

# CI runs every property test on the same examples (derandomize: seeded from each test), so a red build is
# never luck; a developer's run keeps exploring new ones. HYPOTHESIS_PROFILE=ci reproduces CI locally.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=100, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))

# The date the demo, the audit world and the browser journeys are evaluated on ("today" when frozen).
FROZEN_NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TIMEZONE)


@pytest.fixture(scope="session")
def make_app():
    """make_app(**config) -> a Flask app on TestConfig with `config` on top (read before the extensions start)."""

    def build(**config):
        defaults = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
        return create_app({**defaults, **config})

    return build


@pytest.fixture
def frozen_today(time_machine) -> date:
    """Freeze the clock at FROZEN_NOW for the whole process (a live server's threads too); returns today's date."""
    time_machine.move_to(FROZEN_NOW, tick=False)
    return FROZEN_NOW.date()
