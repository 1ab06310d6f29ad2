"""The Dandong demo data set: schools, enterprises and specialties named in the policy.

Histories are chosen so that, evaluated in late 2026, every status of rules.md
appears. Loading is idempotent: records are matched by natural keys (school
name, identity number, login) and never created twice; the month ends of the
dashboard's trend are recorded too (those not yet recorded). The caller commits
(`flask demo load` runs it as one transaction).
"""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

from pypdf import PdfWriter
from sqlalchemy import select

from registry.dates import today
from registry.extensions import db
from registry.models import (
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
)
from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    ExceptionStatus,
    FileType,
    Gender,
    HireChannel,
    PostType,
    PracticeForm,
    PracticeStatus,
    Role,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas import id_number_check_char
from registry.services.evidence import Upload, store
from registry.services.trends import record_month_ends
from registry.services.users import hash_password

D = date.fromisoformat
REVIEWED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

SCHOOLS = (
    ("丹东市中等职业技术专业学校", "丹东市区", "210603"),
    ("丹东市民族中等职业技术专业学校", "丹东市区", "210602"),
    ("东港市职业教育中心", "东港市", "210681"),
    ("凤城市职业教育中心", "凤城市", "210682"),
    ("宽甸满族自治县职业教育中心", "宽甸满族自治县", "210624"),
)

# Each teacher: school index, name, birth date, gender, specialty, course_type, post_type, hire date,
# channel, education, leadership, left date, employment, certificates, practice, training, hire exception.
TEACHERS = (
    dict(school=0, name="王立新", born="1985-03-12", gender=Gender.MALE, specialty="数控技术", hire="2022-03-01",
         education=Education.BACHELOR, note="standard hire; practice infeasible this cycle",
         employment=[("曙光集团", EmployerType.ENTERPRISE, "数控车间技术员", "2015-07-01", "2022-02-28")],
         practice=[("曙光集团", "2022-07-01", "2022-07-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED)],
         training=[("丹东市专业课教师全员轮训（第一期）", TrainingKind.ROTATION, "2023-08-20", 80, TrainingStatus.COMPLETED)]),
    dict(school=0, name="李晓燕", born="1990-11-02", gender=Gender.FEMALE, specialty="工业机器人", hire="2021-01-01",
         education=Education.BACHELOR, leadership=True, note="met this cycle; previous cycle met",
         employment=[("五一八公司", EmployerType.ENTERPRISE, "自动化工程师", "2012-07-01", "2020-12-31")],
         practice=[("五一八公司", "2022-01-01", "2022-10-31", PracticeForm.PLACEMENT, PracticeStatus.VERIFIED),
                   ("五一八公司", "2026-01-01", "2026-10-31", PracticeForm.PLACEMENT, PracticeStatus.VERIFIED)],
         training=[("丹东市专业课教师全员轮训（第一期）", TrainingKind.ROTATION, "2022-08-15", 80, TrainingStatus.COMPLETED),
                   ("丹东市专业课教师全员轮训（第二期）", TrainingKind.ROTATION, "2026-08-15", 80, TrainingStatus.COMPLETED)]),
    dict(school=0, name="张宏伟", born="1993-06-18", gender=Gender.MALE, specialty="新能源汽车", hire="2023-09-01",
         education=Education.ASSOCIATE, note="behind now; the forecast (submitted + planned) is on track — the teacher demo login",
         employment=[("克隆集团", EmployerType.ENTERPRISE, "维修技师", "2014-07-01", "2019-06-30"),
                     ("丹东新能源汽车服务有限公司", EmployerType.ENTERPRISE, "技术主管", "2019-01-01", "2023-08-31")],
         certificates=[(CertificateKind.SKILL, "汽车维修工", SkillLevel.SENIOR, "2018-05-20", True)],
         practice=[("克隆集团", "2024-07-01", "2024-08-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED),
                   ("克隆集团", "2025-07-01", "2025-10-31", PracticeForm.PLACEMENT, PracticeStatus.SUBMITTED),
                   ("丹东新能源汽车服务有限公司", "2026-01-10", "2026-02-20", PracticeForm.SKILL_TRAINING, PracticeStatus.REJECTED),
                   ("丹东新能源汽车服务有限公司", "2027-01-10", "2027-03-09", PracticeForm.PLACEMENT, PracticeStatus.PLANNED)],
         training=[("丹东市专业课教师全员轮训（第二期）", TrainingKind.ROTATION, "2027-07-20", 80, TrainingStatus.PLANNED)]),
    dict(school=0, name="刘静", born="1996-09-09", gender=Gender.FEMALE, specialty="电子商务", hire="2023-03-01",
         education=Education.BACHELOR, note="graduate with a related skill certificate; hire compliant by exemption",
         certificates=[(CertificateKind.SKILL, "电子商务师（1+X 网店运营推广）", SkillLevel.INTERMEDIATE, "2022-12-01", True)],
         practice=[("东发集团", "2023-07-10", "2023-08-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED),
                   ("东发集团", "2024-07-10", "2024-08-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED),
                   ("东发集团", "2025-07-10", "2025-09-30", PracticeForm.PLACEMENT, PracticeStatus.VERIFIED)],
         training=[("丹东市专业课教师全员轮训（第一期）", TrainingKind.ROTATION, "2024-08-01", 80, TrainingStatus.COMPLETED)]),
    dict(school=0, name="赵国庆", born="1975-10-01", gender=Gender.MALE, specialty="数控技术", hire="2024-09-01",
         education=Education.SECONDARY, channel=HireChannel.DIRECT, note="high-skill talent by direct assessment",
         employment=[("通达轴承公司", EmployerType.ENTERPRISE, "首席技师", "1995-09-01", "2024-08-31")],
         certificates=[(CertificateKind.SKILL, "数控车工", SkillLevel.SENIOR_TECHNICIAN, "2010-06-01", True)],
         practice=[("通达轴承公司", "2025-01-01", "2025-04-30", PracticeForm.PART_TIME, PracticeStatus.VERIFIED)]),
    dict(school=0, name="孙美玲", born="1980-04-22", gender=Gender.FEMALE, specialty="语文", course=CourseType.GENERAL,
         hire="2016-09-01", education=Education.MASTER, note="general course: rules not applicable"),
    dict(school=1, name="金英姬", born="1988-01-15", gender=Gender.FEMALE, specialty="旅游服务", hire="2021-01-01",
         education=Education.BACHELOR, leadership=True, note="previous cycle failed; on track now",
         employment=[("丹东鸭绿江旅游集团", EmployerType.ENTERPRISE, "导游部经理", "2010-07-01", "2020-12-31")],
         practice=[("丹东鸭绿江旅游集团", "2023-07-01", "2023-10-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED),
                   ("丹东鸭绿江旅游集团", "2026-07-01", "2026-08-31", PracticeForm.SHADOWING, PracticeStatus.VERIFIED)],
         training=[("丹东市专业课教师全员轮训（第一期）", TrainingKind.ROTATION, "2024-07-15", 80, TrainingStatus.COMPLETED)]),
    dict(school=1, name="朴成浩", born="1994-07-30", gender=Gender.MALE, specialty="现代物流", hire="2022-09-01",
         education=Education.BACHELOR, note="hired with 2 years of enterprise work: exception approved by the bureau",
         employment=[("丹东港物流公司", EmployerType.ENTERPRISE, "调度员", "2020-07-01", "2022-06-30")],
         practice=[("丹东港物流公司", "2023-01-01", "2023-03-31", PracticeForm.PLACEMENT, PracticeStatus.VERIFIED)],
         hire_exception=(ExceptionStatus.APPROVED, "学校急需现代物流专业教师，当地企业经历满三年的应聘者不足，经公开招聘程序录用。")),
    dict(school=1, name="崔志远", born="1997-02-14", gender=Gender.MALE, specialty="养老服务", hire="2024-03-01",
         education=Education.ASSOCIATE, note="1 year of enterprise work, exception requested and waiting",
         employment=[("丹东康养护理院", EmployerType.ENTERPRISE, "护理员", "2022-09-01", "2023-08-31")],
         hire_exception=(ExceptionStatus.REQUESTED, "养老服务专业新设，急需具有护理一线经历的教师。")),
    dict(school=2, name="陈海波", born="1991-05-05", gender=Gender.MALE, specialty="数控技术", hire="2023-01-01",
         education=Education.SECONDARY, note="education too low for an open hire: non-compliant",
         employment=[("东港市曙光汽车零部件厂", EmployerType.ENTERPRISE, "车工", "2011-07-01", "2022-12-31")]),
    dict(school=2, name="高天宇", born="1987-12-12", gender=Gender.MALE, specialty="电子商务", post=PostType.FLOWING,
         hire="2024-02-01", education=Education.BACHELOR, note="flowing post (enterprise staff teaching part-time)",
         employment=[("东港市电商产业园", EmployerType.ENTERPRISE, "运营总监", "2012-07-01", None)]),
    dict(school=3, name="周丽娜", born="1989-08-08", gender=Gender.FEMALE, specialty="旅游服务", hire="2019-09-01",
         education=Education.BACHELOR, left="2025-06-30", note="hired before 2021; left in 2025",
         practice=[("凤凰山景区", "2022-07-01", "2022-08-31", PracticeForm.VISIT, PracticeStatus.VERIFIED)]),
    dict(school=3, name="吴建军", born="1983-03-03", gender=Gender.MALE, specialty="现代物流", hire="2018-09-01",
         education=Education.BACHELOR, leadership=True, note="leadership member with 5+ years of enterprise work",
         employment=[("凤城市物流集团", EmployerType.ENTERPRISE, "副总经理", "2006-07-01", "2018-08-31")],
         practice=[("凤城市物流集团", "2026-03-01", "2026-06-30", PracticeForm.PART_TIME, PracticeStatus.VERIFIED)],
         training=[("丹东市专业课教师全员轮训（第二期）", TrainingKind.ROTATION, "2026-07-10", 80, TrainingStatus.COMPLETED)]),
    dict(school=4, name="郑晓东", born="1992-10-10", gender=Gender.MALE, specialty="养老服务", hire="2021-09-01",
         education=Education.ASSOCIATE, leadership=True, note="leadership member with only 4 years of enterprise work",
         employment=[("宽甸满族自治县养老服务中心", EmployerType.ENTERPRISE, "主管", "2017-09-01", "2021-08-31")],
         practice=[("宽甸满族自治县养老服务中心", "2024-01-01", "2024-02-29", PracticeForm.SHADOWING, PracticeStatus.VERIFIED)]),
    dict(school=4, name="马文静", born="1998-01-20", gender=Gender.FEMALE, specialty="工业机器人", hire="2027-02-01",
         education=Education.BACHELOR, note="signed, starts in February 2027: not yet hired",
         employment=[("丹东曙光机器人公司", EmployerType.ENTERPRISE, "应用工程师", "2021-07-01", "2027-01-31")]),
)

DEMO_PASSWORD = "Dandong2026!"
DEMO_LOGINS = (
    # login, role, school index or None, teacher name or None, e-mail (example domains: never a real mailbox)
    ("admin", Role.ADMIN, None, None, "admin@example.edu.cn"),
    ("bureau", Role.BUREAU, None, None, "zhichengjiao@example.edu.cn"),
    ("hr", Role.SCHOOL_HR, 0, None, "renshi@ddzz.example.edu.cn"),
    ("hr_minzu", Role.SCHOOL_HR, 1, None, "renshi@ddmz.example.edu.cn"),
    ("teacher", Role.TEACHER, None, "张宏伟", "zhanghongwei@example.com"),
    ("teacher_li", Role.TEACHER, None, "李晓燕", "lixiaoyan@example.com"),
    # The reminders' demo (`flask reminders send --dry-run` late in 2026): a cycle ending in February 2027 that can
    # no longer be completed, and a teacher behind with rotation training missing and 9 months left.
    ("teacher_wang", Role.TEACHER, None, "王立新", "wanglixin@example.com"),
    ("teacher_piao", Role.TEACHER, None, "朴成浩", "piaochenghao@example.com"),
)


def demo_id_number(region: str, born: str, sequence: int) -> str:
    first17 = region + born.replace("-", "") + f"{sequence:03d}"
    return first17 + id_number_check_char(first17)


def get_or_create(model, lookup: dict, **values):
    found = db.session.scalar(select(model).filter_by(**lookup))
    if found is not None:
        return found, False
    record = model(**lookup, **values)
    db.session.add(record)
    return record, True


def load_demo() -> list[tuple[str, str, str, str]]:
    """Load the data set; return the demo logins as (login, password, role, school · teacher)."""
    get_or_create(
        PolicyVersion,
        {"effective_from": D("2021-01-01")},
        hire_rule_effective=D("2021-01-01"),
        hire_min_experience_months=36,
        hire_min_education=Education.ASSOCIATE,
        direct_min_skill_level=SkillLevel.SENIOR,
        practice_rule_effective=D("2021-01-01"),
        cycle_years=5,
        practice_required_months=10,
        leadership_min_experience_months=60,
        note="丹东市实施意见（讨论稿）：5年累计不少于10个月企业实践",
    )
    schools = []
    for name, county, _region in SCHOOLS:
        school, _created = get_or_create(School, {"name": name}, county=county)
        schools.append(school)
    db.session.flush()

    teachers: dict[str, Teacher] = {}
    for sequence, spec in enumerate(TEACHERS, start=1):
        region = SCHOOLS[spec["school"]][2]
        id_number = demo_id_number(region, spec["born"], sequence * 2 + (1 if spec["gender"] == Gender.MALE else 0))
        teacher, created = get_or_create(
            Teacher,
            {"id_number": id_number},
            school=schools[spec["school"]],
            name=spec["name"],
            gender=spec["gender"],
            course_type=spec.get("course", CourseType.SPECIALTY),
            specialty=spec["specialty"],
            post_type=spec.get("post", PostType.FIXED),
            hire_date=D(spec["hire"]),
            hire_channel=spec.get("channel", HireChannel.OPEN),
            education=spec["education"],
            leadership=spec.get("leadership", False),
            left_date=D(spec["left"]) if spec.get("left") else None,
        )
        teachers[spec["name"]] = teacher
        if created:
            add_histories(teacher, spec)
    db.session.flush()

    logins = []
    for login, role, school_index, teacher_name, email in DEMO_LOGINS:
        teacher = teachers.get(teacher_name) if teacher_name else None
        school = schools[school_index] if school_index is not None else (teacher.school if teacher else None)
        get_or_create(
            User,
            {"login": login},
            role=role,
            school=school,
            teacher=teacher,
            display_name=teacher.name if teacher else {"admin": "信息中心", "bureau": "职成教科", "hr": "人事处", "hr_minzu": "人事处"}[login],
            password_hash=hash_password(DEMO_PASSWORD),  # hashed per account: each its own salt and hash
            email=email,
        )
        where = " · ".join(name for name in (school.name if school else "", teacher.name if teacher else "") if name)
        logins.append((login, DEMO_PASSWORD, role, where))
    db.session.flush()
    record_month_ends(today())  # so the dashboard's trend has its months at once, not after the first nightly refresh
    return logins


def demo_evidence(enterprise: str) -> Evidence:
    """A one-page PDF standing in for the enterprise's certificate of practice, stored like an upload."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4 in points
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = Upload(filename=f"{enterprise}实践证明.pdf", content_type=FileType.PDF, data=buffer.getvalue())
    return Evidence(filename=upload.filename, stored_name=store(upload), content_type=upload.content_type, size=upload.size)


def add_histories(teacher: Teacher, spec: dict) -> None:
    for employer, employer_type, position, start, end in spec.get("employment", ()):
        teacher.employment.append(
            EmploymentRecord(employer=employer, employer_type=employer_type, position=position, start=D(start), end=D(end) if end else None)
        )
    for kind, name, level, issued, related in spec.get("certificates", ()):
        teacher.certificates.append(Certificate(kind=kind, name=name, level=level, issued=D(issued), related=related))
    for enterprise, start, end, form, status in spec.get("practice", ()):
        record = PracticeRecord(
                enterprise=enterprise,
                start=D(start),
                end=D(end),
                form=form,
                description=f"在{enterprise}参加{spec['specialty']}相关岗位实践。",
                status=status,
                submitted_at=REVIEWED if status != PracticeStatus.PLANNED else None,
                reviewed_at=REVIEWED if status in (PracticeStatus.VERIFIED, PracticeStatus.REJECTED) else None,
                reject_reason="缺少企业盖章的实践证明，请补充后重新提交。" if status == PracticeStatus.REJECTED else None,
        )
        teacher.practice.append(record)
        if status in (PracticeStatus.SUBMITTED, PracticeStatus.VERIFIED):  # verification needs evidence (issue 14)
            record.evidence.append(demo_evidence(enterprise))
    for program, kind, end, hours, status in spec.get("training", ()):
        teacher.training.append(TrainingRecord(program=program, kind=kind, end=D(end), hours=hours, status=status))
    if spec.get("hire_exception"):
        status, reason = spec["hire_exception"]
        teacher.hire_exceptions.append(
            HireException(
                status=status,
                reason=reason,
                decided_at=REVIEWED if status != ExceptionStatus.REQUESTED else None,
                note="经审核，同意按例外录用。" if status == ExceptionStatus.APPROVED else None,
            )
        )
