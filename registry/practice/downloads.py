"""The HTTP response for an evidence file, the same for the pages and the API."""
from __future__ import annotations

from flask import Response, send_file

from registry.models import Evidence
from registry.services.evidence import SIGNATURES, sniff, stored_path

# A browser shows the file as a sandboxed document (no script, no forms, an opaque origin), framed by the
# registry's own pages only (the review page previews it), never by another site.
CONTENT_SECURITY_POLICY = "sandbox; frame-ancestors 'self'"


def evidence_response(evidence: Evidence, as_attachment: bool = False) -> Response:
    """The stored file with the user's file name (RFC 5987 for Chinese names); never cached by shared caches.

    Shown inline only when its stored type is PDF, JPEG or PNG and the bytes on disk still are that type,
    under `Content-Security-Policy: sandbox` and nosniff; anything else is an attachment of no particular type.
    """
    path = stored_path(evidence)
    with path.open("rb") as handle:
        on_disk = sniff(handle.read(16))
    known = evidence.content_type in SIGNATURES and on_disk == evidence.content_type
    response = send_file(
        path,
        mimetype=evidence.content_type if known else "application/octet-stream",
        as_attachment=as_attachment or not known,
        download_name=evidence.filename,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
