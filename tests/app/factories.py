"""Small explicit test data, written through the current app's db.session. Every value a test depends on is
passed in by that test; the audit world below is the one shared data set (every status of the rules)."""
from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from itertools import count

from registry.extensions import db
from registry.models import (
    ApiToken,
    Certificate,
    EmploymentRecord,
    Evidence,
    HireException,
    PolicyVersion,
    PracticeRecord,
    School,
    Teacher,
    TrainingRecord,
    User,
    utcnow,
)
from registry.schemas import id_number_check_char
from registry.services import evidence as files
from registry.services.users import hash_password, token_digest

_fresh = count(1)


def id_number(n: int | None = None, *, born: str | None = None, region: str = "210602") -> str:
    """A valid 18-character resident identity number (GB 11643 check character).

    id_number(n) is the same number for the same n (born 1960-01-01 plus n days, unless `born`, YYYYMMDD, is
    given); id_number() is a new number at each call (born 1990-01-01 unless `born`).
    """
    if n is None:
        n = next(_fresh)
        born = born or "19900101"
    born = born or f"{date(1960, 1, 1) + timedelta(days=n):%Y%m%d}"
    first17 = f"{region}{born}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class Factory:
    PASSWORD = "correct-horse-9"

    def school(self, name: str | None = None, county: str = "丹东市区") -> School:
        school = School(name=name or f"测试学校{next(_fresh)}", county=county)
        db.session.add(school)
        db.session.commit()
        return school

    def teacher(self, school: School | None = None, **fields) -> Teacher:
        values = dict(
            name="测试教师",
            id_number=id_number(),
            gender="male",
            course_type="specialty",
            specialty="数控技术",
            post_type="fixed",
            hire_date=date(2022, 3, 1),
            hire_channel="open",
            education="bachelor",
            leadership=False,
        )
        values.update(fields)
        teacher = Teacher(school=school or self.school(), **values)
        db.session.add(teacher)
        db.session.commit()
        return teacher

    def user(self, role: str, school: School | None = None, teacher: Teacher | None = None, login: str | None = None,
             display_name: str | None = None) -> User:
        user = User(
            login=login or f"{role}{next(_fresh)}",
            role=role,
            school=school if school is not None else (teacher.school if teacher else None),
            teacher=teacher,
            display_name=display_name or role,
            password_hash=hash_password(self.PASSWORD),
        )
        db.session.add(user)
        db.session.commit()
        return user

    def accounts(self, school: School, teacher: Teacher) -> dict[str, User]:
        """An account per role: "hr" of `school`, "teacher" signing in as `teacher`, "bureau" and "admin"."""
        return {"hr": self.user("school_hr", school=school), "teacher": self.user("teacher", teacher=teacher),
                "bureau": self.user("bureau"), "admin": self.user("admin")}

    def token(self, user: User) -> dict[str, str]:
        """A token row written directly, like the other factory rows: no audit event to confuse the test."""
        plain = "rg_" + secrets.token_urlsafe(32)
        db.session.add(ApiToken(user_id=user.id, name="test", token_hash=token_digest(plain)))
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    def tokens(self, users: dict[str, User]) -> dict[str, dict[str, str]]:
        """A bearer header for each named user: {name: {"Authorization": "Bearer ..."}}."""
        return {name: self.token(user) for name, user in users.items()}

    def policy_version(self, effective_from: str = "2021-01-01", **changes) -> PolicyVersion:
        """Dandong's parameters (10 months of practice in 5 years) from `effective_from`, with `changes`."""
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

    def employment(self, teacher: Teacher, start: str, end: str | None, employer_type: str = "enterprise", employer: str = "曙光集团") -> EmploymentRecord:
        record = EmploymentRecord(
            teacher=teacher, employer=employer, employer_type=employer_type, position="技术员",
            start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None,
        )
        db.session.add(record)
        db.session.commit()
        return record

    def certificate(self, teacher: Teacher, issued: str, level: str = "senior", related: bool = True, kind: str = "skill",
                    name: str = "数控车工") -> Certificate:
        record = Certificate(teacher=teacher, kind=kind, name=name, level=level if kind == "skill" else None,
                             issued=date.fromisoformat(issued), related=related)
        db.session.add(record)
        db.session.commit()
        return record

    def practice(self, teacher: Teacher, start: str, end: str | None, status: str = "verified", evidence: bool = False,
                 **fields) -> PracticeRecord:
        """A practice record; `evidence`: with one evidence file (verification requires one unless switched off)."""
        values = dict(enterprise="五一八公司", form="placement", description="",
                      reject_reason="材料不全" if status == "rejected" else None)
        values.update(fields)
        record = PracticeRecord(
            teacher=teacher, start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None,
            status=status,
            submitted_at=utcnow() if status != "planned" else None,
            reviewed_at=utcnow() if status in ("verified", "rejected") else None,
            **values,
        )
        db.session.add(record)
        db.session.commit()
        if evidence:
            self.evidence(record)
        return record

    def evidence(self, record: PracticeRecord, filename: str = "实践证明.pdf") -> Evidence:
        """One small PDF attached to `record`, its file written to the evidence folder as an upload would be."""
        from tests.app.inputs import PDF as data  # here: inputs imports this module

        stored_name = secrets.token_hex(16)
        (files.folder() / stored_name).write_bytes(data)
        item = Evidence(practice=record, filename=filename, stored_name=stored_name, content_type="application/pdf",
                        size=len(data))
        db.session.add(item)
        db.session.commit()
        return item

    def training(self, teacher: Teacher, end: str, kind: str = "rotation", status: str = "completed",
                 program: str = "全员轮训") -> TrainingRecord:
        record = TrainingRecord(teacher=teacher, program=program, kind=kind, end=date.fromisoformat(end), hours=80, status=status)
        db.session.add(record)
        db.session.commit()
        return record

    def hire_exception(self, teacher: Teacher, status: str = "requested", reason: str = "急需", note: str | None = None,
                       decided_at: datetime | None = None) -> HireException:
        """A hire exception as the bureau left it: decided (approved or refused) at `decided_at`, or requested."""
        record = HireException(teacher=teacher, status=status, reason=reason, note=note,
                               decided_at=decided_at or (utcnow() if status != "requested" else None))
        db.session.add(record)
        db.session.commit()
        return record


def build_two_schools(make: Factory) -> dict:
    """甲校 ("own") with the teacher 本人 ("teacher_record") and a colleague 同事 ("colleague_record"); 乙校 ("other")
    with 外校教师 ("outsider_record"); and their accounts, also together under "accounts": "teacher", "colleague",
    "hr" (甲校), "hr_other" (乙校), "bureau", "admin"."""
    own, other = make.school(name="甲校"), make.school(name="乙校")
    teacher, colleague = make.teacher(own, name="本人"), make.teacher(own, name="同事")
    outsider = make.teacher(other, name="外校教师")
    accounts = {**make.accounts(own, teacher), "colleague": make.user("teacher", teacher=colleague),
                "hr_other": make.user("school_hr", school=other)}
    records = {"teacher_record": teacher, "colleague_record": colleague, "outsider_record": outsider}
    return {"own": own, "other": other, **records, **accounts, "accounts": accounts}


# The audit world: ten teachers in three schools, evaluated as of AUDIT_AS_OF with the default parameters.
# Each teacher's expected verdicts: (hire, practice, training, previous practice, previous training).
AUDIT_AS_OF = date(2026, 11, 28)
AUDIT_EXPECTED = {
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


def build_audit_world(make: Factory) -> dict:
    """The audit world: {"schools": {"甲"|"乙"|"丙": School}, "teachers": {name: Teacher}, "users": {role: User}}.

    Users: bureau, admin, hr (甲校), hr_b (乙校), teacher (甲一).
    """
    make.policy_version()
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
    make.hire_exception(t["乙二"], status="approved", note="同意", decided_at=datetime(2023, 1, 5, tzinfo=UTC))

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

    users = {
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
        "hr": make.user("school_hr", school=a),
        "hr_b": make.user("school_hr", school=b),
        "teacher": make.user("teacher", teacher=t["甲一"]),
    }
    return {"schools": {"甲": a, "乙": b, "丙": c}, "teachers": t, "users": users}
