"""The demo data set loads twice without change and shows every status on the pages."""
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.demo import DEMO_PASSWORD, load_demo
from registry.extensions import db
from registry.models import PracticeRecord, School, Teacher, User
from registry.services.compliance import PolicyBook, evaluate_school_leadership, evaluate_teacher
from registry.services.practice_progress import practice_progress

AS_OF = date(2026, 11, 28)


@pytest.fixture
def demo(ctx):
    return load_demo()


def test_loading_the_demo_twice_creates_nothing_new(demo):
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (School, Teacher, PracticeRecord)]
    load_demo()
    assert [db.session.scalar(select(func.count()).select_from(m)) for m in (School, Teacher, PracticeRecord)] == counts


def test_the_demo_has_one_login_per_role(demo):
    assert {role for _login, _pw, role, _where in demo} == {"admin", "bureau", "school_hr", "teacher"}


def test_the_demo_produces_every_status_of_the_rules(demo):
    book = PolicyBook.load()
    results = [evaluate_teacher(t, AS_OF, book) for t in db.session.scalars(select(Teacher))]
    assert {r.hire.status for r in results} == {"compliant", "non_compliant", "exception", "not_applicable"}
    assert {r.hire.basis for r in results} >= {"standard", "graduate_certificate", "high_skill_direct", "exception"}
    assert {r.practice.status for r in results} == {"met", "on_track", "behind", "infeasible", "not_applicable"}
    assert {r.practice.previous for r in results} >= {"met", "failed"}
    assert {r.training.status for r in results} >= {"done", "pending", "not_applicable"}
    assert {r.training.previous for r in results} >= {"done", "missed"}
    leadership = {evaluate_school_leadership(s, AS_OF, book).status for s in db.session.scalars(select(School))}
    assert leadership == {"compliant", "non_compliant"}
    assert {p.status for p in db.session.scalars(select(PracticeRecord))} == {"planned", "submitted", "verified", "rejected"}


@pytest.mark.parametrize("login_name", ["admin", "bureau", "hr", "hr_minzu", "teacher", "teacher_li"])
def test_every_page_of_every_demo_login_renders(demo, client, login_name):
    response = client.post("/login", data={"login": login_name, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    teacher_ids = db.session.scalars(select(Teacher.id)).all()
    visible = [tid for tid in teacher_ids if client.get(f"/teachers/{tid}?as_of=2026-11-28").status_code == 200]
    assert visible
    schools_status = 403 if login_name.startswith("teacher") else 200
    assert client.get("/schools/").status_code == schools_status
    for school_id in db.session.scalars(select(School.id)):
        assert client.get(f"/schools/{school_id}").status_code in ({schools_status, 404} if schools_status == 200 else {403})


def test_the_demo_teacher_sees_a_forecast_that_differs_from_the_current_status(demo, client):
    user = db.session.scalar(db.select(User).where(User.login == "teacher"))
    assert user.teacher.name == "张宏伟"
    progress = practice_progress(user.teacher, date(2026, 11, 28))
    assert progress.practice.status == "behind"
    assert progress.forecast.status == "on_track"
    assert {p.status for p in user.teacher.practice} == {"planned", "submitted", "verified", "rejected"}

    response = client.post("/login", data={"login": "teacher", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/?as_of=2026-11-28").get_data(as_text=True)
    assert "现在的状态是「进度落后」" in page
    assert "状态为「进度正常」" in page
    assert "还剩 642 天" in page


@pytest.mark.parametrize(("login_name", "things_to_do"), [
    ("hr", ["待审核的企业实践", "克隆集团（2025-07-01 至 2025-10-31）", 'href="/practice/review"',
            "企业实践“进度落后”", "/bureau/compliance?rule=practice&amp;status=behind",
            "本周期尚未完成全员轮训", "/bureau/compliance?rule=training&amp;status=pending"]),
    ("bureau", ["待审批的招聘例外申请", "崔志远", 'href="/bureau/exceptions"',
                "领导班子行业企业经历“不符合”的学校", "东港市职业教育中心", "没有流动岗教师的学校"]),
    ("admin", ["长期未使用的账号", "teacher_li", 'href="/users/?unused=true"', "数据状态"]),
])
def test_a_newcomer_signed_in_as_each_demo_role_sees_on_the_home_page_what_needs_them(demo, client, login_name,
                                                                                      things_to_do):
    client.post("/login", data={"login": login_name, "password": DEMO_PASSWORD})
    page = client.get("/?as_of=2026-11-28").get_data(as_text=True)
    assert [thing for thing in things_to_do if thing not in page] == []
