"""A whole story through the API, one token per role, and the answers match the rule engine."""
from datetime import date
from io import BytesIO

from registry.extensions import db
from registry.models import Teacher
from registry.services.compliance import evaluate_teacher
from registry.services.users import create_token
from tests.app.factories import id_number
from tests.app.inputs import PDF

AS_OF = "2026-11-28"


def bearer(login: str) -> dict[str, str]:
    """What `flask users token LOGIN` prints, as a header."""
    from sqlalchemy import select

    from registry.models import User

    _token, plain = create_token(db.session.scalar(select(User).where(User.login == login)), "story")
    return {"Authorization": f"Bearer {plain}"}


def teacher_body(name: str, hire_date: str) -> dict:
    return {
        "name": name, "id_number": id_number(born="19880808"), "gender": "男", "course_type": "specialty",
        "specialty": "数控技术", "post_type": "fixed", "hire_date": hire_date, "hire_channel": "open",
        "education": "bachelor", "leadership": False, "left_date": None,
    }


def test_a_school_year_told_through_the_api(client, make):
    admin = make.token(make.user("admin"))

    # The admin opens a school and its accounts.
    school = client.post("/api/v1/schools", json={"name": "东港市职业教育中心", "county": "东港市"}, headers=admin)
    assert school.status_code == 201
    school_id = school.get_json()["id"]
    for login, role in (("hr_dg", "school_hr"), ("bureau_dd", "bureau")):
        created = client.post("/api/v1/users", json={"login": login, "role": role, "school_id": school_id, "password": "Dandong-2026"}, headers=admin)
        assert created.status_code == 201, created.get_json()
    hr, bureau = bearer("hr_dg"), bearer("bureau_dd")

    # HR enters two teachers with their histories.
    wang = client.post("/api/v1/teachers", json=teacher_body("王立新", "2022-03-01"), headers=hr).get_json()
    zhao = client.post("/api/v1/teachers", json=teacher_body("赵明", "2022-09-01"), headers=hr).get_json()
    assert client.post(f"/api/v1/teachers/{wang['id']}/employment", json={"employer": "曙光集团", "employer_type": "enterprise", "position": "技术员", "start": "2015-07-01", "end": "2022-02-28"}, headers=hr).status_code == 201
    assert client.post(f"/api/v1/teachers/{zhao['id']}/employment", json={"employer": "克隆集团", "employer_type": "enterprise", "position": "调度员", "start": "2020-09-01", "end": None}, headers=hr).status_code == 201
    assert client.post(f"/api/v1/teachers/{wang['id']}/certificates", json={"kind": "skill", "name": "数控车工", "level": "senior", "issued": "2019-06-01", "related": True}, headers=hr).status_code == 201
    assert client.post(f"/api/v1/teachers/{wang['id']}/training", json={"program": "全员轮训", "kind": "rotation", "end": "2026-08-15", "hours": 80, "status": "completed"}, headers=hr).status_code == 201

    # Wang gets a login and submits practice with evidence; HR verifies it.
    created = client.post("/api/v1/users", json={"login": "wang", "role": "teacher", "teacher_id": wang["id"], "password": "Dandong-2026"}, headers=admin)
    assert created.status_code == 201
    wang_token = bearer("wang")
    practice = client.post(f"/api/v1/teachers/{wang['id']}/practice", json={"enterprise": "五一八公司", "start": "2022-07-01", "end": "2023-04-30", "form": "placement", "description": "数控车间顶岗", "status": "submitted"}, headers=wang_token)
    assert practice.status_code == 201
    practice_id = practice.get_json()["id"]
    upload = client.post(f"/api/v1/practice/{practice_id}/evidence", data={"file": (BytesIO(PDF), "盖章证明.pdf")}, headers=wang_token, content_type="multipart/form-data")
    assert upload.status_code == 201 and upload.get_json()["filename"] == "盖章证明.pdf"
    assert client.post(f"/api/v1/practice/{practice_id}/verify", headers=wang_token).status_code == 403
    verified = client.post(f"/api/v1/practice/{practice_id}/verify", headers=hr)
    assert verified.status_code == 200 and verified.get_json()["status"] == "verified"

    # Zhao was hired with 24 months of enterprise work: HR asks for an exception, the bureau approves.
    asked = client.post(f"/api/v1/teachers/{zhao['id']}/hire-exception", json={"reason": "急需数控专业教师"}, headers=hr)
    assert asked.status_code == 201 and asked.get_json()["status"] == "requested"
    approved = client.post(f"/api/v1/hire-exceptions/{asked.get_json()['id']}/approve", json={"note": "同意"}, headers=bureau)
    assert approved.get_json()["status"] == "approved"

    # The bureau reads the list and each teacher's compliance; both agree with the engine.
    listing = client.get(f"/api/v1/compliance?as_of={AS_OF}&school_id={school_id}", headers=bureau).get_json()
    rows = {row["teacher_id"]: row for row in listing["items"]}
    assert listing["total"] == 2
    for teacher_id in (wang["id"], zhao["id"]):
        answer = client.get(f"/api/v1/teachers/{teacher_id}/compliance?as_of={AS_OF}", headers=bureau).get_json()
        result = evaluate_teacher(db.session.get(Teacher, teacher_id), date.fromisoformat(AS_OF))
        engine = {rule: getattr(result, rule).to_dict() for rule in ("hire", "practice", "training")}
        assert {k: answer[k] for k in ("hire", "practice", "training")} == engine
        assert rows[teacher_id]["hire"] == engine["hire"]["status"]
        assert rows[teacher_id]["practice"] == engine["practice"]["status"]
        assert rows[teacher_id]["training"] == engine["training"]["status"]

    wang_answer = client.get(f"/api/v1/teachers/{wang['id']}/compliance?as_of={AS_OF}", headers=wang_token).get_json()
    assert wang_answer["hire"]["basis"] == "standard"
    assert (wang_answer["practice"]["status"], wang_answer["practice"]["months"], wang_answer["practice"]["previous"]) == ("met", 10.0, None)
    assert wang_answer["training"]["status"] == "done"
    zhao_answer = client.get(f"/api/v1/teachers/{zhao['id']}/compliance?as_of={AS_OF}", headers=bureau).get_json()
    assert zhao_answer["hire"] == {"status": "exception", "basis": "exception", "experience_months": 24.0, "shortfall_months": 12.0, "reasons": ["experience_short"]}
    # The teacher sees only themselves.
    assert client.get(f"/api/v1/teachers/{zhao['id']}/compliance", headers=wang_token).status_code == 404
