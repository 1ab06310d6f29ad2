"""Argon2id at the cost the configuration names: RFC 9106's low-memory profile in production, the cheapest in tests."""
from argon2 import extract_parameters, profiles
from sqlalchemy import select

from registry import create_app
from registry.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from registry.extensions import db
from registry.models import User
from registry.services.passwords import password_problem
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


def test_signing_in_through_the_page_keeps_the_renewed_hash(make, client):
    user = make.user("bureau")
    with create_app().app_context():
        user.password_hash = hash_password(make.PASSWORD)
    db.session.commit()
    assert client.post("/login", data={"login": user.login, "password": make.PASSWORD}).status_code == 302
    db.session.expire_all()
    assert extract_parameters(db.session.get(User, user.id).password_hash) == profiles.CHEAPEST


def test_the_demo_accounts_each_have_their_own_salt_and_hash(ctx):
    load_demo()
    hashes = db.session.scalars(select(User.password_hash).where(User.login.in_([login for login, *_ in DEMO_LOGINS]))).all()
    assert len(hashes) == len(set(hashes)) == len(DEMO_LOGINS)
    assert len({h.rsplit("$", 2)[1] for h in hashes}) == len(DEMO_LOGINS)  # the salts
    assert all(authenticate(login, DEMO_PASSWORD) is not None for login, *_ in DEMO_LOGINS)


def test_the_demo_password_passes_the_policy(ctx):
    assert password_problem(DEMO_PASSWORD, ["admin"]) is None
