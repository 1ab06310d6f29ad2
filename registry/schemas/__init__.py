"""Input schemas: the one place where a field's type, code list and limits are written.

The service layer validates every write with these models (`load`), the API
documents itself from them (OpenAPI), and the page forms hand their data to
the same services, so no rule of input is written twice. Errors come back as
{field: Chinese message}. One module per area; the shared field types, the
identity-number algorithm and the error translation have modules of their own.
"""
from registry.schemas.admin import PolicyIn, SchoolIn, UserIn
from registry.schemas.compliance import COMPLIANCE_SORTS, PREVIOUS_RESULTS, RULE_STATUSES, ComplianceQueryIn
from registry.schemas.errors import error_dict, load, messages
from registry.schemas.fields import (
    ISO_DATE,
    MAX_ID,
    MAX_PAGE,
    IdNumber,
    IsoDate,
    OptionalDate,
    PageNumber,
    RecordId,
    Required,
    Schema,
    blank_to_none,
    optional,
    parse_iso_date,
    text,
)
from registry.schemas.id_numbers import id_number_check_char, parse_id_number
from registry.schemas.practice import NoteIn, PracticeIn, ReasonIn
from registry.schemas.teachers import CandidateIn, CertificateIn, EmploymentIn, TeacherIn, TrainingIn

__all__ = [
    "COMPLIANCE_SORTS",
    "ISO_DATE",
    "MAX_ID",
    "MAX_PAGE",
    "PREVIOUS_RESULTS",
    "RULE_STATUSES",
    "CandidateIn",
    "CertificateIn",
    "ComplianceQueryIn",
    "EmploymentIn",
    "IdNumber",
    "IsoDate",
    "NoteIn",
    "OptionalDate",
    "PageNumber",
    "PolicyIn",
    "PracticeIn",
    "ReasonIn",
    "RecordId",
    "Required",
    "Schema",
    "SchoolIn",
    "TeacherIn",
    "TrainingIn",
    "UserIn",
    "blank_to_none",
    "error_dict",
    "id_number_check_char",
    "load",
    "messages",
    "optional",
    "parse_id_number",
    "parse_iso_date",
    "text",
]
