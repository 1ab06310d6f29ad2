"""Small explicit test data. Every value a test depends on is passed in by that test."""
from __future__ import annotations

import secrets
from datetime import date
from itertools import count

from registry.extensions import db
from registry.models import (
    ApiToken,
    Certificate,
    EmploymentRecord,
    PracticeRecord,
    School,
    Teacher,
    TrainingRecord,
    User,
    utcnow,
)
from registry.schemas import id_number_check_char
from registry.services.users import hasher, token_digest

_sequence = count(1)


def valid_id_number(born: str = "19900101", region: str = "210603") -> str:
    first17 = f"{region}{born}{next(_sequence) % 1000:03d}"
    return first17 + id_number_check_char(first17)


class Factory:
    PASSWORD = "correct-horse-9"
    _hash = None

    def school(self, name: str | None = None, county: str = "丹东市区") -> School:
        school = School(name=name or f"测试学校{next(_sequence)}", county=county)
        db.session.add(school)
        db.session.commit()
        return school

    def teacher(self, school: School | None = None, **fields) -> Teacher:
        values = dict(
            name="测试教师",
            id_number=valid_id_number(),
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

    def user(self, role: str, school: School | None = None, teacher: Teacher | None = None, login: str | None = None) -> User:
        if Factory._hash is None:
            Factory._hash = hasher.hash(self.PASSWORD)
        user = User(
            login=login or f"{role}{next(_sequence)}",
            role=role,
            school=school if school is not None else (teacher.school if teacher else None),
            teacher=teacher,
            display_name=role,
            password_hash=Factory._hash,
        )
        db.session.add(user)
        db.session.commit()
        return user

    def token(self, user: User) -> dict[str, str]:
        """A token row written directly, like the other factory rows: no audit event to confuse the test."""
        plain = "rg_" + secrets.token_urlsafe(32)
        db.session.add(ApiToken(user_id=user.id, name="test", token_hash=token_digest(plain)))
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    def employment(self, teacher: Teacher, start: str, end: str | None, employer_type: str = "enterprise", employer: str = "曙光集团") -> EmploymentRecord:
        record = EmploymentRecord(
            teacher=teacher, employer=employer, employer_type=employer_type, position="技术员",
            start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None,
        )
        db.session.add(record)
        db.session.commit()
        return record

    def certificate(self, teacher: Teacher, issued: str, level: str = "senior", related: bool = True, kind: str = "skill") -> Certificate:
        record = Certificate(teacher=teacher, kind=kind, name="数控车工", level=level if kind == "skill" else None,
                             issued=date.fromisoformat(issued), related=related)
        db.session.add(record)
        db.session.commit()
        return record

    def practice(self, teacher: Teacher, start: str, end: str | None, status: str = "verified", **fields) -> PracticeRecord:
        values = dict(enterprise="五一八公司", form="placement", description="")
        values.update(fields)
        record = PracticeRecord(
            teacher=teacher, start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None,
            status=status,
            submitted_at=utcnow() if status != "planned" else None,
            reviewed_at=utcnow() if status in ("verified", "rejected") else None,
            reject_reason="材料不全" if status == "rejected" else None,
            **values,
        )
        db.session.add(record)
        db.session.commit()
        return record

    def training(self, teacher: Teacher, end: str, kind: str = "rotation", status: str = "completed") -> TrainingRecord:
        record = TrainingRecord(teacher=teacher, program="全员轮训", kind=kind, end=date.fromisoformat(end), hours=80, status=status)
        db.session.add(record)
        db.session.commit()
        return record
