"""Evidence files: checked by their content, kept outside static/ under random names.

A file is written before its database row is committed and removed again if
the work it belongs to is rolled back (the service's savepoint or the request's
transaction); a row deleted in a committed transaction takes its file with it
(registry.transactions.on_commit / on_rollback). So no row points to a missing
file and no file is left behind by a failed write.
"""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
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


def read_upload(stream: BinaryIO | None, filename: str | None) -> Upload:
    """Check one uploaded file: present, not empty, not above the limit, really PDF/JPEG/PNG."""
    if stream is None or not (filename or "").strip():
        raise Invalid({FIELD: _("请选择要上传的文件")})
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise Invalid({FIELD: _("文件是空的")})
    if len(data) > limit:
        raise Invalid({FIELD: too_large_message()})
    content_type = sniff(data)
    if content_type is None:
        raise Invalid(
            {FIELD: _("“%(name)s”不是 PDF、JPEG 或 PNG 文件（系统按文件内容检查，改扩展名无效），请上传扫描件或照片",
                      name=(filename or "").strip()[:100])}
        )
    return Upload(clean_filename(filename, content_type), content_type, data)


def read_uploads(files) -> list[Upload]:
    """Every non-empty file of a multi-file form field; a bad one refuses them all."""
    return [read_upload(f.stream, f.filename) for f in files if f is not None and f.filename]


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(evidence: Evidence) -> Path:
    return folder() / evidence.stored_name


def store(upload: Upload) -> str:
    """Write the file under a new random name; return that name.

    The file is removed again if the transaction (or savepoint) it is written in rolls back.
    """
    stored_name = secrets.token_hex(16)
    target = folder() / stored_name
    transactions.on_rollback(lambda: discard([stored_name]))
    with open(target, "xb") as handle:  # "x": never overwrite an existing file
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
