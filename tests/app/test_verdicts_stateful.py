"""The stored verdicts stay exact: random sequences of writes, reviews, policy changes and clock moves.

A Hypothesis state machine drives the services the way the pages and the API do, then settles each step as a
request would (commit; or `verdicts.ensure_current`, what a reader calls; or leaves the transaction open for the
next step, or rolls it back as a failed request does) and checks after every settled step that each stored row
still valid today equals the rule engine's fresh answer (`verdicts.verify`) and names today's policy version.

Each example runs inside a savepoint of the test's transaction, rolled back when the example ends.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from registry.dates import today
from registry.errors import RegistryError
from registry.extensions import db
from registry.models import (
    Certificate,
    EmploymentRecord,
    HireException,
    PolicyVersion,
    PracticeRecord,
    School,
    SchoolVerdict,
    Teacher,
    TeacherVerdict,
    TrainingRecord,
    User,
)
from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    ExceptionStatus,
    Gender,
    HireChannel,
    HireStatus,
    PostType,
    PracticeForm,
    PracticeStatus,
    Role,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.services import exceptions as exception_service
from registry.services import policies as policy_service
from registry.services import practice as practice_service
from registry.services import teachers as teacher_service
from registry.services import verdicts
from registry.services.compliance import PolicyBook
from tests.app.factories import Factory, id_number
from tests.app.inputs import PDF, upload
from tests.conftest import FROZEN_NOW

SETTINGS = settings(
    max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# How a step ends: committed like a request that succeeded, brought current like a reader does before it looks,
# or left open so that the next steps join the same transaction; then, often, some days pass (the rows written
# must stay right until their valid_until).
COMMIT, ENSURE, OPEN = "commit", "ensure_current", "open"
SETTLE = st.tuples(
    st.sampled_from((COMMIT, COMMIT, ENSURE, OPEN)),
    st.one_of(st.none(), st.none(), st.integers(1, 60), st.integers(1, 400)),
)

DAYS = st.dates(date(2008, 1, 1), date(2032, 12, 31))
RECENT = st.dates(date(2019, 1, 1), date(2029, 12, 31))  # around the frozen today: inside the cycles that count
LENGTH = st.one_of(st.none(), st.integers(0, 12 * 365))  # days after the start; None: still running
PICK = st.integers(0, 1000)  # which of the current rows a rule acts on (modulo their number)
PROGRAM = "全员轮训"


def period(start: date, length: int | None) -> tuple[str, str | None]:
    return start.isoformat(), None if length is None else (start + timedelta(days=length)).isoformat()


def picked(ids, pick: int):
    """One of `ids` (a list), chosen by `pick`; None when there is none."""
    return ids[pick % len(ids)] if ids else None




def mostly(usual, others):
    """`usual` three times in four, else one of `others`: most teachers are ones the rules apply to."""
    return st.one_of(st.just(usual), st.just(usual), st.just(usual), others)


TEACHERS = st.fixed_dictionaries({
    "course_type": mostly(CourseType.SPECIALTY, st.sampled_from(CourseType)),
    "post_type": mostly(PostType.FIXED, st.sampled_from(PostType)),
    "hire_channel": st.sampled_from(HireChannel),
    "education": st.sampled_from(Education),
    "hire_in": st.integers(-12 * 365, 0) | st.integers(1, 366),  # hire date, days from today (a year ahead at most)
    "leaves_after": mostly(None, st.integers(0, 8 * 365)),  # leaving date, days after the hire date
    "leadership": st.booleans(),
    "at_school_b": st.booleans(),
    "worked_years": st.one_of(st.none(), st.integers(0, 12)),  # enterprise work up to the day before the hire
    "practised": st.one_of(st.none(), st.tuples(RECENT, st.integers(0, 120) | st.integers(280, 400))),  # verified
    "trained": st.one_of(st.none(), RECENT),  # the end of a completed rotation training
    "asks": st.booleans(),  # HR asks for a hire exception (refused unless the hire is non-compliant)
})

POLICIES = st.fixed_dictionaries({
    "effective_from": st.dates(date(2015, 1, 1), date(2034, 12, 31)) | st.dates(FROZEN_NOW.date(), date(2029, 12, 31)),
    "hire_rule_effective": mostly(date(2021, 1, 1), st.dates(date(2015, 1, 1), date(2030, 12, 31))),
    "practice_rule_effective": mostly(date(2021, 1, 1), st.dates(date(2015, 1, 1), date(2030, 12, 31))),
    "hire_min_experience_months": st.sampled_from((0, 12, 36, 60)),
    "hire_min_education": st.sampled_from(Education),
    "direct_min_skill_level": st.sampled_from(SkillLevel),
    "cycle_years": st.integers(1, 6),
    "practice_required_months": st.integers(1, 24),
    "leadership_min_experience_months": st.sampled_from((0, 36, 60, 120)),
})


def policy_input(values: dict) -> dict:
    """A valid PolicyIn body from POLICIES' values (the months required fit in the cycle)."""
    body = {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}
    body["practice_required_months"] = min(values["practice_required_months"], values["cycle_years"] * 12)
    return body


class StoredVerdicts(RuleBasedStateMachine):
    """Two schools, their HR, the bureau and the administrator; teachers and everything else come from the rules."""

    def __init__(self, connection, clock):
        super().__init__()
        self.clock = clock
        self.now = FROZEN_NOW
        clock.move_to(self.now, tick=False)
        db.session.close()  # the example's savepoint must enclose every savepoint the session opens
        self.savepoint = connection.begin_nested()
        make = Factory()
        self.schools = [make.school(name="甲校"), make.school(name="乙校", county="东港市")]
        self.hr = {school.id: make.user(Role.SCHOOL_HR, school=school) for school in self.schools}
        self.bureau = make.user(Role.BUREAU)
        self.admin = make.user(Role.ADMIN)
        self.open = False  # writes of earlier steps wait for a later commit

    def teardown(self):
        db.session.close()
        self.savepoint.rollback()
        db.session.expunge_all()

    # --- settling each step, and the property ------------------------------------------------------------

    def settle(self, then: tuple[str, int | None]) -> None:
        """End the step as `then` says: (COMMIT, ENSURE or OPEN, days that pass afterwards or None)."""
        how, days = then
        if how == COMMIT:
            db.session.commit()
        elif how == ENSURE:
            verdicts.ensure_current(today())
            stale = verdicts.stale_clause(TeacherVerdict, today())
            assert db.session.scalars(select(TeacherVerdict.teacher_id).where(stale)).all() == []
            assert db.session.scalars(select(SchoolVerdict.school_id).where(
                verdicts.stale_clause(SchoolVerdict, today()))).all() == []
        self.open = how == OPEN
        if days is not None:
            self.wait(days)

    def wait(self, days: int) -> None:
        self.now += timedelta(days=days)
        self.clock.move_to(self.now, tick=False)

    @invariant()
    def stored_equals_fresh(self):
        if self.open:
            return  # a transaction's writes are stored when it commits or a reader looks
        as_of = today()
        compared, differences = verdicts.verify(as_of, limit=5)
        assert differences == [], f"as of {as_of}: {differences}"
        teachers = db.session.scalars(select(Teacher.id)).all()
        assert compared == len(teachers) + len(self.schools)
        version = PolicyBook.load().version_on(as_of)
        for model in (TeacherVerdict, SchoolVerdict):
            current = select(model.policy_version_id).where(~verdicts.stale_clause(model, as_of))
            assert set(db.session.scalars(current)) <= {version.id if version else None}

    # --- reading what there is ---------------------------------------------------------------------------

    def ids(self, model, *where) -> list[int]:
        return db.session.scalars(select(model.id).where(*where).order_by(model.id)).all()

    def teacher(self, pick: int) -> Teacher | None:
        teacher_id = picked(self.ids(Teacher), pick)
        return db.session.get(Teacher, teacher_id) if teacher_id else None

    def hr_of(self, teacher_id: int) -> User:
        return self.hr[db.session.get(Teacher, teacher_id).school_id]

    def account_of(self, teacher_id: int) -> User:
        return db.session.scalar(select(User).where(User.teacher_id == teacher_id))

    def attempt(self, service, *args):
        """Call a write service: what it returns, or None when it refuses (bad input, a state that does not allow
        it), which leaves nothing behind."""
        try:
            return service(*args)
        except RegistryError:
            return None

    # --- teachers ------------------------------------------------------------------------------------------

    @initialize(values=st.lists(TEACHERS, min_size=1, max_size=3), dandong=st.booleans(),
                announced=st.none() | st.dates(FROZEN_NOW.date() + timedelta(days=1), date(2029, 12, 31)))
    def start(self, values, dandong, announced):
        """A few teachers; Dandong's version from 2021, or none (the defaults); perhaps the national figures
        (6 months in 5 years) announced to take effect on a later day."""
        if dandong:
            Factory().policy_version()
        if announced is not None:
            Factory().policy_version(announced.isoformat(), **policy_service.NATIONAL_FIGURES)
        for one in values:
            self.register(one)
        self.settle((COMMIT, None))

    def register(self, values: dict) -> None:
        school = self.schools[values["at_school_b"]]
        hire_date = today() + timedelta(days=values["hire_in"])
        leaves = values["leaves_after"]
        data = {
            "name": "教师", "id_number": id_number(), "gender": Gender.FEMALE, "school_id": school.id,
            "specialty": "数控技术", "course_type": values["course_type"], "post_type": values["post_type"],
            "hire_channel": values["hire_channel"], "education": values["education"],
            "hire_date": hire_date.isoformat(), "leadership": values["leadership"],
            "left_date": None if leaves is None else (hire_date + timedelta(days=leaves)).isoformat(),
        }
        teacher = teacher_service.create_teacher(self.hr[school.id], data, today())
        if values["worked_years"] is not None:
            work = {"employer": "曙光集团", "employer_type": EmployerType.ENTERPRISE, "position": "技术员",
                    "start": (hire_date - timedelta(days=365 * values["worked_years"] + 1)).isoformat(),
                    "end": (hire_date - timedelta(days=1)).isoformat()}
            teacher_service.add_record(self.hr[school.id], teacher.id, EmploymentRecord, work)
        account = User(login=f"t{teacher.id}", role=Role.TEACHER, teacher_id=teacher.id, display_name="教师",
                       password_hash="x")
        db.session.add(account)
        db.session.flush()
        if values["practised"] is not None:
            begin, end = period(*values["practised"])
            data = {"enterprise": "五一八公司", "start": begin, "end": end, "form": PracticeForm.PLACEMENT,
                    "status": PracticeStatus.SUBMITTED}
            # A record that has not ended yet stays planned: it is neither submitted nor verified.
            record = self.attempt(practice_service.create_practice, account, teacher.id, data, [upload(PDF)])
            if record is not None:
                self.attempt(practice_service.review_practice, self.hr[school.id], record.id, "verify")
        if values["trained"] is not None:
            data = {"program": PROGRAM, "kind": TrainingKind.ROTATION, "end": values["trained"].isoformat(), "hours": 80,
                    "status": TrainingStatus.COMPLETED}
            teacher_service.add_record(self.hr[school.id], teacher.id, TrainingRecord, data)
        if values["asks"]:
            self.attempt(exception_service.request_hire_exception, self.hr[school.id], teacher.id, {"reason": "急需"})

    @rule(values=TEACHERS, how=SETTLE)
    def create_teacher(self, values, how):
        self.register(values)
        self.settle(how)

    @rule(pick=PICK, changes=st.fixed_dictionaries({}, optional={
        "post_type": st.sampled_from(PostType),
        "course_type": st.sampled_from(CourseType),
        "education": st.sampled_from(Education),
        "hire_channel": st.sampled_from(HireChannel),
        "leadership": st.booleans(),
        "left_date": st.one_of(st.none(), DAYS),
        "hire_in": st.integers(-12 * 365, 366),
        "name": st.sampled_from(("李明", "王芳")),
        "specialty": st.sampled_from(("数控技术", "工业机器人")),
    }), how=SETTLE)
    def change_teacher(self, pick, changes, how):
        teacher = self.teacher(pick)
        if teacher is not None:
            changes = {name: value.isoformat() if isinstance(value, date) else value for name, value in changes.items()}
            if "hire_in" in changes:
                changes["hire_date"] = (today() + timedelta(days=changes.pop("hire_in"))).isoformat()
            self.attempt(teacher_service.update_teacher, self.hr_of(teacher.id), teacher.id, changes, today())
        self.settle(how)

    @rule(pick=PICK, how=SETTLE)
    def move_teacher_to_the_other_school(self, pick, how):
        # No service moves a teacher (HR writes into its own school): an administrator's direct correction.
        teacher = self.teacher(pick)
        if teacher is not None:
            teacher.school_id = next(s.id for s in self.schools if s.id != teacher.school_id)
            db.session.flush()
        self.settle(how)

    @rule(pick=PICK, county=st.sampled_from(("丹东市区", "东港市", "凤城市")), how=SETTLE)
    def rename_school(self, pick, county, how):
        # No page renames a school; the lists' copies of its name and county must follow a correction all the same.
        school = db.session.get(School, picked([s.id for s in self.schools], pick))
        school.name = f"{school.name.split('·')[0]}·{county}"
        school.county = county
        db.session.flush()
        self.settle(how)

    @rule(pick=PICK, how=SETTLE)
    def delete_teacher(self, pick, how):
        teacher = self.teacher(pick)
        if teacher is not None:
            self.attempt(teacher_service.delete_teacher, self.hr_of(teacher.id), teacher.id)
        self.settle(how)

    # --- employment, certificates, training ----------------------------------------------------------------

    @rule(pick=PICK, start=DAYS, length=LENGTH, employer_type=mostly(EmployerType.ENTERPRISE, st.sampled_from(EmployerType)),
          how=SETTLE)
    def add_employment(self, pick, start, length, employer_type, how):
        teacher = self.teacher(pick)
        if teacher is not None:
            begin, end = period(start, length)
            data = {"employer": "曙光集团", "employer_type": employer_type, "position": "技术员", "start": begin, "end": end}
            self.attempt(teacher_service.add_record, self.hr_of(teacher.id), teacher.id, EmploymentRecord, data)
        self.settle(how)

    @rule(pick=PICK, start=DAYS, length=LENGTH, employer_type=st.sampled_from(EmployerType), how=SETTLE)
    def change_employment(self, pick, start, length, employer_type, how):
        record_id = picked(self.ids(EmploymentRecord), pick)
        if record_id is not None:
            begin, end = period(start, length)
            record = db.session.get(EmploymentRecord, record_id)
            changes = {"start": begin, "end": end, "employer_type": employer_type}
            self.attempt(teacher_service.update_record, self.hr_of(record.teacher_id), EmploymentRecord, record_id, changes)
        self.settle(how)

    @rule(pick=PICK, kind=st.sampled_from((EmploymentRecord, Certificate, TrainingRecord)), how=SETTLE)
    def delete_record(self, pick, kind, how):
        record_id = picked(self.ids(kind), pick)
        if record_id is not None:
            record = db.session.get(kind, record_id)
            self.attempt(teacher_service.delete_record, self.hr_of(record.teacher_id), kind, record_id)
        self.settle(how)

    @rule(pick=PICK, issued=DAYS, level=st.sampled_from(SkillLevel), related=st.booleans(), how=SETTLE)
    def add_certificate(self, pick, issued, level, related, how):
        teacher = self.teacher(pick)
        if teacher is not None:
            data = {"kind": CertificateKind.SKILL, "name": "数控车工", "level": level, "issued": issued.isoformat(),
                    "related": related}
            self.attempt(teacher_service.add_record, self.hr_of(teacher.id), teacher.id, Certificate, data)
        self.settle(how)

    @rule(pick=PICK, end=RECENT, kind=mostly(TrainingKind.ROTATION, st.sampled_from(TrainingKind)),
          status=mostly(TrainingStatus.COMPLETED, st.sampled_from(TrainingStatus)), how=SETTLE)
    def add_training(self, pick, end, kind, status, how):
        teacher = self.teacher(pick)
        if teacher is not None:
            data = {"program": PROGRAM, "kind": kind, "end": end.isoformat(), "hours": 80, "status": status}
            self.attempt(teacher_service.add_record, self.hr_of(teacher.id), teacher.id, TrainingRecord, data)
        self.settle(how)

    @rule(pick=PICK, status=st.sampled_from(TrainingStatus), end=RECENT, how=SETTLE)
    def change_training(self, pick, status, end, how):
        record_id = picked(self.ids(TrainingRecord), pick)
        if record_id is not None:
            record = db.session.get(TrainingRecord, record_id)
            changes = {"status": status, "end": end.isoformat()}
            self.attempt(teacher_service.update_record, self.hr_of(record.teacher_id), TrainingRecord, record_id, changes)
        self.settle(how)

    # --- practice: the teacher writes, HR reviews ------------------------------------------------------------

    @rule(pick=PICK, start=RECENT, length=st.one_of(st.none(), st.integers(0, 400)),
          status=st.sampled_from(tuple(PracticeStatus) + (PracticeStatus.VERIFIED,)), how=SETTLE)
    def add_practice(self, pick, start, length, status, how):
        """The teacher plans or submits a record; HR verifies or rejects it in the same transaction for `status`."""
        teacher = self.teacher(pick)
        if teacher is not None:
            begin, end = period(start, length)
            submitted = status != PracticeStatus.PLANNED
            data = {"enterprise": "五一八公司", "start": begin, "end": end, "form": PracticeForm.PLACEMENT,
                    "status": PracticeStatus.SUBMITTED if submitted else PracticeStatus.PLANNED}
            record = self.attempt(practice_service.create_practice, self.account_of(teacher.id), teacher.id, data,
                                  [upload(PDF)])
            review = {PracticeStatus.VERIFIED: "verify", PracticeStatus.REJECTED: "reject"}.get(status)
            if record is not None and review is not None:
                self.attempt(practice_service.review_practice, self.hr_of(teacher.id), record.id, review,
                             {"reason": "材料不全"})
        self.settle(how)

    @rule(pick=PICK, start=RECENT, length=st.one_of(st.none(), st.integers(0, 400)), how=SETTLE)
    def correct_practice(self, pick, start, length, how):
        record_id = picked(self.ids(PracticeRecord), pick)
        if record_id is not None:
            begin, end = period(start, length)
            record = db.session.get(PracticeRecord, record_id)
            self.attempt(practice_service.update_practice, self.account_of(record.teacher_id), record_id,
                         {"start": begin, "end": end})
        self.settle(how)

    @rule(pick=PICK, how=SETTLE)
    def submit_practice(self, pick, how):
        record_id = picked(self.ids(PracticeRecord, PracticeRecord.status.in_(practice_service.SUBMITTABLE)), pick)
        if record_id is not None:
            record = db.session.get(PracticeRecord, record_id)
            self.attempt(practice_service.submit_practice, self.account_of(record.teacher_id), record_id)
        self.settle(how)

    @rule(pick=PICK, action=st.sampled_from(tuple(practice_service.REVIEW_STEPS)), how=SETTLE)
    def review_practice(self, pick, action, how):
        source, _target = practice_service.REVIEW_STEPS[action]
        record_id = picked(self.ids(PracticeRecord, PracticeRecord.status == source), pick)
        if record_id is not None:
            record = db.session.get(PracticeRecord, record_id)
            self.attempt(practice_service.review_practice, self.hr_of(record.teacher_id), record_id, action,
                         {"reason": "材料不全"})
        self.settle(how)

    @rule(pick=PICK, how=SETTLE)
    def delete_practice(self, pick, how):
        record_id = picked(self.ids(PracticeRecord), pick)
        if record_id is not None:
            record = db.session.get(PracticeRecord, record_id)
            self.attempt(practice_service.delete_practice, self.account_of(record.teacher_id), record_id)
        self.settle(how)

    # --- hire exceptions: HR asks, the bureau decides ------------------------------------------------------

    @rule(pick=PICK, decision=st.sampled_from((None, *exception_service.DECISIONS, "approve")), how=SETTLE)
    def request_exception(self, pick, decision, how):
        """HR asks for an exception for a teacher whose stored hire verdict is non-compliant (any teacher when
        none is: the service refuses); the bureau may decide it before the step ends."""
        candidates = self.ids(Teacher, Teacher.id.in_(
            select(TeacherVerdict.teacher_id).where(TeacherVerdict.hire_status == HireStatus.NON_COMPLIANT)))
        teacher_id = picked(candidates or self.ids(Teacher), pick)
        teacher = db.session.get(Teacher, teacher_id) if teacher_id else None
        if teacher is not None:
            exception = self.attempt(exception_service.request_hire_exception, self.hr_of(teacher.id), teacher.id,
                                     {"reason": "急需"})
            if exception is not None and decision is not None:
                self.attempt(exception_service.decide_hire_exception, self.bureau, exception.id, decision, {"note": ""})
        self.settle(how)

    @rule(pick=PICK, decision=st.sampled_from((*exception_service.DECISIONS, "approve")), how=SETTLE)
    def decide_exception(self, pick, decision, how):
        exception_id = picked(self.ids(HireException, HireException.status == ExceptionStatus.REQUESTED), pick)
        if exception_id is not None:
            self.attempt(exception_service.decide_hire_exception, self.bureau, exception_id, decision, {"note": ""})
        self.settle(how)

    # --- policy versions ------------------------------------------------------------------------------------

    @rule(action=st.sampled_from(("add", "add", "change", "remove")), pick=PICK, values=POLICIES, how=SETTLE)
    def policy_changes(self, action, pick, values, how):
        """The administrator adds a version; or a version is corrected or removed in the database (no page edits
        versions, but the stored verdicts must follow whatever happens to them). One rule, so that recomputing
        everyone does not hide the other rules' mistakes too often."""
        version_id = picked(self.ids(PolicyVersion), pick)
        if action == "add":
            self.attempt(policy_service.create_version, self.admin, policy_input(values))
        elif action == "change" and version_id is not None:
            version = db.session.get(PolicyVersion, version_id)
            for name, value in policy_input(values).items():
                if name != "effective_from":
                    setattr(version, name, date.fromisoformat(value) if name.endswith("_effective") else value)
            db.session.flush()
        elif action == "remove" and version_id is not None:
            db.session.delete(db.session.get(PolicyVersion, version_id))
            db.session.flush()
        self.settle(how)

    # --- time and failed requests --------------------------------------------------------------------------

    @rule(days=st.integers(1, 40) | st.integers(1, 3 * 365), how=SETTLE)
    def time_passes(self, days, how):
        self.wait(days)
        self.settle(how)

    @rule()
    def a_request_fails(self):
        """A request answered 4xx rolls back everything since the last commit, the stored rows included."""
        db.session.rollback()
        self.open = False


def test_stored_verdicts_equal_a_fresh_evaluation_after_any_sequence_of_changes(database, ctx, time_machine):
    run_state_machine_as_test(lambda: StoredVerdicts(database, time_machine), settings=SETTINGS)


def test_the_machine_starts_each_example_from_the_same_empty_registry(database, ctx, time_machine):
    machine = StoredVerdicts(database, time_machine)
    machine.register({"course_type": CourseType.SPECIALTY, "post_type": PostType.FIXED, "hire_channel": HireChannel.OPEN,
                      "education": Education.BACHELOR, "hire_in": -400, "leaves_after": None, "leadership": True,
                      "at_school_b": False, "worked_years": 6, "practised": (date(2024, 7, 1), 300),
                      "trained": date(2025, 8, 15), "asks": True})
    machine.settle((COMMIT, None))
    machine.stored_equals_fresh()
    assert db.session.scalar(select(TeacherVerdict.teacher_id)) is not None
    machine.teardown()
    assert db.session.scalars(select(School.id)).all() == []
    assert db.session.scalars(select(TeacherVerdict.teacher_id)).all() == []
