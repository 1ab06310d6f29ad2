"""Evidence files against an attacker: private on disk, PDFs that act on their own refused, oversized uploads
refused before they are read, and files served so that a browser never runs them."""
from __future__ import annotations

import io
import os
import stat
import zlib
from pathlib import Path

import pytest
from flask import current_app
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from registry.errors import Invalid
from registry.extensions import db
from registry.models import Evidence
from registry.services import evidence as files
from registry.services import practice as service
from tests.app.inputs import JPEG, PDF, PNG, post_files, upload

MB = 1024 * 1024
SANDBOX = "sandbox; frame-ancestors 'self'"  # previewed in a frame of the review page, by no other site
ACTIVE = "PDF 含有脚本或启动动作，不能作为证明材料"


@pytest.fixture
def world(two_schools, make):
    """The two schools, a planned record of 本人's, and bearer tokens for the accounts."""
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="planned")
    return {**two_schools, "record": record, "tokens": make.tokens(two_schools["accounts"])}


def add(world, data: bytes, filename: str = "证明.pdf") -> Evidence:
    return service.add_evidence(world["teacher"], world["record"].id, [upload(data, filename)])[0]


def refusal(world, data: bytes, filename: str = "证明.pdf") -> str:
    """The message on the file field when the upload is refused; nothing is kept."""
    with pytest.raises(Invalid) as caught:
        add(world, data, filename)
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    assert list(Path(current_app.config["UPLOAD_FOLDER"]).iterdir()) == []
    return caught.value.errors["file"]


# ------------------------------------------------------------------ PDFs written by pypdf

def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def action(kind: str, **entries: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject(kind),
                             **{NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}})


def with_document_javascript() -> bytes:
    writer = one_page()
    writer.add_open_action(JavaScript("app.alert('hi');"))  # the catalog's /Names /JavaScript name tree
    return written(writer)


def with_open_action(kind: str, **entries: str) -> bytes:
    writer = one_page()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action(kind, **entries))
    return written(writer)


def with_page_open_script() -> bytes:
    writer = one_page()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert('page');"))  # the page's /AA
    return written(writer)


def with_launch_link() -> bytes:
    writer = one_page()
    link = Link(rect=(10, 10, 100, 40), url="https://example.org/")
    link[NameObject("/A")] = action("/Launch", F="C:\\Windows\\System32\\cmd.exe")
    writer.add_annotation(page_number=0, annotation=link)
    return written(writer)


def with_javascript_field_action() -> bytes:
    writer = one_page()
    field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("x"),
                              NameObject("/A"): action("/JavaScript", JS="this.print();")})
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])})
    return written(writer)


def encrypted(writer: PdfWriter, user_password: str) -> bytes:
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-256")
    return written(writer)


def owner_password_only_with_script() -> bytes:
    writer = one_page()
    writer.add_open_action(JavaScript("app.alert(2);"))
    return encrypted(writer, "")


def in_object_stream(open_action: bytes) -> bytes:
    """A PDF 1.5 whose catalog, page tree, page and open action sit in one Flate-compressed object stream,
    found through a cross-reference stream (as many office programs and scanners write them)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        open_action,
    ]
    index, body = b"", b""
    for number, obj in enumerate(objects, start=1):
        index += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    packed = zlib.compress(index + body)
    out = b"%PDF-1.5\n"
    stream_at = len(out)
    out += (b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(index), len(packed)) + packed + b"\nendstream\nendobj\n")
    xref_at = len(out)
    rows = [b"\x00" + bytes(4) + b"\xff\xff"]  # object 0: the head of the free list
    rows += [b"\x02" + (5).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(len(objects))]
    rows += [b"\x01" + stream_at.to_bytes(4, "big") + bytes(2), b"\x01" + xref_at.to_bytes(4, "big") + bytes(2)]
    table = b"".join(rows)
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out


HIDDEN_SCRIPT = in_object_stream(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")


@pytest.mark.parametrize("data", [
    pytest.param(with_document_javascript(), id="document JavaScript name tree"),
    pytest.param(with_open_action("/JavaScript", JS="app.alert(1)"), id="OpenAction with JavaScript"),
    pytest.param(with_page_open_script(), id="page additional action (AA)"),
    pytest.param(with_javascript_field_action(), id="form field JavaScript action"),
    pytest.param(with_open_action("/Launch", F="calc.exe"), id="OpenAction launching a program"),
    pytest.param(with_launch_link(), id="link annotation launching a program"),
    pytest.param(HIDDEN_SCRIPT, id="JavaScript with escaped names in a compressed object stream"),
    pytest.param(owner_password_only_with_script(), id="JavaScript in a PDF with only an owner password"),
])
def test_a_pdf_that_acts_on_its_own_is_refused_with_a_clear_message(world, data):
    assert refusal(world, data) == ACTIVE


def test_the_hidden_script_is_not_visible_in_the_raw_bytes():
    # The object-stream case above is found by reading the PDF's objects, not by searching its bytes.
    assert b"JavaScript" not in HIDDEN_SCRIPT and b"/JS" not in HIDDEN_SCRIPT


@pytest.mark.parametrize("data", [
    pytest.param(PDF, id="a hand-written one-page PDF"),
    pytest.param(written(one_page()), id="written by pypdf"),
    pytest.param(in_object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>"), id="object stream with a GoTo open action"),
    pytest.param(encrypted(one_page(), ""), id="only an owner password"),
    pytest.param(PDF + b"0" * 1000, id="bytes after the end marker"),
])
def test_an_ordinary_pdf_is_accepted(world, data):
    assert add(world, data).content_type == "application/pdf"


def test_a_pdf_behind_a_byte_order_mark_is_stored_as_the_pdf_it_is_and_still_checked_for_script(world):
    """Some scanners' software writes a UTF-8 byte order mark before %PDF- (shared case 31b)."""
    scanned = (Path(__file__).resolve().parents[3] / "shared" / "cases" / "spreadsheets" / "31b_evidence_pdf_leading_bom.pdf").read_bytes()
    evidence = add(world, scanned)
    assert evidence.content_type == "application/pdf"
    assert files.stored_path(evidence).read_bytes() == scanned.removeprefix(b"\xef\xbb\xbf")
    db.session.delete(evidence)
    db.session.commit()
    assert refusal(world, b"\xef\xbb\xbf" + with_document_javascript()) == ACTIVE


def test_a_pdf_that_needs_a_password_to_open_is_refused_because_it_cannot_be_checked(world):
    assert refusal(world, encrypted(one_page(), "user-secret")) == "PDF 设有打开密码，系统无法检查其内容，请去掉密码后上传"


@pytest.mark.parametrize("data", [
    pytest.param(b"%PDF-1.7\n" + b"\x00" * 200, id="a PDF header on zeros"),
    pytest.param(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R", id="cut off"),
    pytest.param(PDF[: len(PDF) // 2], id="the first half of a PDF"),
])
def test_a_pdf_that_cannot_be_read_is_refused_with_a_clear_message(world, data):
    assert refusal(world, data) == "PDF 文件已损坏或无法读取，请重新导出或扫描后上传"


def test_the_api_answers_400_naming_the_file_field_for_a_pdf_with_script(client, world):
    response = post_files(client, f"/api/v1/practice/{world['record'].id}/evidence",
                          [(HIDDEN_SCRIPT, "证明.pdf")], world["tokens"]["teacher"])
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"file": ACTIVE}


def test_the_page_tells_the_teacher_in_chinese_why_a_pdf_with_script_was_refused(world, login):
    client = login(world["teacher"])
    response = post_files(client, f"/practice/{world['record'].id}/evidence", [(with_document_javascript(), "证明.pdf")])
    assert response.status_code == 302
    assert ACTIVE in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


# ------------------------------------------------------------------ oversized uploads

class CountingStream(io.RawIOBase):
    """`size` bytes of a PDF-looking upload, made as they are read; counts what was read."""

    def __init__(self, size: int, seekable: bool):
        self.size, self.position, self.read_bytes, self._seekable = size, 0, 0, seekable

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._seekable

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        self.position = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.size}[whence] + offset
        return self.position

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = (PDF + bytes(self.size))[self.position:self.position + count] if self.position < len(PDF) \
            else bytes(count)
        self.position += count
        self.read_bytes += count
        return count


def test_an_oversized_upload_that_can_be_measured_is_refused_without_reading_it(world):
    stream = CountingStream(files.max_bytes() + 5 * MB, seekable=True)
    with pytest.raises(Invalid) as caught:
        files.read_upload(stream, "大文件.pdf")
    assert "10 MB" in caught.value.errors["file"]
    assert stream.read_bytes == 0


def test_an_oversized_stream_is_read_no_further_than_one_byte_past_the_limit(world):
    stream = CountingStream(files.max_bytes() + 5 * MB, seekable=False)
    with pytest.raises(Invalid) as caught:
        files.read_upload(stream, "大文件.pdf")
    assert "10 MB" in caught.value.errors["file"]
    assert stream.read_bytes == files.max_bytes() + 1


def test_a_stream_of_exactly_the_limit_is_read_whole(world):
    stream = CountingStream(files.max_bytes(), seekable=False)
    assert files.read_upload(stream, "证明.pdf").size == files.max_bytes()


def test_a_request_above_the_servers_limit_is_a_clear_400_in_the_api(client, world):
    body = b"{" + b" " * (current_app.config["MAX_CONTENT_LENGTH"] + 1) + b"}"
    response = client.patch(f"/api/v1/practice/{world['record'].id}", data=body, content_type="application/json",
                           headers=world["tokens"]["teacher"])
    assert response.status_code == 400
    assert "10 MB" in response.get_json()["errors"]["__all__"]


# ------------------------------------------------------------------ on disk

def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_stored_file_is_readable_and_writable_by_the_server_user_only(world):
    item = add(world, PDF)
    assert mode_of(Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name) == 0o600


def test_a_stored_file_is_private_from_its_creation_whatever_the_umask(world):
    previous = os.umask(0)  # a chmod after writing would leave a moment with the file world-readable
    try:
        item = add(world, PNG, "照片.png")
    finally:
        os.umask(previous)
    assert mode_of(Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name) == 0o600


def test_the_upload_folder_is_created_for_the_server_user_only(app, ctx, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "instance" / "evidence"))
    assert mode_of(files.folder()) == 0o700


def test_a_stored_name_never_overwrites_an_existing_file(world, tmp_path):
    target = tmp_path / "taken"
    target.write_bytes(b"kept")
    with pytest.raises(FileExistsError):
        files.create_private(target)
    assert target.read_bytes() == b"kept"


# ------------------------------------------------------------------ serving

def fetch(client, url: str, headers: dict | None = None):
    """GET a file and close it (a streamed file stays open until the response is closed)."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("data, filename, content_type", [
    (PDF, "企业实践证明.pdf", "application/pdf"), (JPEG, "现场照片.jpg", "image/jpeg"), (PNG, "考核表.png", "image/png"),
])
def test_pdf_jpeg_and_png_are_shown_inline_in_a_sandbox_without_sniffing(world, login, data, filename, content_type):
    item = add(world, data, filename)
    response = fetch(login(world["hr"]), f"/practice/evidence/{item.id}")
    assert response.status_code == 200 and response.mimetype == content_type
    assert response.headers["Content-Disposition"].startswith("inline")
    # The final headers, after every after-request hook (the site-wide security headers included).
    assert response.headers.getlist("Content-Security-Policy") == [SANDBOX]
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_chinese_file_name_is_sent_in_rfc_5987_form_with_an_ascii_fallback(world, login):
    item = add(world, PDF, "企业实践证明.pdf")
    disposition = fetch(login(world["teacher"]), f"/practice/evidence/{item.id}?download=1").headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%AE%9E%E8%B7%B5%E8%AF%81%E6%98%8E.pdf" in disposition
    assert disposition.isascii()


def test_a_stored_file_whose_bytes_are_no_longer_its_type_is_only_offered_as_a_download(world, login):
    item = add(world, PDF, "证明.pdf")
    (Path(current_app.config["UPLOAD_FOLDER"]) / item.stored_name).write_bytes(b"<html><script>alert(1)</script>")
    response = fetch(login(world["hr"]), f"/practice/evidence/{item.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers.getlist("Content-Security-Policy") == [SANDBOX]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_api_sends_the_file_as_an_attachment_with_the_same_protection(client, world):
    item = add(world, PDF, "证明.pdf")
    db.session.commit()
    response = fetch(client, f"/api/v1/evidence/{item.id}", world["tokens"]["bureau"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers.getlist("Content-Security-Policy") == [SANDBOX]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
