"""Argon2id at the cost the configuration names: RFC 9106's low-memory profile in production, the cheapest in tests."""
from argon2 import extract_parameters, profiles

from registry import create_app
from registry.extensions import db
from registry.services.users import authenticate, hash_password, password_hasher


def test_production_hashes_with_the_rfc_9106_low_memory_profile():
    with create_app().app_context():
        parameters = extract_parameters(hash_password("correct-horse-9"))
    expected = profiles.RFC_9106_LOW_MEMORY
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        expected.time_cost, expected.memory_cost, expected.parallelism)


def test_the_test_configuration_picks_the_cheapest_profile(app):
    with app.app_context():
        assert extract_parameters(hash_password("correct-horse-9")) == profiles.CHEAPEST


def test_each_app_has_its_own_hasher(app):
    production = create_app()
    with production.app_context():
        kept = password_hasher()
        assert password_hasher() is kept
    with app.app_context():
        assert password_hasher() is not kept


def test_a_hash_made_at_another_cost_is_renewed_at_the_next_sign_in(make):
    user = make.user("bureau")
    with create_app().app_context():
        user.password_hash = hash_password(make.PASSWORD)
    db.session.commit()
    assert authenticate(user.login, make.PASSWORD) == user
    assert extract_parameters(user.password_hash) == profiles.CHEAPEST
