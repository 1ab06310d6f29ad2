"""Every list sorted by name reads in pinyin order, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from registry.extensions import db
from registry.services.compliance_list import list_page, parse_filters

NAMES = ["张伟", "王芳", "李明", "安然", "林强"]
PINYIN_ORDER = ["安然", "李明", "林强", "王芳", "张伟"]


def test_the_compliance_list_sorted_by_name_is_in_pinyin_order(make, frozen_today):
    school = make.school()
    for name in NAMES:
        make.teacher(school, name=name)
    page = list_page(make.user("bureau"), parse_filters({"sort": "name", "as_of": frozen_today.isoformat()}))
    assert [row.name for row in page.rows] == PINYIN_ORDER
    page = list_page(make.user("bureau"), parse_filters({"sort": "-name", "as_of": frozen_today.isoformat()}))
    assert [row.name for row in page.rows] == PINYIN_ORDER[::-1]


def test_schools_and_their_teachers_are_listed_in_pinyin_order(make, frozen_today):
    for school_name in ("张家职业中专", "安东职业学校"):
        school = make.school(school_name)
        for name in NAMES:
            make.teacher(school, name=name)
    page = list_page(make.user("bureau"), parse_filters({"sort": "school", "as_of": frozen_today.isoformat()}))
    assert [(row.school, row.name) for row in page.rows] == [
        (school, name) for school in ("安东职业学校", "张家职业中专") for name in PINYIN_ORDER
    ]


def test_a_renamed_teacher_moves_to_the_place_of_the_new_name(make, frozen_today):
    school = make.school()
    teachers = {name: make.teacher(school, name=name) for name in NAMES}
    teachers["安然"].name = "周然"
    db.session.flush()
    page = list_page(make.user("bureau"), parse_filters({"sort": "name", "as_of": frozen_today.isoformat()}))
    assert [row.name for row in page.rows] == ["李明", "林强", "王芳", "张伟", "周然"]


def test_the_hr_teacher_list_is_in_pinyin_order(make, login, client):
    school = make.school()
    for name in NAMES:
        make.teacher(school, name=name)
    login(make.user("school_hr", school))
    page = client.get("/teachers/").get_data(as_text=True)
    positions = [page.index(name) for name in PINYIN_ORDER]
    assert positions == sorted(positions)
