"""The people of the browser journeys, written through the test factories: each journey asks for those it meets.

Dated for the frozen today (2026-11-28, tests/conftest.py): e.g. 张宏伟 is three years into his first cycle
with two verified months, so behind; 周丽娜 left in June 2025.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from registry.extensions import db
from registry.models import School
from tests.app.factories import Factory, id_number

MAIN = "丹东市中等职业技术专业学校"
MINZU = "丹东市民族中等职业技术专业学校"
DONGGANG = "东港市职业教育中心"
FENGCHENG = "凤城市职业教育中心"
SCHOOLS = ((MAIN, "丹东市区"), (MINZU, "丹东市区"), (DONGGANG, "东港市"), (FENGCHENG, "凤城市"))
DECIDED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
D = date.fromisoformat


@dataclass(frozen=True)
class City:
    school_ids: dict[str, int]

    def school(self, name: str) -> School:
        return db.session.get(School, self.school_ids[name])


def city(make: Factory) -> City:
    """Dandong's policy (10 months in 5 years, from 2021), four schools, and the staff accounts:
    admin (信息中心), bureau (职成教科) and hr (人事处 of 丹东市中等职业技术专业学校)."""
    make.policy_version(note="丹东市实施意见：5年累计不少于10个月企业实践")
    schools = {name: make.school(name=name, county=county) for name, county in SCHOOLS}
    make.user("admin", login="admin", display_name="信息中心")
    make.user("bureau", login="bureau", display_name="职成教科")
    make.user("school_hr", school=schools[MAIN], login="hr", display_name="人事处")
    return City({name: school.id for name, school in schools.items()})


def zhang_hongwei(make: Factory, city: City) -> None:
    """The teacher of login `teacher`: behind now; on track if the submitted and planned records are verified."""
    teacher = make.teacher(city.school(MAIN), name="张宏伟", id_number=id_number(born="19930618"), specialty="新能源汽车",
                           hire_date=D("2023-09-01"), education="associate")
    make.employment(teacher, "2014-07-01", "2019-06-30", employer="克隆集团")
    make.employment(teacher, "2019-01-01", "2023-08-31", employer="丹东新能源汽车服务有限公司")
    make.certificate(teacher, "2018-05-20", name="汽车维修工")
    make.practice(teacher, "2024-07-01", "2024-08-31", enterprise="克隆集团", form="shadowing")
    make.practice(teacher, "2025-07-01", "2025-10-31", status="submitted", enterprise="克隆集团", form="placement",
                  evidence=True)
    make.practice(teacher, "2026-01-10", "2026-02-20", status="rejected", enterprise="丹东新能源汽车服务有限公司",
                  form="skill_training", reject_reason="缺少企业盖章的实践证明，请补充后重新提交。")
    make.practice(teacher, "2027-01-10", "2027-03-09", status="planned", enterprise="丹东新能源汽车服务有限公司")
    make.training(teacher, "2027-07-20", status="planned", program="丹东市专业课教师全员轮训（第二期）")
    make.user("teacher", teacher=teacher, login="teacher", display_name="张宏伟")


def li_xiaoyan(make: Factory, city: City) -> None:
    """The teacher of login `teacher_li`, at the same school as 张宏伟."""
    teacher = make.teacher(city.school(MAIN), name="李晓燕", gender="female", specialty="工业机器人",
                           hire_date=D("2021-01-01"))
    make.employment(teacher, "2012-07-01", "2020-12-31", employer="五一八公司")
    make.user("teacher", teacher=teacher, login="teacher_li", display_name="李晓燕")


def hire_exceptions(make: Factory, city: City) -> None:
    """Two hires short of three years' enterprise work: 朴成浩's exception approved, 崔志远's waiting."""
    school = city.school(MINZU)
    pu = make.teacher(school, name="朴成浩", specialty="现代物流", hire_date=D("2022-09-01"))
    make.employment(pu, "2020-07-01", "2022-06-30", employer="丹东港物流公司")
    make.practice(pu, "2023-01-01", "2023-03-31", enterprise="丹东港物流公司")
    make.hire_exception(pu, status="approved", reason="学校急需现代物流专业教师，当地企业经历满三年的应聘者不足。",
                        note="经审核，同意按例外录用。", decided_at=DECIDED)
    cui = make.teacher(school, name="崔志远", specialty="养老服务", hire_date=D("2024-03-01"), education="associate")
    make.employment(cui, "2022-09-01", "2023-08-31", employer="丹东康养护理院")
    make.hire_exception(cui, reason="养老服务专业新设，急需具有护理一线经历的教师。")


def donggang(make: Factory, city: City) -> None:
    """陈海波, hired openly with too little schooling; 高天宇 on a flowing post, so no rule applies."""
    school = city.school(DONGGANG)
    chen = make.teacher(school, name="陈海波", hire_date=D("2023-01-01"), education="secondary")
    make.employment(chen, "2011-07-01", "2022-12-31", employer="东港市曙光汽车零部件厂")
    gao = make.teacher(school, name="高天宇", specialty="电子商务", post_type="flowing", hire_date=D("2024-02-01"))
    make.employment(gao, "2012-07-01", None, employer="东港市电商产业园")


def fengcheng(make: Factory, city: City) -> None:
    """周丽娜, who left in June 2025 with two months of practice; 吴建军, a leadership member in order."""
    school = city.school(FENGCHENG)
    zhou = make.teacher(school, name="周丽娜", gender="female", specialty="旅游服务", hire_date=D("2019-09-01"),
                        left_date=D("2025-06-30"))
    make.practice(zhou, "2022-07-01", "2022-08-31", enterprise="凤凰山景区", form="visit")
    wu = make.teacher(school, name="吴建军", specialty="现代物流", hire_date=D("2018-09-01"), leadership=True)
    make.employment(wu, "2006-07-01", "2018-08-31", employer="凤城市物流集团")
    make.practice(wu, "2026-03-01", "2026-06-30", enterprise="凤城市物流集团", form="part_time")
    make.training(wu, "2026-07-10", program="丹东市专业课教师全员轮训（第二期）")
