"""The one gate (registry.permissions): each action's roles and scope, and the order of its refusals."""
import pytest

from registry import permissions
from registry.errors import Forbidden, NotFound
from registry.extensions import db
from registry.models import Certificate, Evidence, HireException, PracticeRecord, School, Teacher
from registry.permissions import ACTIONS, Scope

ROLES = ("teacher", "hr", "bureau", "admin")
ROLE_CODES = {"teacher": "teacher", "hr": "school_hr", "bureau": "bureau", "admin": "admin"}


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine = make.teacher(own, name="本人")
    colleague = make.teacher(own, name="同事")
    theirs = make.teacher(other, name="外校")
    record = make.practice(mine, "2024-07-01", "2024-08-31", status="submitted")
    return {
        "own": own, "other": other, "mine": mine, "colleague": colleague, "theirs": theirs, "record": record,
        "teacher": make.user("teacher", teacher=mine),
        "hr": make.user("school_hr", school=own),
        "hr_other": make.user("school_hr", school=other),
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
    }


def refused(call) -> type[Exception] | None:
    try:
        call()
    except (Forbidden, NotFound) as exc:
        return type(exc)
    return None


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_authorize_without_a_teacher_is_the_role_of_the_table(world, action):
    for role in ROLES:
        allowed = ROLE_CODES[role] in ACTIONS[action].roles
        assert refused(lambda role=role: permissions.authorize(world[role], action)) is (None if allowed else Forbidden), role
        assert permissions.may(world[role], action) is allowed


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_authorize_on_a_teacher_is_role_then_scope_and_may_says_the_same(world, action):
    rule = ACTIONS[action]
    for role in (*ROLES, "hr_other"):
        for target in ("mine", "colleague", "theirs"):
            user, teacher = world[role], world[target]
            if user.role not in rule.roles:
                expected = Forbidden
            elif rule.scope == Scope.OWN_SCHOOL:
                expected = None if teacher.school_id == user.school_id else NotFound
            elif rule.scope == Scope.OWN_TEACHER:
                expected = None if teacher.id == user.teacher_id else NotFound
            else:
                expected = None if permissions.sees(user, teacher) else NotFound
            assert refused(lambda user=user, teacher=teacher: permissions.authorize(user, action, teacher)) is expected, (
                role, target)
            assert permissions.may(user, action, teacher) is (expected is None)


def test_the_scopes_of_the_writing_actions_are_declared_once():
    assert ACTIONS["edit_teachers"].scope == Scope.OWN_SCHOOL
    assert ACTIONS["review_practice"].scope == Scope.OWN_SCHOOL
    assert ACTIONS["request_exception"].scope == Scope.OWN_SCHOOL
    assert ACTIONS["edit_own_practice"].scope == Scope.OWN_TEACHER
    assert ACTIONS["upload_evidence"].scope == Scope.VISIBLE  # a teacher sees only themself, HR their school
    assert ACTIONS["read_teachers"].scope == Scope.VISIBLE


def test_find_returns_a_record_in_scope(world):
    assert permissions.find(world["hr"], "edit_teachers", Teacher, world["mine"].id) is world["mine"]
    assert permissions.find(world["teacher"], "edit_own_practice", PracticeRecord, world["record"].id) is world["record"]
    assert permissions.find(world["bureau"], "read_schools", School, world["other"].id) is world["other"]


def test_find_refuses_by_role_first_whatever_the_record(world):
    for record_id in (world["mine"].id, world["theirs"].id, 2_000_000_000):
        with pytest.raises(Forbidden):
            permissions.find(world["bureau"], "edit_teachers", Teacher, record_id)


def test_find_says_not_found_for_absent_invisible_and_out_of_scope_records(world):
    with pytest.raises(NotFound):
        permissions.find(world["hr"], "edit_teachers", Teacher, 2_000_000_000)
    with pytest.raises(NotFound):  # not visible
        permissions.find(world["hr_other"], "review_practice", PracticeRecord, world["record"].id)
    with pytest.raises(NotFound):  # a colleague is outside a teacher's read scope
        permissions.find(world["teacher"], "read_teachers", Teacher, world["colleague"].id)
    with pytest.raises(NotFound):
        permissions.find(world["hr"], "read_schools", School, world["other"].id)


def test_find_reaches_a_sub_record_through_its_teacher(world, make):
    certificate = make.certificate(world["theirs"], "2020-01-01")
    with pytest.raises(NotFound):
        permissions.find(world["hr"], "edit_teachers", Certificate, certificate.id)
    assert permissions.find(world["hr_other"], "edit_teachers", Certificate, certificate.id) is certificate
    exception = make.hire_exception(world["mine"])
    assert permissions.find(world["bureau"], "decide_exception", HireException, exception.id) is exception
    with pytest.raises(Forbidden):
        permissions.find(world["admin"], "decide_exception", HireException, exception.id)


def test_find_reaches_evidence_through_its_practice_record(world):
    evidence = Evidence(practice=world["record"], filename="a.pdf", stored_name="0" * 32, content_type="application/pdf",
                        size=1, uploaded_by_id=world["teacher"].id)
    db.session.add(evidence)
    db.session.flush()
    assert permissions.find(world["teacher"], "edit_own_practice", Evidence, evidence.id) is evidence
    assert permissions.find(world["hr"], "read_teachers", Evidence, evidence.id) is evidence
    with pytest.raises(NotFound):
        permissions.find(world["hr_other"], "read_teachers", Evidence, evidence.id)
    with pytest.raises(Forbidden):
        permissions.find(world["hr"], "edit_own_practice", Evidence, evidence.id)


def test_a_staff_account_asking_for_its_own_teacher_record_is_refused_by_role(world):
    with pytest.raises(Forbidden):
        permissions.find(world["hr"], "edit_own_practice", Teacher, permissions.own_teacher_id(world["hr"]))
    with pytest.raises(NotFound):
        permissions.find(world["teacher"], "edit_own_practice", Teacher, None)


def test_a_teacher_record_visible_to_hr_is_outside_another_schools_scope(world):
    assert not permissions.may(world["hr_other"], "edit_teachers", world["mine"])
    assert permissions.may(world["hr"], "edit_teachers", world["mine"])
