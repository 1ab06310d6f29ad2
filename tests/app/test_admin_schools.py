"""The administrator creates and edits schools in the browser and sees each school's HR accounts."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, School, TeacherVerdict


@pytest.fixture
def admin(make):
    return make.user("admin", login="root")


def school_events(school_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "school", AuditEvent.entity_id == school_id)
                                   .order_by(AuditEvent.id)))


def test_the_administrator_creates_a_school_from_the_school_list(client, login, admin):
    login(admin)
    assert 'href="/schools/new"' in client.get("/schools/").get_data(as_text=True)
    response = client.post("/schools/new", data={"name": "宽甸满族自治县职业教育中心", "county": "宽甸满族自治县"})
    school = db.session.scalar(select(School).where(School.name == "宽甸满族自治县职业教育中心"))
    assert response.headers["Location"] == f"/schools/{school.id}"
    assert school.county == "宽甸满族自治县"
    assert [(e.action, e.actor_id) for e in school_events(school.id)] == [("create", admin.id)]
    assert "已新增学校“宽甸满族自治县职业教育中心”" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_school_form_suggests_the_counties_already_in_use_in_pinyin_order(make, client, login, admin):
    for name, county in (("甲校", "凤城市"), ("乙校", "丹东市区"), ("丙校", "东港市"), ("丁校", "丹东市区")):
        make.school(name=name, county=county)
    login(admin)
    for path in ("/schools/new", f"/schools/{db.session.scalar(select(School.id).limit(1))}/edit"):
        page = client.get(path).get_data(as_text=True)
        assert 'list="known-counties"' in page
        suggested = re.findall(r'<option value="([^"]+)"></option>', page.split('<datalist id="known-counties">')[1])
        assert suggested == ["丹东市区", "东港市", "凤城市"]


def test_a_school_with_a_taken_name_or_blank_county_is_refused_by_field(make, client, login, admin, school):
    login(admin)
    assert "已有同名学校" in client.post("/schools/new", data={"name": "甲校", "county": "丹东市区"}).get_data(as_text=True)
    assert "不能为空" in client.post("/schools/new", data={"name": "乙校", "county": ""}).get_data(as_text=True)
    assert db.session.scalar(select(School.id).where(School.county == "")) is None


def test_editing_a_school_renames_it_everywhere_and_is_recorded(make, client, login, admin, school):
    make.teacher(school, name="王芳")
    login(admin)
    assert f'href="/schools/{school.id}/edit"' in client.get(f"/schools/{school.id}").get_data(as_text=True)
    response = client.post(f"/schools/{school.id}/edit", data={"name": "甲市职业中专", "county": "东港市"})
    assert response.headers["Location"] == f"/schools/{school.id}"
    [event] = school_events(school.id)
    shown = {side: {k: event.changes[side][k] for k in ("name", "county")} for side in ("before", "after")}
    assert (event.action, shown) == ("update", {"before": {"county": "丹东市区", "name": "甲校"},
                                                "after": {"county": "东港市", "name": "甲市职业中专"}})
    db.session.commit()
    stored = db.session.scalars(select(TeacherVerdict.school_name)).all()
    assert stored == ["甲市职业中专"]


def test_renaming_a_school_to_another_schools_name_is_refused(make, client, login, admin, school):
    make.school(name="乙校")
    login(admin)
    body = client.post(f"/schools/{school.id}/edit", data={"name": "乙校", "county": "丹东市区"}).get_data(as_text=True)
    assert "已有同名学校，请换一个名称" in body
    assert db.session.get(School, school.id).name == "甲校"


def test_the_school_page_lists_its_hr_accounts_for_the_administrator_only(make, client, login, admin, school):
    hr = make.user("school_hr", school=school, login="jia-hr", display_name="甲校人事处")
    make.user("school_hr", school=make.school(name="乙校"), login="yi-hr")
    login(admin)
    body = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert f'<a href="/users/{hr.id}">jia-hr</a>' in body and "yi-hr" not in body and "从未登录" in body
    assert f'href="/users/new?role=school_hr&amp;school_id={school.id}"' in body
    bureau = make.user("bureau")
    client.post("/logout")
    login(bureau)
    body = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "学校人事账号" not in body and "编辑学校" not in body and "新增学校" not in client.get("/schools/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["bureau", "school_hr"])
def test_only_the_administrator_creates_or_edits_schools(make, client, login, role, school):
    login(make.user(role, school=school if role == "school_hr" else None))
    assert client.get("/schools/new").status_code == 403
    assert client.post("/schools/new", data={"name": "新校", "county": "丹东市区"}).status_code == 403
    assert client.post(f"/schools/{school.id}/edit", data={"name": "改名", "county": "丹东市区"}).status_code == 403
    assert db.session.get(School, school.id).name == "甲校"


def test_editing_an_unknown_school_is_not_found(client, login, admin):
    login(admin)
    assert client.get("/schools/987654/edit").status_code == 404
