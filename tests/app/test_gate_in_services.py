"""The gate's set forms and the service entries that replaced checks in the handlers."""
import pytest

from registry import permissions
from registry.errors import Forbidden, NotFound
from registry.extensions import db
from registry.form_fields import code_select, payload
from registry.models import ApiToken, EmploymentRecord, Teacher
from registry.rules.vocabulary import Gender
from registry.schemas import TeacherIn
from registry.services import audit, prehire
from registry.services import teachers as teacher_service
from registry.services.echoes import without_echoes
from registry.services.users import create_token, revoke_token
from registry.teachers.forms import RECORD_FORMS, TeacherForm
from tests.app.factories import Factory


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine, colleague, theirs = make.teacher(own, name="本人"), make.teacher(own, name="同事"), make.teacher(other, name="外校")
    return {"own": own, "mine": mine, "colleague": colleague, "theirs": theirs, **make.accounts(own, mine)}


def ids(query) -> set[int]:
    return set(db.session.scalars(query))


def test_visible_teacher_ids_are_the_teachers_query(world):
    for role in ("teacher", "hr", "bureau", "admin"):
        user = world[role]
        assert ids(permissions.visible_teacher_ids(user)) == {t.id for t in db.session.scalars(permissions.teachers_query(user))}
    assert ids(permissions.visible_teacher_ids(world["teacher"])) == {world["mine"].id}


def test_teacher_ids_for_an_action_are_its_scope_and_its_roles(world):
    assert ids(permissions.teacher_ids_for(world["hr"], "review_practice")) == {world["mine"].id, world["colleague"].id}
    assert ids(permissions.teacher_ids_for(world["teacher"], "edit_own_practice")) == {world["mine"].id}
    assert ids(permissions.teacher_ids_for(world["bureau"], "read_teachers")) == {
        world["mine"].id, world["colleague"].id, world["theirs"].id
    }
    with pytest.raises(Forbidden):
        permissions.teacher_ids_for(world["bureau"], "review_practice")


def test_a_token_is_found_only_by_its_own_account(world):
    token, _plain = create_token(world["hr"], "脚本")
    assert permissions.find(world["hr"], "manage_own_tokens", ApiToken, token.id) is token
    for other in ("admin", "bureau", "teacher"):
        with pytest.raises(NotFound):
            permissions.find(world[other], "manage_own_tokens", ApiToken, token.id)
        with pytest.raises(NotFound):
            revoke_token(world[other], token.id)
    assert token.revoked_at is None
    revoke_token(world["hr"], token.id)
    assert token.revoked_at is not None


def test_the_change_history_is_read_through_the_gate(world):
    teacher_service.update_teacher(world["hr"], world["mine"].id, {"specialty": "汽车运用与维修"}, world["mine"].hire_date)
    history = audit.teacher_history(world["hr"], world["mine"].id)
    assert [event.action for event in history] == ["update"]
    assert audit.teacher_history(world["teacher"], world["mine"].id) == []  # a teacher's own page shows none
    assert [event.action for event in audit.teacher_history(world["bureau"], world["mine"].id)] == ["update"]
    with pytest.raises(NotFound):
        audit.teacher_history(world["hr"], world["theirs"].id)


def test_the_registering_pages_are_opened_by_the_service(world):
    assert teacher_service.new_teacher_form(world["hr"]) is world["own"]
    assert prehire.start(world["hr"]) is world["own"]
    for role in ("teacher", "bureau", "admin"):
        with pytest.raises(Forbidden):
            teacher_service.new_teacher_form(world[role])
        with pytest.raises(Forbidden):
            prehire.start(world[role])


def page_for(app, user, url: str):
    """`url` as `user` gets it, signed in on a client of its own."""
    client = app.test_client()
    assert client.post("/login", data={"login": user.login, "password": Factory.PASSWORD}).status_code == 302
    return client.get(url)


def test_the_page_for_a_new_teacher_is_refused_to_the_bureau(app, world):
    assert page_for(app, world["bureau"], "/teachers/new").status_code == 403
    assert page_for(app, world["bureau"], "/teachers/prehire").status_code == 403
    page = page_for(app, world["hr"], "/teachers/new")
    assert page.status_code == 200 and "甲校" in page.get_data(as_text=True)


def test_the_detail_page_shows_the_identity_number_as_the_role_may_see_it(app, world):
    number = world["mine"].id_number
    masked = number[:6] + "*" * 8 + number[-4:]
    for role in ("hr", "admin"):
        assert number in page_for(app, world[role], f"/teachers/{world['mine'].id}").get_data(as_text=True), role
    for role in ("bureau", "teacher"):
        shown = page_for(app, world[role], f"/teachers/{world['mine'].id}").get_data(as_text=True)
        assert masked in shown and number not in shown, role


def test_echoed_read_only_fields_are_left_out_only_with_their_shown_value():
    shown = {"teacher_id": 7, "status": "rejected"}
    assert without_echoes({"id": 3, "teacher_id": 7, "name": "x"}, shown, ("teacher_id",)) == {"name": "x"}
    assert without_echoes({"teacher_id": 8}, shown, ("teacher_id",)) == {"teacher_id": 8}
    assert without_echoes({"status": "rejected"}, shown, ()) == {"status": "rejected"}  # not read-only: kept


def test_an_hr_record_sent_back_as_the_api_shows_it_is_saved(world, make):
    record = make.employment(world["mine"], "2010-01-01", "2012-12-31")
    echoed = {"id": record.id, "teacher_id": world["mine"].id, "employer": "新单位"}
    teacher_service.update_record(world["hr"], EmploymentRecord, record.id, echoed)
    assert record.employer == "新单位"


def test_every_kind_of_hr_record_has_its_page_form_and_its_schema(world):
    assert set(RECORD_FORMS) == {kind.model for kind in teacher_service.RECORD_KINDS.values()}
    for kind in teacher_service.RECORD_KINDS.values():
        assert kind.name in Teacher.__mapper__.relationships
        form = RECORD_FORMS[kind.model](meta={"csrf": False})
        assert set(payload(form, kind.schema)) <= set(kind.schema.model_fields)


def test_a_code_drop_down_offers_its_list_after_a_blank(ctx):
    class Form(TeacherForm):
        sex = code_select("性别", Gender)
        plain = code_select("性别", Gender, blank=None)

    form = Form(meta={"csrf": False})
    assert [value for value, *_rest in form.sex.iter_choices()] == ["", *Gender.codes()]
    assert [value for value, *_rest in form.plain.iter_choices()] == list(Gender.codes())
    assert set(payload(form, TeacherIn)) <= set(TeacherIn.model_fields)
    assert payload(form, TeacherIn)["name"] == ""


def test_the_import_page_names_each_column_also_by_its_field(app, world):
    page = page_for(app, world["hr"], "/imports/").get_data(as_text=True)
    assert '<div class="text-muted">id_number</div>' in page and '<div class="text-muted">hire_channel</div>' in page
