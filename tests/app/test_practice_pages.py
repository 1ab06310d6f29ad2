"""The practice pages: the teacher's own records, HR's review queue, the teacher page's practice section, home."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, PracticeRecord
from registry.services import practice as service
from tests.app.inputs import EXE, PDF, PNG, form_file, upload
from tests.app.test_list_queries import counted

FORM = {"enterprise": "曙光集团", "form": "shadowing", "start": "2024-07-01", "end": "2024-08-31", "description": "跟岗"}


def reload(record) -> PracticeRecord:
    db.session.expire_all()
    return db.session.get(PracticeRecord, record.id)


def confirmation(records) -> dict:
    """The confirmation step's form for `records`, as its page lists them."""
    return {"confirm": "1", "ids": [str(r.id) for r in records], **{f"seen-{r.id}": service.fingerprint(r) for r in records}}


# ---------------------------------------------------------------- teacher

def test_a_teacher_logs_a_placement_with_its_evidence_in_one_form(two_schools, login):
    response = login(two_schools["teacher"]).post(
        "/practice/", data={**FORM, "file": form_file(PDF, "证明.pdf"), "save": "1"},
        content_type="multipart/form-data", follow_redirects=True,
    )
    assert "实践记录已保存为计划" in response.get_data(as_text=True)
    record = db.session.scalars(select(PracticeRecord)).one()
    assert (record.enterprise, record.status, record.end) == ("曙光集团", "planned", date(2024, 8, 31))
    assert [e.filename for e in record.evidence] == ["证明.pdf"]


def test_an_end_before_the_start_is_shown_on_the_end_field(two_schools, login):
    response = login(two_schools["teacher"]).post("/practice/", data={**FORM, "start": "2024-09-01", "end": "2024-08-01"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.get_data(as_text=True)


def test_a_teacher_can_save_and_submit_at_once(two_schools, login):
    login(two_schools["teacher"]).post("/practice/", data={**FORM, "submit_review": "1"})
    assert db.session.scalars(select(PracticeRecord)).one().status == "submitted"


def test_bad_input_is_shown_field_by_field_in_chinese_and_nothing_is_saved(two_schools, login):
    response = login(two_schools["teacher"]).post(
        "/practice/", data={**FORM, "enterprise": "", "start": "2024-09-01", "end": "2024-08-01", "form": "",
                            "file": form_file(EXE, "证明.pdf")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不能为空" in page and "必填项" in page
    assert "不是 PDF、JPEG 或 PNG 文件" in page
    assert "需要重新选择" not in page  # the file's own error says what to do with it
    assert db.session.scalar(select(PracticeRecord.id)) is None


def test_a_refused_form_names_the_files_chosen_in_it_to_choose_again(two_schools, make, login):
    client = login(two_schools["teacher"])
    response = client.post("/practice/", data={**FORM, "form": "", "file": [form_file(PDF, "证明.pdf"),
                                                                         form_file(PNG, "照片.png")], "save": "1"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "记录没有保存，已选的文件（证明.pdf、照片.png）需要重新选择。" in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticeRecord.id)) is None
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="rejected")
    response = client.post(f"/practice/{record.id}/edit", data={**FORM, "end": "2024-06-01",
                                                                "file": form_file(PDF, "补充证明.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "已选的文件（补充证明.pdf）需要重新选择" in response.get_data(as_text=True)


def test_the_list_shows_status_reject_reason_and_evidence(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    service.add_evidence(two_schools["teacher"], record.id, [upload(PNG, "考核表.png")])
    service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "请补充企业盖章的证明"})
    page = login(two_schools["teacher"]).get("/practice/").get_data(as_text=True)
    assert "已退回" in page and "请补充企业盖章的证明" in page and "考核表.png" in page
    assert "重新提交审核" in page


def test_a_rejected_record_is_corrected_and_submitted_again_on_the_edit_page(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="rejected")
    client = login(two_schools["teacher"])
    assert "材料不全" in client.get(f"/practice/{record.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/practice/{record.id}/edit", data={**FORM, "end": "2024-08-30", "submit_review": "1"}, follow_redirects=True
    )
    assert "修改已保存并提交审核" in response.get_data(as_text=True)
    record = reload(record)
    assert (record.status, record.end, record.reject_reason) == ("submitted", date(2024, 8, 30), None)


def test_a_verified_record_cannot_be_edited_on_the_page(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="verified")
    client = login(two_schools["teacher"])
    response = client.get(f"/practice/{record.id}/edit", follow_redirects=True)
    assert "已锁定" in response.get_data(as_text=True)
    response = client.post(f"/practice/{record.id}/delete", follow_redirects=True)
    assert "已锁定" in response.get_data(as_text=True)
    assert reload(record) is not None


def test_a_teacher_submits_and_deletes_on_the_page(two_schools, make, login):
    planned = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="planned")
    other = make.practice(two_schools["teacher_record"], "2025-07-01", "2025-08-31", status="planned")
    client = login(two_schools["teacher"])
    client.post(f"/practice/{planned.id}/submit")
    client.post(f"/practice/{other.id}/delete")
    assert reload(planned).status == "submitted"
    assert reload(other) is None


@pytest.mark.parametrize("who", ["hr", "bureau", "admin"])
def test_only_teachers_have_a_my_practice_page(two_schools, login, who):
    assert login(two_schools[who]).get("/practice/").status_code == 403


def test_a_teacher_cannot_touch_a_colleagues_record(two_schools, make, login):
    record = make.practice(two_schools["colleague_record"], "2024-07-01", "2024-08-31", status="planned")
    client = login(two_schools["teacher"])
    assert client.get(f"/practice/{record.id}/edit").status_code == 404
    assert client.post(f"/practice/{record.id}/delete").status_code == 404
    assert client.post(f"/practice/{record.id}/evidence", data={"file": form_file(PDF)},
                       content_type="multipart/form-data").status_code == 404
    assert reload(record) is not None


# --------------------------------------------------------------------- HR

def test_the_review_queue_shows_the_own_schools_submitted_records_oldest_first_with_previews(two_schools, make, login):
    newer = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", enterprise="新提交公司")
    older = make.practice(two_schools["colleague_record"], "2024-07-01", "2024-08-31", status="submitted", enterprise="早提交公司")
    newer.submitted_at, older.submitted_at = datetime(2025, 5, 2, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)
    db.session.commit()
    make.practice(two_schools["outsider_record"], "2024-07-01", "2024-08-31", status="submitted", enterprise="外校公司")
    make.practice(two_schools["teacher_record"], "2023-07-01", "2023-08-31", status="verified", enterprise="已审公司")
    pdf = service.add_evidence(two_schools["teacher"], newer.id, [upload(PDF, "证明.pdf")])[0]
    png = service.add_evidence(two_schools["colleague"], older.id, [upload(PNG, "照片.png")])[0]

    page = login(two_schools["hr"]).get("/practice/review").get_data(as_text=True)
    assert page.index("早提交公司") < page.index("新提交公司")
    assert "外校公司" not in page and "已审公司" not in page
    assert f'<iframe class="evidence-preview" src="/practice/evidence/{pdf.id}"' in page
    assert f'src="/practice/evidence/{png.id}"' in page


@pytest.mark.parametrize("who", ["teacher", "bureau", "admin"])
def test_only_hr_has_a_review_queue(two_schools, login, who):
    assert login(two_schools[who]).get("/practice/review").status_code == 403


def test_hr_verifies_and_rejects_in_one_step_each(two_schools, make, login):
    first = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    second = make.practice(two_schools["teacher_record"], "2025-07-01", "2025-08-31", status="submitted")
    client = login(two_schools["hr"])
    assert "已审核通过" in client.post(f"/practice/{first.id}/verify", follow_redirects=True).get_data(as_text=True)
    client.post(f"/practice/{second.id}/reject", data={"reason": "日期与证明不符"})
    assert reload(first).status == "verified"
    assert (reload(second).status, reload(second).reject_reason) == ("rejected", "日期与证明不符")


def test_rejecting_without_a_reason_is_refused_with_a_message(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    response = login(two_schools["hr"]).post(f"/practice/{record.id}/reject", data={"reason": ""}, follow_redirects=True)
    assert "退回时请填写理由" in response.get_data(as_text=True)
    assert reload(record).status == "submitted"


def test_a_second_click_on_verify_explains_instead_of_failing(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    client = login(two_schools["hr"])
    client.post(f"/practice/{record.id}/verify")
    response = client.post(f"/practice/{record.id}/verify", follow_redirects=True)
    assert response.status_code == 200
    assert "只能审核“待审核”的记录" in response.get_data(as_text=True)


def test_hr_of_another_school_gets_404(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    client = login(two_schools["hr_other"])
    assert client.post(f"/practice/{record.id}/verify").status_code == 404
    assert client.post(f"/practice/{record.id}/reject", data={"reason": "x"}).status_code == 404
    assert reload(record).status == "submitted"


def test_hr_bulk_verifies_the_selected_records_after_confirming_the_list(two_schools, make, login):
    records = [make.practice(two_schools["teacher_record"], f"202{y}-07-01", f"202{y}-08-31", status="submitted",
                             evidence=True) for y in (2, 3, 4)]
    client = login(two_schools["hr"])
    listed = client.post("/practice/verify", data={"ids": [str(records[0].id), str(records[1].id)]})
    assert listed.status_code == 200 and "确认审核通过这 2 条记录" in listed.get_data(as_text=True)
    assert [reload(r).status for r in records] == ["submitted"] * 3, "listing changes nothing"
    response = client.post("/practice/verify", data=confirmation(records[:2]), follow_redirects=True)
    assert "已批量审核通过 2 条记录" in response.get_data(as_text=True)
    assert [reload(r).status for r in records] == ["verified", "verified", "submitted"]


def test_bulk_verify_with_nothing_selected_says_so(two_schools, login):
    response = login(two_schools["hr"]).post("/practice/verify", data={}, follow_redirects=True)
    assert "请先勾选" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad_id", ["²", "٣", "0", "-1", str(2**31), str(2**64), "1e3"])
def test_bulk_verify_with_a_malformed_id_says_so_and_changes_nothing(two_schools, make, login, bad_id):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    response = login(two_schools["hr"]).post(
        "/practice/verify", data={"ids": [str(record.id), bad_id]}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "所选记录有误" in response.get_data(as_text=True)
    assert reload(record).status == "submitted"


def test_hr_reopens_a_verified_record_from_the_teacher_page(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="verified")
    client = login(two_schools["hr"])
    page = client.get(f"/teachers/{two_schools['teacher_record'].id}").get_data(as_text=True)
    assert f"/practice/{record.id}/reopen" in page
    response = client.post(f"/practice/{record.id}/reopen", data={"reason": "证明日期有误"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teachers/{two_schools['teacher_record'].id}#practice")
    assert reload(record).status == "submitted"
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "reopen")) is not None


def test_a_redirect_target_outside_the_site_is_ignored(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    response = login(two_schools["hr"]).post(f"/practice/{record.id}/verify", data={"next": "https://evil.example/"})
    assert "evil.example" not in response.headers["Location"]


def test_the_teacher_page_shows_evidence_and_review_buttons_only_to_hr_of_the_school(two_schools, make, login, client):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    item = service.add_evidence(two_schools["teacher"], record.id, [upload(PDF, "企业证明.pdf")])[0]
    url = f"/teachers/{two_schools['teacher_record'].id}"
    hr_page = login(two_schools["hr"]).get(url).get_data(as_text=True)
    assert f"/practice/evidence/{item.id}" in hr_page and "企业证明.pdf" in hr_page
    assert f"/practice/{record.id}/verify" in hr_page and "待审核" in hr_page
    client.post("/logout")
    bureau_page = login(two_schools["bureau"]).get(url).get_data(as_text=True)
    assert f"/practice/evidence/{item.id}" in bureau_page
    assert f"/practice/{record.id}/verify" not in bureau_page


# ------------------------------------------------------------------- home

def test_the_teachers_home_shows_cycle_progress_forecast_and_training(two_schools, make, login):
    teacher = two_schools["teacher_record"]
    make.practice(teacher, "2022-07-01", "2022-08-31", status="verified")
    make.practice(teacher, "2023-07-01", "2023-10-31", status="submitted")
    make.training(teacher, "2024-06-30")
    page = login(two_schools["teacher"]).get("/?as_of=2024-12-31").get_data(as_text=True)
    assert "周期 2022-03-01 至 2027-02-28" in page
    assert "已审核 2 / 10 个月" in page and "待审核 4 个月" in page
    assert "截至 2024-12-31 应累计完成 4 个月" in page
    assert "现在的状态是「进度落后」" in page and "状态为「进度正常」" in page
    assert "全员轮训" in page and "2024-06-30" in page
    assert "这是您的第一个周期" in page


def test_the_review_queue_costs_the_same_queries_however_many_records_wait(two_schools, make, login):
    def queries() -> int:
        client = login(two_schools["hr"])
        client.get("/practice/review")  # the first reader brings the stored verdicts up to date
        db.session.expire_all()  # nothing the factories loaded is reused
        with counted() as seen:
            assert client.get("/practice/review").status_code == 200
        return len(seen)

    school = two_schools["teacher_record"].school
    make.practice(make.teacher(school), "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    few = queries()
    for n in range(12):
        teacher = make.teacher(school)
        make.practice(teacher, "2023-07-01", "2023-08-31")
        make.practice(teacher, f"2024-{1 + n % 6:02d}-01", f"2024-{1 + n % 6:02d}-28", status="submitted", evidence=True)
    assert queries() == few


def test_hr_attaches_a_paper_certificate_to_a_waiting_record_of_its_school_from_the_review_queue(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    client = login(two_schools["hr"])
    assert f'data-upload="{record.id}"' in client.get("/practice/review").get_data(as_text=True)
    response = client.post(f"/practice/{record.id}/evidence", data={"file": form_file(PDF, "实践证明.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/practice/review#practice-{record.id}")
    assert [e.filename for e in reload(record).evidence] == ["实践证明.pdf"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "evidence")).one()
    assert (event.action, event.actor_id) == ("upload", two_schools["hr"].id)
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "verified"


def test_hr_of_another_school_cannot_attach_evidence(two_schools, make, login):
    record = make.practice(two_schools["outsider_record"], "2024-07-01", "2024-08-31", status="submitted")
    response = login(two_schools["hr"]).post(f"/practice/{record.id}/evidence", data={"file": form_file(PDF, "x.pdf")},
                                             content_type="multipart/form-data")
    assert response.status_code == 404 and reload(record).evidence == []
