"""Accounts and API tokens: each lands where its role says, and every token change is in the trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.errors import Invalid
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.services.users import create_token, create_user, revoke_token

pytestmark = pytest.mark.usefixtures("ctx")


def test_a_school_hr_given_a_teacher_too_stays_in_the_school_it_was_given(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    elsewhere = make.teacher(other)
    user = create_user(None, {"login": "hr-own", "role": "school_hr", "school_id": own.id, "teacher_id": elsewhere.id,
                              "password": "long-enough-1"})
    assert (user.school_id, user.teacher_id, user.display_name) == (own.id, None, "hr-own")


def test_a_teacher_account_takes_the_school_of_its_teacher(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    teacher = make.teacher(other, name="王老师")
    user = create_user(None, {"login": "wang", "role": "teacher", "school_id": own.id, "teacher_id": teacher.id,
                              "password": "long-enough-1"})
    assert (user.school_id, user.teacher_id, user.display_name) == (other.id, teacher.id, "王老师")


def test_creating_and_revoking_a_token_each_leave_an_event_without_the_secret(make):
    user = make.user("bureau")
    token, plain = create_token(user, "报表脚本")
    revoke_token(user, token.id)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "api_token").order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.entity_id) for e in events] == [("create", user.id, token.id), ("revoke", user.id, token.id)]
    assert events[0].changes["after"]["name"] == "报表脚本"
    assert events[1].changes["before"] == {"revoked_at": None} and events[1].changes["after"]["revoked_at"]
    assert all(plain not in str(e.changes) and token.token_hash not in str(e.changes) for e in events)


@pytest.mark.parametrize("role", ["admin", "bureau", "school_hr"])
def test_a_school_that_does_not_exist_is_refused_by_field_for_every_role(role):
    with pytest.raises(Invalid) as refused:
        create_user(None, {"login": "nobody-school", "role": role, "school_id": 458469612, "password": "long-enough-1"})
    assert set(refused.value.errors) == {"school_id"}
    assert db.session.scalar(select(User.id)) is None


def test_each_new_account_gets_its_own_session_token_and_the_trail_never_shows_it():
    first = create_user(None, {"login": "first", "role": "bureau", "password": "long-enough-1"})
    second = create_user(None, {"login": "second", "role": "bureau", "password": "long-enough-1"})
    assert first.session_token != second.session_token and len(first.session_token) >= 43
    assert first.must_change_password is False
    changes = str(db.session.scalars(select(AuditEvent.changes).where(AuditEvent.entity == "user")).all())
    assert first.session_token not in changes and second.session_token not in changes
    assert "password_hash" not in changes


def test_the_cookie_id_of_an_account_is_its_id_and_session_token(make):
    user = make.user("bureau")
    assert user.get_id() == f"{user.id}:{user.session_token}"
    before = user.get_id()
    user.end_sessions()
    assert user.get_id() != before


def test_the_account_list_of_the_api_shows_no_session_token(make, client):
    admin = make.user("admin")
    body = client.get("/api/v1/users", headers=make.token(admin)).get_data(as_text=True)
    assert str(admin.id) in body and admin.session_token not in body and "session_token" not in body
