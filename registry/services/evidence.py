"""Evidence files: checked by their content, kept outside static/ under random names, readable by the owner only.

A file is written before its database row is committed and removed again if
the work it belongs to is rolled back (the service's savepoint or the request's
transaction); a row deleted in a committed transaction takes its file with it
(registry.transactions.on_commit / on_rollback). So no row points to a missing
file and no file is left behind by a failed write.
"""
from __future__ import annotations

import codecs
import io
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject
from sqlalchemy import event
from sqlalchemy.orm import Session

from registry import transactions
from registry.errors import Invalid, NotFound
from registry.models import Evidence
from registry.rules.vocabulary import FileType

FIELD = "file"

# content type -> (leading bytes, file name extensions that fit it)
SIGNATURES: dict[FileType, tuple[bytes, tuple[str, ...]]] = {
    FileType.PDF: (b"%PDF-", (".pdf",)),
    FileType.JPEG: (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    FileType.PNG: (b"\x89PNG\r\n\x1a\n", (".png",)),
}
# The `accept` attribute of a file input: every extension and content type above.
ACCEPT = ",".join([extension for _magic, extensions in SIGNATURES.values() for extension in extensions] + list(SIGNATURES))

CHUNK_BYTES = 64 * 1024
FILE_MODE = 0o600  # evidence holds personal data: the server's own user only
FOLDER_MODE = 0o700


@dataclass(frozen=True)
class Upload:
    """A file that passed the checks, held in memory until it is stored."""

    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def max_bytes() -> int:
    return current_app.config["MAX_EVIDENCE_BYTES"]


def too_large_message() -> str:
    return _("文件超过 %(mb)s MB 的上限，请压缩或分成几个文件上传", mb=max_bytes() // (1024 * 1024))


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None when not PDF, JPEG or PNG."""
    for content_type, (magic, _extensions) in SIGNATURES.items():
        if data.startswith(magic):
            if content_type == FileType.PNG and data[12:16] != b"IHDR":
                return None  # a PNG signature glued onto something else
            if content_type == FileType.JPEG and len(data) < 4:
                return None
            return content_type
    return None


def clean_filename(raw: str | None, content_type: str) -> str:
    """The user's own file name, without any path or control characters, with an extension that fits."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    extensions = SIGNATURES[content_type][1]
    if not name:
        name = _("证明材料")
    if not name.lower().endswith(extensions):
        name += extensions[0]
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 254 - len(extension)] + dot + extension
    return name


def remaining_size(stream: BinaryIO) -> int | None:
    """The bytes left in a seekable stream (found by seeking, nothing read); None when it cannot seek."""
    if not stream.seekable():
        return None
    position = stream.tell()
    end = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return end - position


def read_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """The stream's bytes, or None when there are more than `limit`.

    An oversized stream is never read whole: a seekable one (Werkzeug spools large uploads to a temporary
    file) is measured without reading, any other is read in chunks and given up after `limit` + 1 bytes.
    """
    size = remaining_size(stream)
    if size is not None and size > limit:
        return None
    chunks: list[bytes] = []
    received = 0
    while received <= limit:
        chunk = stream.read(min(CHUNK_BYTES, limit + 1 - received))
        if not chunk:
            break
        chunks.append(chunk)
        received += len(chunk)
    return None if received > limit else b"".join(chunks)


def read_upload(stream: BinaryIO | None, filename: str | None) -> Upload:
    """Check one uploaded file: present, not empty, not above the limit, really PDF/JPEG/PNG, no PDF script.

    Raises Invalid({"file": message}) naming what is wrong.
    """
    if stream is None or not (filename or "").strip():
        raise Invalid({FIELD: _("请选择要上传的文件")})
    data = read_at_most(stream, max_bytes())
    if data is None:
        raise Invalid({FIELD: too_large_message()})
    if not data:
        raise Invalid({FIELD: _("文件是空的")})
    if data.startswith(codecs.BOM_UTF8 + b"%PDF-"):
        # Some scanners' software writes a UTF-8 byte order mark before %PDF-; the file is stored as the PDF it is.
        data = data[len(codecs.BOM_UTF8):]
    content_type = sniff(data)
    if content_type is None:
        raise Invalid(
            {FIELD: _("“%(name)s”不是 PDF、JPEG 或 PNG 文件（系统按文件内容检查，改扩展名无效），请上传扫描件或照片",
                      name=(filename or "").strip()[:100])}
        )
    if content_type == FileType.PDF:
        refuse_active_pdf(data)
    return Upload(clean_filename(filename, content_type), content_type, data)


def read_uploads(files) -> list[Upload]:
    """Every non-empty file of a multi-file form field; a bad one refuses them all."""
    return [read_upload(f.stream, f.filename) for f in files if f is not None and f.filename]


# --- PDF with active content ------------------------------------------------------------------

# Keys whose presence makes a PDF act on its own: document or page JavaScript (a /JavaScript name tree, /JS
# code), additional actions fired by opening, closing or printing (/AA), and launching a program (/Launch).
ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/AA", "/Launch"})
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})  # an action dictionary's /S


class UnreadablePdf(Exception):
    """pypdf could not read the file."""


class LockedPdf(UnreadablePdf):
    """The PDF opens only with a password (an owner password alone is no obstacle)."""


def every_object(reader: PdfReader) -> list[PdfObject]:
    """The trailer and each object named by the cross-reference tables or streams, object streams included."""
    references = [IndirectObject(number, generation, reader)
                  for generation, numbers in reader.xref.items() for number in numbers]
    references += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    return [reader.trailer, *references]


def any_active(objects: list[PdfObject]) -> bool:
    """Whether any of the objects, or anything they contain or refer to, has an ACTIVE_KEYS key or action."""
    pending = list(objects)
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # stream dictionaries too; their data need not be decoded
            if not ACTIVE_KEYS.isdisjoint(item.keys()) or item.get("/S") in ACTIVE_ACTIONS:
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def has_active_content(data: bytes) -> bool:
    """Whether a PDF carries JavaScript, additional actions or a launch action in any of its objects.

    pypdf decompresses object streams and decodes escaped names (/J#61vaScript), so hiding does not help.
    A PDF with only an owner password is opened with the empty user password.
    Raises LockedPdf when a password is needed, UnreadablePdf when pypdf cannot read it.
    """
    if data.rstrip().endswith(b"%%EOF") and b"startxref" not in data[-1024:]:
        # A complete file without a pointer to its cross-reference table (some scanners' software writes none): viewers
        # rebuild the table from the objects, and pypdf does the same when pointed at a wrong one, so every object is
        # still checked. A file cut short (no %%EOF) stays unreadable.
        data += b"\nstartxref\n0\n%%EOF\n"
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        active = not locked and any_active(every_object(reader))
    except Exception as exc:  # pypdf raises many kinds on hostile input; any of them means "cannot vouch for it"
        raise UnreadablePdf(str(exc)) from exc
    if locked:
        raise LockedPdf()
    return active


def refuse_active_pdf(data: bytes) -> None:
    """Invalid({"file": …}) when a PDF carries script or launch actions, needs a password, or cannot be read."""
    try:
        active = has_active_content(data)
    except LockedPdf as exc:
        raise Invalid({FIELD: _("PDF 设有打开密码，系统无法检查其内容，请去掉密码后上传")}) from exc
    except UnreadablePdf as exc:
        current_app.logger.info("refused an evidence PDF pypdf could not read: %s", exc)
        raise Invalid({FIELD: _("PDF 文件已损坏或无法读取，请重新导出或扫描后上传")}) from exc
    if active:
        raise Invalid({FIELD: _("PDF 含有脚本或启动动作，不能作为证明材料")})


# --- storage -----------------------------------------------------------------------------------


def folder() -> Path:
    """The upload folder, created owner-only (0700) when it does not exist yet."""
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path


def create_private(path: Path) -> BinaryIO:
    """A new file opened for writing, created with mode 0600 (never widened first); FileExistsError if it exists."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb")


def path_of(evidence: Evidence) -> Path:
    return folder() / evidence.stored_name


def store(upload: Upload) -> str:
    """Write the file under a new random name; return that name.

    The file is removed again if the transaction (or savepoint) it is written in rolls back.
    """
    stored_name = secrets.token_hex(16)
    target = folder() / stored_name
    transactions.on_rollback(lambda: discard([stored_name]))
    with create_private(target) as handle:
        handle.write(upload.data)
    return stored_name


def discard(stored_names: list[str]) -> None:
    for name in stored_names:
        try:
            (folder() / name).unlink(missing_ok=True)
        except OSError:
            current_app.logger.warning("could not remove evidence file %s", name)


# --- deleted rows take their files with them, once the deletion is committed ---


@event.listens_for(Session, "after_flush")
def _unlink_deleted_after_commit(session: Session, _flush_context) -> None:
    names = [obj.stored_name for obj in session.deleted if isinstance(obj, Evidence)]
    if names:
        transactions.on_commit(lambda: discard(names), session)


def stored_path(evidence: Evidence) -> Path:
    """The evidence's file on disk; NotFound (and a logged error) when the file has gone missing."""
    path = path_of(evidence)
    if not path.is_file():
        current_app.logger.error("evidence file %s of evidence %s is missing", evidence.stored_name, evidence.id)
        raise NotFound("evidence")
    return path
