"""Evidence files: checked by content and size, stored outside static/, served only inside the record's scope."""
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from registry.errors import Conflict, Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, Evidence
from registry.services import practice as service
from tests.app.inputs import EXE, JPEG, PDF, PNG, form_file, post_files, upload

MB = 1024 * 1024


@pytest.fixture
def world(two_schools, make):
    """The two schools, and a planned record of 本人's to attach evidence to."""
    return {**two_schools, "record": make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="planned")}


def stored_files() -> set[str]:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.mark.parametrize(
    "data, filename, content_type",
    [(PDF, "证明.pdf", "application/pdf"), (JPEG, "现场照片.JPG", "image/jpeg"), (PNG, "考核表.png", "image/png")],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(world, data, filename, content_type):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(data, filename)])[0]
    assert (item.filename, item.content_type, item.size) == (filename, content_type, len(data))
    path = Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name
    assert path.read_bytes() == data


def test_the_stored_name_is_random_and_unrelated_to_the_users_file_name(world):
    first = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF, "证明.pdf")])[0]
    second = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF, "证明.pdf")])[0]
    assert first.stored_name != second.stored_name
    assert all(len(name) == 32 and int(name, 16) >= 0 for name in (first.stored_name, second.stored_name))


def test_files_are_kept_outside_the_static_folder(app):
    upload_folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert not upload_folder.is_relative_to(Path(app.static_folder).resolve())
    from registry.config import Config

    assert not Path(Config.UPLOAD_FOLDER).resolve().is_relative_to(Path(app.static_folder).resolve())


def test_a_renamed_exe_is_refused_with_a_clear_message(world):
    with pytest.raises(Invalid) as caught:
        service.add_evidence(world["teacher"], world["record"].id, [upload(EXE, "实践证明.pdf")])
    message = caught.value.errors["file"]
    assert "PDF" in message and "JPEG" in message and "PNG" in message and "扩展名" in message
    assert db.session.scalar(select(Evidence.id)) is None
    assert stored_files() == set()


def test_a_png_signature_on_something_else_is_refused(world):
    with pytest.raises(Invalid):
        service.add_evidence(world["teacher"], world["record"].id, [upload(b"\x89PNG\r\n\x1a\n" + EXE, "x.png")])


def test_a_file_of_exactly_10_mb_is_accepted(world):
    data = PDF + b"0" * (10 * MB - len(PDF))
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(data)])[0]
    assert item.size == 10 * MB


def test_a_file_of_10_mb_and_one_byte_is_refused(world):
    data = PDF + b"0" * (10 * MB + 1 - len(PDF))
    with pytest.raises(Invalid) as caught:
        service.add_evidence(world["teacher"], world["record"].id, [upload(data)])
    assert "10 MB" in caught.value.errors["file"]
    assert stored_files() == set()


def test_an_empty_file_is_refused(world):
    with pytest.raises(Invalid) as caught:
        service.add_evidence(world["teacher"], world["record"].id, [upload(b"", "空.pdf")])
    assert caught.value.errors["file"] == "文件是空的"


def test_one_bad_file_among_several_refuses_them_all(world):
    with pytest.raises(Invalid):
        service.add_evidence(world["teacher"], world["record"].id, [upload(PDF), upload(EXE, "病毒.png")])
    assert db.session.scalar(select(Evidence.id)) is None
    assert stored_files() == set()


def test_a_path_in_the_file_name_is_dropped_and_a_fitting_extension_added(world):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF, "C:\\Users\\张\\..\\证明")])[0]
    assert item.filename == "证明.pdf"


def test_the_upload_is_audited(world):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])[0]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "upload")).one()
    assert (event.entity, event.entity_id) == ("evidence", item.id)
    assert event.teacher_id == world["teacher_record"].id and event.changes["after"]["filename"] == "实践证明.pdf"


def test_a_failed_database_write_leaves_no_file_behind(world, monkeypatch):
    def broken_write(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service, "record_event", broken_write)  # fails after the file was stored
    with pytest.raises(RuntimeError):
        service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])
    monkeypatch.undo()
    assert stored_files() == set()
    assert db.session.scalar(select(Evidence.id)) is None


def test_a_failed_commit_of_the_request_leaves_no_file_behind(world):
    service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])
    db.session.rollback()  # the request's transaction fails after the service succeeded
    assert stored_files() == set()
    assert db.session.scalar(select(Evidence.id)) is None


def test_a_file_stays_once_its_request_commits(world):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])[0]
    db.session.commit()
    assert stored_files() == {item.stored_name}


def test_a_failed_file_write_leaves_no_row_behind(world, monkeypatch):
    from registry.services import evidence

    def broken_store(_upload):
        raise OSError("disk full")

    monkeypatch.setattr(evidence, "store", broken_store)
    with pytest.raises(OSError):
        service.create_practice(
            world["teacher"], world["teacher_record"].id,
            {"enterprise": "曙光集团", "start": "2025-07-01", "end": "2025-07-31", "form": "visit"}, [upload(PDF)],
        )
    assert db.session.scalar(select(Evidence.id)) is None
    assert len(world["teacher_record"].practice) == 1  # only the fixture's record


def test_deleting_evidence_removes_its_file(world):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])[0]
    name = item.stored_name
    service.delete_evidence(world["teacher"], item.id)
    assert name in stored_files()  # until the deletion is committed
    db.session.commit()
    assert name not in stored_files()
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "delete", AuditEvent.entity == "evidence"))


def test_deleting_a_record_or_its_teacher_removes_the_files(world, make):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])[0]
    service.delete_practice(world["teacher"], world["record"].id)
    db.session.commit()
    assert item.stored_name not in stored_files()

    other = make.practice(world["teacher_record"], "2025-07-01", "2025-07-31", status="planned")
    kept = service.add_evidence(world["teacher"], other.id, [upload(PNG, "a.png")])[0]
    assert kept.stored_name in stored_files()
    db.session.delete(world["teacher_record"])
    db.session.commit()
    assert stored_files() == set()


def test_a_rolled_back_deletion_keeps_the_file(world):
    item = service.add_evidence(world["teacher"], world["record"].id, [upload(PDF)])[0]
    db.session.commit()
    db.session.delete(item)
    db.session.flush()
    db.session.rollback()
    assert item.stored_name in stored_files()


def test_evidence_cannot_be_added_to_or_removed_from_a_verified_record(world, make):
    record = make.practice(world["teacher_record"], "2023-07-01", "2023-08-31", status="submitted")
    item = service.add_evidence(world["teacher"], record.id, [upload(PDF)])[0]
    service.review_practice(world["hr"], record.id, "verify")
    with pytest.raises(Conflict):
        service.add_evidence(world["teacher"], record.id, [upload(PNG, "b.png")])
    with pytest.raises(Conflict):
        service.delete_evidence(world["teacher"], item.id)


@pytest.mark.parametrize("who, error", [("colleague", NotFound), ("hr_other", NotFound), ("bureau", Forbidden)])
def test_only_the_teacher_and_the_hr_of_their_school_upload_to_a_record(world, who, error):
    with pytest.raises(error):
        service.add_evidence(world[who], world["record"].id, [upload(PDF)])
    assert [e.filename for e in service.add_evidence(world["hr"], world["record"].id, [upload(PDF, "纸质证明.pdf")])] == ["纸质证明.pdf"]


# ------------------------------------------------------------------- download

def fetch(client, url: str):
    """GET a file and close it (a streamed file stays open until the response is closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def stored(world):
    return service.add_evidence(world["teacher"], world["record"].id, [upload(PDF, "企业实践证明.pdf")])[0]


@pytest.mark.parametrize("who", ["teacher", "hr", "bureau", "admin"])
def test_those_who_may_see_the_record_download_the_file_with_its_name_and_type(world, stored, login, who):
    response = fetch(login(world[who]), f"/practice/evidence/{stored.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline") and "filename*=UTF-8''%E4%BC%81%E4%B8%9A" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_download_link_can_ask_for_an_attachment(world, stored, login):
    response = fetch(login(world["teacher"]), f"/practice/evidence/{stored.id}?download=1")
    assert response.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["colleague", "hr_other"])
def test_others_get_404_for_the_file(world, stored, login, who):
    assert login(world[who]).get(f"/practice/evidence/{stored.id}").status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(world, stored, client):
    response = client.get(f"/practice/evidence/{stored.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_file_is_not_reachable_under_static(world, stored, client, login):
    signed_in = login(world["teacher"])
    for path in (f"/static/{stored.stored_name}", f"/static/evidence/{stored.stored_name}", f"/static/../instance/evidence/{stored.stored_name}"):
        assert signed_in.get(path).status_code == 404


def test_a_missing_file_on_disk_is_a_404_not_a_crash(world, stored, login):
    (Path(current_app.config["UPLOAD_FOLDER"]) / stored.stored_name).unlink()
    assert login(world["teacher"]).get(f"/practice/evidence/{stored.id}").status_code == 404


# ------------------------------------------------------------------ the pages

def test_the_page_refuses_a_renamed_exe_with_a_chinese_message(world, login):
    response = login(world["teacher"]).post(
        f"/practice/{world['record'].id}/evidence", data={"file": form_file(EXE, "证明.pdf")},
        content_type="multipart/form-data", follow_redirects=True,
    )
    assert "不是 PDF、JPEG 或 PNG 文件" in response.get_data(as_text=True)
    assert stored_files() == set()


def test_the_page_refuses_a_request_above_the_upload_limit_with_a_chinese_message(world, login):
    big = PDF + b"0" * (13 * MB)
    client = login(world["teacher"])
    response = post_files(client, f"/practice/{world['record'].id}/evidence", [(big, "证明.pdf")])
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert "文件超过 10 MB 的上限" in response.get_data(as_text=True)
    assert stored_files() == set()


def test_the_page_uploads_several_files_at_once(world, login):
    response = login(world["teacher"]).post(
        f"/practice/{world['record'].id}/evidence",
        data={"file": [form_file(PDF, "证明.pdf"), form_file(JPEG, "照片.jpg")]},
        content_type="multipart/form-data", follow_redirects=True,
    )
    assert "已上传 2 个文件" in response.get_data(as_text=True)
    assert len(stored_files()) == 2


def test_the_teacher_deletes_a_file_on_the_page(world, stored, login):
    response = login(world["teacher"]).post(f"/practice/evidence/{stored.id}/delete", follow_redirects=True)
    assert "证明材料已删除" in response.get_data(as_text=True)
    assert stored_files() == set()
