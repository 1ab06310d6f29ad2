"""Small files for the evidence tests: real signatures, and files that only pretend."""
from __future__ import annotations

from io import BytesIO

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode."


def upload(data: bytes, filename: str = "实践证明.pdf") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename)


def form_file(data: bytes, filename: str = "实践证明.pdf") -> tuple[BytesIO, str]:
    """A file for the test client's multipart `data=`."""
    return BytesIO(data), filename


def post_files(client, url: str, files: list[tuple[bytes, str]], headers: dict | None = None, **fields: str):
    """POST files as multipart/form-data, encoded in memory.

    The test client spools a large body to a temporary file that nobody closes
    (a ResourceWarning, an error under filterwarnings=error); encoding here avoids it.
    """
    values = MultiDict([("file", FileStorage(BytesIO(data), filename)) for data, filename in files])
    values.update(fields)
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=headers or {})
