"""A small data set with every status of the rules across three schools, for the audit tests.

Evaluated as of AS_OF (2026-11-28) with the default parameters, each teacher's
expected verdicts are listed in EXPECTED: (hire, practice, training,
previous practice, previous training).
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from registry.extensions import db
from registry.models import HireException, PolicyVersion

AS_OF = date(2026, 11, 28)

EXPECTED = {
    "甲一": ("compliant", "infeasible", "pending", None, None),
    "甲二": ("compliant", "met", "done", "met", "done"),
    "甲三": ("not_applicable", "not_applicable", "not_applicable", None, None),
    "乙一": ("non_compliant", "behind", "pending", None, None),
    "乙二": ("exception", "behind", "pending", None, None),
    "乙三": ("not_applicable", "not_applicable", "not_applicable", None, None),
    "乙四": ("compliant", "on_track", "done", "failed", "missed"),
    "丙一": ("compliant", "on_track", "pending", None, None),
    "丙二": ("not_applicable", "not_applicable", "not_applicable", None, None),
    "丙三": ("compliant", "not_applicable", "not_applicable", None, None),
}


def default_version(effective_from: str = "2021-01-01", **changes) -> PolicyVersion:
    values = dict(
        effective_from=date.fromisoformat(effective_from),
        hire_rule_effective=date(2021, 1, 1),
        hire_min_experience_months=36,
        hire_min_education="associate",
        direct_min_skill_level="senior",
        practice_rule_effective=date(2021, 1, 1),
        cycle_years=5,
        practice_required_months=10,
        leadership_min_experience_months=60,
        note="丹东市实施意见",
    )
    values.update(changes)
    version = PolicyVersion(**values)
    db.session.add(version)
    db.session.commit()
    return version


def build(make) -> dict:
    default_version()
    a = make.school(name="甲校", county="丹东市区")
    b = make.school(name="乙校", county="东港市")
    c = make.school(name="丙校", county="东港市")
    D = date.fromisoformat
    t = {}

    t["甲一"] = make.teacher(a, name="甲一", specialty="数控技术", hire_date=D("2022-03-01"))
    make.employment(t["甲一"], "2015-07-01", "2022-02-28")
    make.practice(t["甲一"], "2022-07-01", "2022-07-31")

    t["甲二"] = make.teacher(a, name="甲二", specialty="工业机器人", hire_date=D("2021-01-01"), leadership=True)
    make.employment(t["甲二"], "2012-07-01", "2020-12-31")
    make.practice(t["甲二"], "2022-01-01", "2022-10-31")
    make.practice(t["甲二"], "2026-01-01", "2026-10-31")
    make.training(t["甲二"], "2022-08-15")
    make.training(t["甲二"], "2026-08-15")

    t["甲三"] = make.teacher(a, name="甲三", specialty="语文", course_type="general", hire_date=D("2016-09-01"))

    t["乙一"] = make.teacher(b, name="乙一", specialty="数控技术", hire_date=D("2023-01-01"), education="secondary")
    make.employment(t["乙一"], "2011-07-01", "2022-12-31")

    t["乙二"] = make.teacher(b, name="乙二", specialty="现代物流", hire_date=D("2022-09-01"), leadership=True)
    make.employment(t["乙二"], "2020-07-01", "2022-06-30")
    make.practice(t["乙二"], "2023-01-01", "2023-03-31")
    decided = datetime(2023, 1, 5, tzinfo=UTC)
    db.session.add(HireException(teacher=t["乙二"], status="approved", reason="急需", decided_at=decided, note="同意"))
    db.session.commit()

    t["乙三"] = make.teacher(b, name="乙三", specialty="电子商务", post_type="flowing", hire_date=D("2024-02-01"))
    make.employment(t["乙三"], "2012-07-01", None)

    t["乙四"] = make.teacher(b, name="乙四", specialty="旅游服务", hire_date=D("2021-01-01"))
    make.employment(t["乙四"], "2010-07-01", "2020-12-31")
    make.practice(t["乙四"], "2023-07-01", "2023-10-31")
    make.practice(t["乙四"], "2026-07-01", "2026-08-31")
    make.practice(t["乙四"], "2026-09-01", "2026-10-31", status="submitted")  # not verified: does not count
    make.training(t["乙四"], "2026-03-01")

    t["丙一"] = make.teacher(c, name="丙一", specialty="数控技术", course_type="internship", hire_date=D("2024-09-01"),
                           education="associate", leadership=True)
    make.employment(t["丙一"], "2014-07-01", "2024-08-31")
    make.practice(t["丙一"], "2025-01-01", "2025-04-30")

    t["丙二"] = make.teacher(c, name="丙二", specialty="旅游服务", hire_date=D("2019-09-01"), left_date=D("2025-06-30"))

    t["丙三"] = make.teacher(c, name="丙三", specialty="工业机器人", hire_date=D("2027-02-01"))
    make.employment(t["丙三"], "2021-07-01", "2027-01-31")

    return {"schools": {"甲": a, "乙": b, "丙": c}, "teachers": t}


def users(make, world: dict) -> dict:
    schools = world["schools"]
    return {
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
        "hr": make.user("school_hr", school=schools["甲"]),
        "hr_b": make.user("school_hr", school=schools["乙"]),
        "teacher": make.user("teacher", teacher=world["teachers"]["甲一"]),
    }
