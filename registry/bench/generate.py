"""Realistic teachers in bulk: the benchmark's data set, written straight into an empty, migrated database.

The distribution is the one issue 11 measured with: about 60 schools (one per
1,700 teachers beyond 100,000) in 8 counties; per teacher 2 jobs before the
hire, 1–2 certificates, 8 enterprise-practice records (mostly verified, some
submitted, planned or rejected) and 1 rotation training; mostly specialty
teachers on fixed posts, hired 1995–now, some of them gone; a few leadership
members per school; the demo's policy version. A seeded random.Random makes
the same data set for the same seed, size and day.

Rows go in through SQLAlchemy Core `insert()` executemany, CHUNK rows at a
time, in one transaction: schools and teachers get their ids here (the
database is empty), so no row is read back.
"""
from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from tqdm import tqdm

from registry.bench.client import BUREAU_LOGIN, HR_LOGIN
from registry.extensions import db
from registry.models import (
    Certificate,
    EmploymentRecord,
    HireException,
    PolicyVersion,
    PracticeRecord,
    School,
    Teacher,
    TrainingRecord,
    User,
)
from registry.rules.policy import DEFAULT_POLICY
from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    ExceptionStatus,
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
from registry.services.compliance import POLICY_FIELDS
from registry.services.users import hash_password

CHUNK = 5000  # rows per executemany
BLOCK = 2000  # teachers built between two rounds of inserts (their ~27,000 rows)
TEACHERS_PER_SCHOOL = 1700  # beyond 60 schools
MIN_SCHOOLS = 60
FIRST_HIRE = date(1995, 1, 1)
PRACTICE_RECORDS = 8

# (county, the region code its identity numbers start with)
COUNTIES = (
    ("元宝区", "210602"),
    ("振兴区", "210603"),
    ("振安区", "210604"),
    ("宽甸满族自治县", "210624"),
    ("东港市", "210681"),
    ("凤城市", "210682"),
    ("丹东新区", "210691"),
    ("边境经济合作区", "210692"),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗于金朴崔郑姜宋曲董邹韩冯潘谭"
GIVEN = "立晓宏国美英志海天丽建文静新燕伟庆玲浩成远波宇娜军东明华红霞敏杰磊强勇涛斌鑫颖婷欣怡子轩博雪梅春秋"
SPECIALTIES = (
    "数控技术", "工业机器人", "新能源汽车", "电子商务", "旅游服务", "现代物流", "养老服务", "会计事务",
    "计算机应用", "机电技术应用", "汽车运用与维修", "学前教育", "护理", "中餐烹饪", "建筑工程施工",
    "电气设备运行与控制", "服装设计与工艺", "农业机械使用与维护", "酒店服务与管理", "网络信息安全",
)
GENERAL_SUBJECTS = ("语文", "数学", "英语", "思想政治", "体育与健康", "历史", "信息技术")
ENTERPRISES = (
    "曙光集团", "五一八公司", "克隆集团", "东发集团", "通达轴承公司", "丹东鸭绿江旅游集团", "丹东港物流公司",
    "丹东康养护理院", "丹东新能源汽车服务有限公司", "东港市电商产业园", "凤城市物流集团", "丹东曙光机器人公司",
    "丹东化工仪器厂", "黄海汽车制造厂", "丹东华通测控有限公司", "丹东东方测控技术股份有限公司",
    "凤凰山景区管理处", "宽甸满族自治县养老服务中心", "丹东百货大楼", "丹东市中心医院",
)
OTHER_EMPLOYERS = ("个体经营", "社区服务中心", "培训机构", "外贸公司", "乡镇农技站")
POSITIONS = ("技术员", "技师", "工程师", "车间主任", "维修技师", "运营专员", "项目经理", "护理员", "导游", "会计")
PROGRAMS = ("丹东市专业课教师全员轮训（第一期）", "丹东市专业课教师全员轮训（第二期）")
TEACHER_CERTIFICATE = "中等职业学校教师资格证"
REJECT_REASON = "缺少企业盖章的实践证明，请补充后重新提交。"
EXCEPTION_REASON = "学校急需该专业教师，当地企业经历满三年的应聘者不足，经公开招聘程序录用。"
DAY = timedelta(days=1)
# A teacher and their records, in the order they are inserted.
RECORD_MODELS = (Teacher, EmploymentRecord, Certificate, PracticeRecord, TrainingRecord, HireException, User)


def weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[Any, ...]:
    """Each value repeated as often as its whole-number weight: a uniform pick from it is a weighted pick."""
    return tuple(value for value, weight in pairs for _ in range(weight))


COURSE_TYPES = weighted([(CourseType.SPECIALTY, 75), (CourseType.INTERNSHIP, 8), (CourseType.GENERAL, 17)])
EDUCATIONS = weighted([
    (Education.SECONDARY, 6), (Education.ASSOCIATE, 25), (Education.BACHELOR, 56), (Education.MASTER, 12),
    (Education.DOCTOR, 1),
])
SKILL_LEVELS = weighted([
    (SkillLevel.JUNIOR, 5), (SkillLevel.INTERMEDIATE, 30), (SkillLevel.SENIOR, 40), (SkillLevel.TECHNICIAN, 20),
    (SkillLevel.SENIOR_TECHNICIAN, 5),
])
PRACTICE_FORMS = weighted([
    (PracticeForm.SHADOWING, 30), (PracticeForm.PLACEMENT, 30), (PracticeForm.VISIT, 10),
    (PracticeForm.SKILL_TRAINING, 12), (PracticeForm.PART_TIME, 8), (PracticeForm.RESEARCH, 6), (PracticeForm.OTHER, 4),
])
# A finished record's review state; one that has not ended yet is planned (or, having started, sometimes submitted).
PAST_PRACTICE = weighted([
    (PracticeStatus.VERIFIED, 80), (PracticeStatus.SUBMITTED, 10), (PracticeStatus.REJECTED, 7),
    (PracticeStatus.PLANNED, 3),
])
REVIEWED = (PracticeStatus.VERIFIED, PracticeStatus.REJECTED)
EARLIER_EMPLOYERS = weighted([
    (EmployerType.ENTERPRISE, 55), (EmployerType.OTHER, 30), (EmployerType.SCHOOL, 8), (EmployerType.PUBLIC, 7),
])
EXCEPTION_OUTCOMES = weighted([(ExceptionStatus.APPROVED, 60), (ExceptionStatus.REQUESTED, 30), (ExceptionStatus.REFUSED, 10)])


@dataclass(frozen=True)
class Generated:
    """What `generate` wrote: counts, the time it took (seconds) and the ids the measures use."""

    teachers: int
    schools: int
    rows: int  # every row inserted, all tables
    seconds: float
    bureau_id: int  # a bureau account: every read
    hr_id: int  # HR of `hr_school_id`: the write
    hr_school_id: int
    write_teacher_id: int  # a specialty teacher of the HR's school, in office, not on its leadership
    read_teacher_id: int  # a specialty teacher in the middle of the list, in office
    password: str  # of both accounts: the import measure signs in as HR through the page


def school_count(teachers: int) -> int:
    """About 60 schools, or one per 1,700 teachers when that is more."""
    return max(MIN_SCHOOLS, teachers // TEACHERS_PER_SCHOOL)


def school_sizes(rng: random.Random, teachers: int, schools: int) -> list[int]:
    """Teachers per school: uneven (weights 0.4–1.6), summing to `teachers` (largest remainders)."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(schools)]
    total = sum(weights)
    shares = [teachers * w / total for w in weights]
    sizes = [int(s) for s in shares]
    by_remainder = sorted(range(schools), key=lambda i: shares[i] - sizes[i], reverse=True)
    for i in by_remainder[: teachers - sum(sizes)]:
        sizes[i] += 1
    return sizes


def at_nine(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


class TeacherMaker:
    """Builds one teacher's row and the rows of their records, all from one random.Random."""

    def __init__(self, rng: random.Random, today: date, teachers: int):
        self.rng = rng
        self.random = rng.random
        self.nine: dict[int, datetime] = {}
        self.today = today
        self.now = at_nine(today)
        self.blocks = max(1, math.ceil(teachers / 1000))  # identity numbers: see id_number
        self.first_hire = FIRST_HIRE.toordinal()
        self.today_ordinal = today.toordinal()
        self.practice_effective = DEFAULT_POLICY.practice_rule_effective.toordinal()

    def pick(self, table: tuple[Any, ...]) -> Any:
        return table[int(self.random() * len(table))]

    def name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def id_number(self, index: int, region: str, born: int) -> tuple[str, int]:
        """A valid identity number, unique by construction, and the birth ordinal it encodes.

        The sequence is index % 1000 (odd for men, as GB 11643 has it) and the birth date is moved back by at
        most blocks-1 days so that it is ≡ index // 1000 (mod blocks): two teachers never share both.
        """
        sequence, block = index % 1000, index // 1000
        born -= (born - block) % self.blocks
        first17 = f"{region}{date.fromordinal(born):%Y%m%d}{sequence:03d}"
        return first17 + id_number_check_char(first17), born

    def teacher(self, index: int, teacher_id: int, school_id: int, region: str, leader: bool) -> dict[str, Any]:
        rng, today = self.rng, self.today_ordinal
        course_type = self.pick(COURSE_TYPES)
        signed = rng.random() < 0.005  # hired, starting within the year
        hire = today + rng.randint(1, 300) if signed else rng.randint(self.first_hire, today)
        born = hire - rng.randint(22 * 365, 42 * 365)
        id_number, born = self.id_number(index, region, born)
        left = rng.randint(hire, today) if hire < today and not leader and rng.random() < 0.06 else None
        return {
            "id": teacher_id,
            "school_id": school_id,
            "name": self.name(),
            "id_number": id_number,
            "gender": Gender.MALE if index % 2 else Gender.FEMALE,
            "course_type": course_type,
            "specialty": rng.choice(GENERAL_SUBJECTS if course_type == CourseType.GENERAL else SPECIALTIES),
            "post_type": PostType.FLOWING if rng.random() < 0.1 and not leader else PostType.FIXED,
            "hire_date": date.fromordinal(hire),
            "hire_channel": HireChannel.DIRECT if rng.random() < 0.05 else HireChannel.OPEN,
            "education": self.pick(EDUCATIONS),
            "leadership": leader,
            "left_date": date.fromordinal(left) if left is not None else None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def employment(self, teacher: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        """Two jobs before the hire (a flowing post's enterprise job goes on); True when the latest is short of 3 years."""
        rng = self.rng
        hire = teacher["hire_date"].toordinal()
        short = rng.random() < 0.12
        months = rng.randint(3, 35) if short else rng.randint(36, 180)
        end = hire - 1 - rng.randint(0, 180)
        start = end - int(months * 30.44)
        flowing = teacher["post_type"] == PostType.FLOWING
        latest = {
            "teacher_id": teacher["id"],
            "employer": rng.choice(ENTERPRISES),
            "employer_type": EmployerType.ENTERPRISE if rng.random() < 0.88 else EmployerType.OTHER,
            "position": rng.choice(POSITIONS),
            "start": date.fromordinal(start),
            "end": None if flowing else date.fromordinal(end),
        }
        earlier_end = start - 1 - rng.randint(0, 365)
        earlier_type = self.pick(EARLIER_EMPLOYERS)
        earlier = {
            "teacher_id": teacher["id"],
            "employer": rng.choice(ENTERPRISES if earlier_type == EmployerType.ENTERPRISE else OTHER_EMPLOYERS),
            "employer_type": earlier_type,
            "position": rng.choice(POSITIONS),
            "start": date.fromordinal(earlier_end - rng.randint(180, 1800)),
            "end": date.fromordinal(earlier_end),
        }
        return [earlier, latest], short

    def certificates(self, teacher: dict[str, Any]) -> list[dict[str, Any]]:
        """The teaching certificate, and for about half the teachers a skill certificate."""
        rng = self.rng
        hire = teacher["hire_date"].toordinal()
        rows = [{
            "teacher_id": teacher["id"],
            "kind": CertificateKind.TEACHER,
            "name": TEACHER_CERTIFICATE,
            "level": None,
            "issued": date.fromordinal(min(hire + rng.randint(-400, 300), self.today_ordinal)),
            "related": False,
        }]
        if rng.random() < 0.5 or teacher["hire_channel"] == HireChannel.DIRECT:
            rows.append({
                "teacher_id": teacher["id"],
                "kind": CertificateKind.SKILL,
                "name": f"{teacher['specialty']}职业技能等级证书",
                "level": self.pick(SKILL_LEVELS),
                "issued": date.fromordinal(min(hire + rng.randint(-3000, 1500), self.today_ordinal)),
                "related": rng.random() < 0.8,
            })
        return rows

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high inclusive (random.randint, cheaper)."""
        return low + int(self.random() * (high - low + 1))

    def at_nine(self, ordinal: int) -> datetime:
        """9 o'clock (UTC) on the day of `ordinal`, one object per day."""
        found = self.nine.get(ordinal)
        if found is None:
            found = self.nine[ordinal] = at_nine(date.fromordinal(ordinal))
        return found

    def practice(self, teacher: dict[str, Any]) -> list[dict[str, Any]]:
        """Eight records spread over the last years of the teacher's service and the year ahead.

        How long each lasts depends on the teacher's diligence, so every practice status occurs.
        """
        today, between, pick, day = self.today_ordinal, self.between, self.pick, date.fromordinal
        hire = teacher["hire_date"].toordinal()
        first = max(hire, today - 8 * 365, self.practice_effective - 2 * 365)
        last = max(first + 400, today + 365)
        slot = (last - first) // PRACTICE_RECORDS
        diligence = self.rng.uniform(0.3, 2.5)
        description = f"在企业参加{teacher['specialty']}相关岗位实践。"
        rows = []
        for k in range(PRACTICE_RECORDS):
            start = first + k * slot + between(0, max(0, slot // 3))
            end = start + max(1, min(slot - 1, int(diligence * between(12, 80))))
            if end <= today:
                status = pick(PAST_PRACTICE)
            else:
                status = PracticeStatus.SUBMITTED if start <= today and self.random() < 0.3 else PracticeStatus.PLANNED
            review = self.at_nine(min(end + between(3, 40), today))
            rows.append({
                "teacher_id": teacher["id"],
                "enterprise": pick(ENTERPRISES),
                "start": day(start),
                "end": day(end),
                "form": pick(PRACTICE_FORMS),
                "description": description,
                "status": status,
                "submitted_at": review if status != PracticeStatus.PLANNED else None,
                "reviewed_by_id": None,
                "reviewed_at": review if status in REVIEWED else None,
                "reject_reason": REJECT_REASON if status == PracticeStatus.REJECTED else None,
                "created_at": self.now,
            })
        return rows

    def training(self, teacher: dict[str, Any]) -> dict[str, Any]:
        """One rotation training since the rule took effect (or the hire), completed unless it is still ahead."""
        rng, today = self.rng, self.today_ordinal
        first = max(teacher["hire_date"].toordinal(), self.practice_effective)
        end = rng.randint(first, max(first, today) + 365)
        return {
            "teacher_id": teacher["id"],
            "program": rng.choice(PROGRAMS),
            "kind": TrainingKind.ROTATION,
            "end": date.fromordinal(end),
            "hours": 80,
            "status": TrainingStatus.COMPLETED if end <= today else TrainingStatus.PLANNED,
        }

    def hire_exception(self, teacher: dict[str, Any]) -> dict[str, Any]:
        status = self.pick(EXCEPTION_OUTCOMES)
        requested = at_nine(teacher["hire_date"])
        return {
            "teacher_id": teacher["id"],
            "status": status,
            "reason": EXCEPTION_REASON,
            "requested_by_id": None,
            "requested_at": requested,
            "decided_by_id": None,
            "decided_at": requested + 20 * DAY if status != ExceptionStatus.REQUESTED else None,
            "note": "经审核，同意按例外录用。" if status == ExceptionStatus.APPROVED else None,
        }


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert `rows` (all with the same keys) CHUNK at a time; returns how many.

    A plain executemany: psycopg sends it in pipeline mode, sqlite3 in one call. (Asking for RETURNING would
    make SQLAlchemy send multi-row VALUES instead, which measured 2–3× slower on PostgreSQL here.)
    """
    statement = insert(table)
    for start in range(0, len(rows), CHUNK):
        connection.execute(statement, rows[start:start + CHUNK])
    return len(rows)


def policy_row(now: datetime) -> dict[str, Any]:
    """The demo's policy version (registry.demo): the default figures, in force since the rules took effect."""
    values = {name: getattr(DEFAULT_POLICY, name) for name in POLICY_FIELDS}
    values = {name: int(v) if name.endswith("_months") else v for name, v in values.items()}
    return {
        **values,
        "effective_from": DEFAULT_POLICY.practice_rule_effective,
        "note": "丹东市实施意见（讨论稿）：5年累计不少于10个月企业实践",
        "created_by_id": None,
        "created_at": now,
    }


def teacher_blocks(sizes: Sequence[int]) -> Iterator[list[tuple[int, int, bool]]]:
    """(index, school id, leadership member) of every teacher, BLOCK at a time; schools are numbered from 1.

    The first 3 to 5 teachers of each school (fewer in a tiny school) sit on its leadership.
    """
    block: list[tuple[int, int, bool]] = []
    index = 0
    for school_index, size in enumerate(sizes):
        leaders = min(3 + school_index % 3, max(1, size // 4))
        for position in range(size):
            block.append((index, school_index + 1, position < leaders))
            index += 1
            if len(block) == BLOCK:
                yield block
                block = []
    if block:
        yield block


def school_rows(schools: int, now: datetime) -> list[dict[str, Any]]:
    """Schools 1..`schools`, dealt to the counties in turn and numbered within each."""
    rows, per_county = [], [0] * len(COUNTIES)
    for school_id in range(1, schools + 1):
        county_index = (school_id - 1) % len(COUNTIES)
        county = COUNTIES[county_index][0]
        per_county[county_index] += 1
        rows.append({"id": school_id, "name": f"{county}第{per_county[county_index]}中等职业技术学校", "county": county,
                     "created_at": now})
    return rows


def account_rows(school_id: int, schools: int, password_hash: str, now: datetime) -> list[dict[str, Any]]:
    """The bureau account (every read), HR of `school_id` (the write) and an HR account of every other school (each
    gets the weekly reminder digest)."""
    named = ((BUREAU_LOGIN, Role.BUREAU, None, "职成教科"), (HR_LOGIN, Role.SCHOOL_HR, school_id, "人事处"))
    others = ((f"bench_hr_{school}", Role.SCHOOL_HR, school, "人事处")
              for school in range(1, schools + 1) if school != school_id)
    return [
        {"login": login, "role": role, "school_id": school, "display_name": shown, "password_hash": password_hash,
         "teacher_id": None, "active": True, "created_at": now}
        for login, role, school, shown in (*named, *others)
    ]


def teacher_account_row(teacher: dict[str, Any], password_hash: str, now: datetime) -> dict[str, Any]:
    """Every teacher signs in (and so is reminded): an account linked to the teacher."""
    return {"login": f"bench_teacher_{teacher['id']}", "role": Role.TEACHER, "school_id": None,
            "teacher_id": teacher["id"], "display_name": "", "password_hash": password_hash, "active": True,
            "created_at": now}


def catch_up_sequences(connection: Connection) -> None:
    """PostgreSQL: move the id sequences of the tables whose ids were given here past the last one."""
    if connection.dialect.name != "postgresql":
        return
    for model in (School, Teacher):
        last = connection.scalar(select(func.max(model.id)))
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{model.__tablename__}', 'id'), :last)"),
                           {"last": last})


def generate(teachers: int, today: date, seed: int = 2026, progress: bool = True) -> Generated:
    """Write `teachers` teachers with their records and accounts, the schools (each with an HR account), one policy
    version and the bureau's account, committed.

    The database must be migrated and empty (ids are given here). `today` is the day the histories lead up to.
    Shows a tqdm progress bar on stderr unless `progress` is False. Raises ValueError for fewer than 1 teacher.
    """
    if teachers < 1:
        raise ValueError("at least one teacher")
    started = time.perf_counter()
    rng = random.Random(seed)
    maker = TeacherMaker(rng, today, teachers)
    schools = school_count(teachers)
    sizes = school_sizes(rng, teachers, schools)
    now = at_nine(today)
    hr_school_id = next(number for number, size in enumerate(sizes, start=1) if size)  # teacher 1's school
    rows = 0
    write_teacher_id = read_teacher_id = None
    middle = teachers // 2
    password = f"bench-{rng.getrandbits(64):x}"
    password_hash = hash_password(password)
    with db.engine.begin() as connection:
        rows += insert_rows(connection, PolicyVersion.__table__, [policy_row(now)])
        rows += insert_rows(connection, School.__table__, school_rows(schools, now))
        regions = [COUNTIES[(school_id - 1) % len(COUNTIES)][1] for school_id in range(1, schools + 1)]
        with tqdm(total=teachers, unit=" teachers", file=sys.stderr, disable=not progress, desc="generating") as bar:
            for block in teacher_blocks(sizes):
                batch: dict[type, list[dict[str, Any]]] = {model: [] for model in RECORD_MODELS}
                for index, school_id, leader in block:
                    teacher = maker.teacher(index, index + 1, school_id, regions[school_id - 1], leader)
                    batch[Teacher].append(teacher)
                    batch[User].append(teacher_account_row(teacher, password_hash, now))
                    jobs, short = maker.employment(teacher)
                    batch[EmploymentRecord].extend(jobs)
                    batch[Certificate].extend(maker.certificates(teacher))
                    batch[PracticeRecord].extend(maker.practice(teacher))
                    batch[TrainingRecord].append(maker.training(teacher))
                    if short and rng.random() < 0.3:
                        batch[HireException].append(maker.hire_exception(teacher))
                    in_service = (teacher["course_type"] == CourseType.SPECIALTY and teacher["left_date"] is None
                                  and teacher["post_type"] == PostType.FIXED and teacher["hire_date"] < today)
                    if in_service and not leader and school_id == hr_school_id and write_teacher_id is None:
                        write_teacher_id = teacher["id"]
                    if in_service and index >= middle and read_teacher_id is None:
                        read_teacher_id = teacher["id"]
                for model, records in batch.items():  # parents first: the foreign keys are checked
                    rows += insert_rows(connection, model.__table__, records)
                bar.update(len(block))
        accounts = account_rows(hr_school_id, schools, password_hash, now)
        rows += insert_rows(connection, User.__table__, accounts)
        bureau_id, hr_id = (connection.scalar(select(User.id).where(User.login == a["login"])) for a in accounts[:2])
        catch_up_sequences(connection)
    first = 1  # a tiny data set may have no specialty teacher in office to pick: teacher 1 is in the HR's school
    return Generated(
        teachers=teachers,
        schools=schools,
        rows=rows,
        seconds=time.perf_counter() - started,
        bureau_id=bureau_id,
        hr_id=hr_id,
        hr_school_id=hr_school_id,
        write_teacher_id=write_teacher_id or first,
        read_teacher_id=read_teacher_id or write_teacher_id or first,
        password=password,
    )
