"""Policy versions: the administrator adds one, and results change only from its effective date."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.errors import Forbidden, Invalid
from registry.extensions import db
from registry.models import AuditEvent, PolicyVersion
from registry.services import policies
from registry.services.compliance import evaluate_teacher

NATIONAL = {
    "effective_from": "2026-01-01", "hire_rule_effective": "2021-01-01", "hire_min_experience_months": "36",
    "hire_min_education": "associate", "direct_min_skill_level": "senior", "practice_rule_effective": "2021-01-01",
    "cycle_years": "5", "practice_required_months": "6", "leadership_min_experience_months": "60", "note": "国家标准",
}


@pytest.fixture
def people(make):
    make.policy_version()
    school = make.school()
    return {
        "admin": make.user("admin"), "bureau": make.user("bureau"),
        "hr": make.user("school_hr", school=school), "teacher": make.user("teacher", teacher=make.teacher(school)),
        "school": school,
    }


def count_versions() -> int:
    return db.session.scalar(select(func.count()).select_from(PolicyVersion))


def test_the_admin_adds_a_version_and_it_is_audited(people):
    version = policies.create_version(people["admin"], NATIONAL)
    assert (version.effective_from, version.practice_required_months, version.created_by_id) == (date(2026, 1, 1), 6, people["admin"].id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "policy_version"))
    assert (event.action, event.actor_id, event.changes["after"]["practice_required_months"]) == ("create", people["admin"].id, 6)


def test_a_new_version_changes_results_only_from_its_effective_date(people, make):
    teacher = make.teacher(people["school"], hire_date=date(2021, 1, 1))
    make.employment(teacher, "2012-07-01", "2020-12-31")
    make.practice(teacher, "2026-01-01", "2026-06-30")  # six months in the cycle 2026–2030
    before = evaluate_teacher(teacher, date(2026, 7, 31))
    assert (before.practice.status, before.practice.required) == ("on_track", 10)
    policies.create_version(people["admin"], {**NATIONAL, "effective_from": "2026-08-01"})
    assert evaluate_teacher(teacher, date(2026, 7, 31)).practice.status == "on_track"
    after = evaluate_teacher(teacher, date(2026, 8, 1))
    assert (after.practice.status, after.practice.required) == ("met", 6)


def test_the_hire_verdict_keeps_the_version_in_force_on_the_hire_date(people, make):
    teacher = make.teacher(people["school"], hire_date=date(2022, 3, 1))
    make.employment(teacher, "2018-03-01", "2022-02-28")  # 48 months
    policies.create_version(people["admin"], {**NATIONAL, "effective_from": "2027-01-01", "hire_min_experience_months": "60"})
    assert evaluate_teacher(teacher, date(2027, 6, 1)).hire.status == "compliant"


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(people):
    bad = {**NATIONAL, "effective_from": "2026-02-30", "hire_min_experience_months": "-1", "hire_min_education": "phd",
           "cycle_years": "", "direct_min_skill_level": "master"}
    with pytest.raises(Invalid) as caught:
        policies.create_version(people["admin"], bad)
    assert set(caught.value.errors) == {"effective_from", "hire_min_experience_months", "hire_min_education", "cycle_years", "direct_min_skill_level"}
    assert caught.value.errors["cycle_years"] == "必填项"
    assert count_versions() == 1


def test_more_practice_than_a_cycle_holds_is_refused(people):
    with pytest.raises(Invalid) as caught:
        policies.create_version(people["admin"], {**NATIONAL, "cycle_years": "1", "practice_required_months": "13"})
    assert "12" in caught.value.errors["practice_required_months"]


def test_two_versions_cannot_take_effect_on_the_same_day(people):
    with pytest.raises(Invalid) as caught:
        policies.create_version(people["admin"], {**NATIONAL, "effective_from": "2021-01-01"})
    assert set(caught.value.errors) == {"effective_from"}
    assert count_versions() == 1


@pytest.mark.parametrize("role", ["bureau", "hr", "teacher"])
def test_only_the_admin_adds_a_version(people, role):
    with pytest.raises(Forbidden):
        policies.create_version(people[role], NATIONAL)


def test_the_national_figures_are_one_click_away(people, login):
    client = login(people["admin"])

    def value(page: str, name: str) -> str:
        return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)

    national = client.get("/policies/?preset=national").get_data(as_text=True)
    assert value(national, "practice_required_months") == "6" and "职业学校教师企业实践规定" in national
    plain = client.get("/policies/").get_data(as_text=True)  # prefilled with the version in force
    assert (value(plain, "practice_required_months"), value(plain, "hire_min_experience_months")) == ("10", "36")
    assert value(plain, "hire_rule_effective") == "2021-01-01"


def test_the_admin_adds_a_version_through_the_page(people, login):
    client = login(people["admin"])
    response = client.post("/policies/", data=NATIONAL)
    assert response.status_code == 302
    assert count_versions() == 2
    page = client.get("/policies/").get_data(as_text=True)
    assert 'data-version="2026-01-01"' in page


def test_the_page_shows_every_bad_field(people, login):
    response = login(people["admin"]).post("/policies/", data={**NATIONAL, "practice_required_months": "abc", "effective_from": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "应为整数" in page and "必填项" in page
    assert count_versions() == 1


@pytest.mark.parametrize("role, status", [("admin", 200), ("bureau", 200), ("hr", 403), ("teacher", 403)])
def test_who_may_read_the_versions(people, login, role, status):
    assert login(people[role]).get("/policies/").status_code == status


def test_the_bureau_reads_but_cannot_add(people, login):
    client = login(people["bureau"])
    page = client.get("/policies/").get_data(as_text=True)
    assert 'data-version="2021-01-01"' in page and "新增版本" not in page
    assert client.post("/policies/", data=NATIONAL).status_code == 403
