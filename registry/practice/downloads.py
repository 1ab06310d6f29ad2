"""The HTTP response for an evidence file, the same for the pages and the API."""
from __future__ import annotations

from flask import Response, send_file

from registry.models import Evidence
from registry.services.evidence import stored_path


def evidence_response(evidence: Evidence, as_attachment: bool = False) -> Response:
    """The stored file with its own content type and the user's file name; never cached by shared caches."""
    response = send_file(
        stored_path(evidence),
        mimetype=evidence.content_type,
        as_attachment=as_attachment,
        download_name=evidence.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
