"""Input schemas: the one place where a field's type, code list and limits are written.

The service layer validates every write with these models (`load`), the API
documents itself from them (OpenAPI), and the page forms hand their data to
the same services, so no rule of input is written twice. Errors come back as
{field: Chinese message}. One module per area; the shared field types, the
identity-number algorithm and the error translation have modules of their own.
"""
from registry.schemas.admin import PolicyIn, SchoolIn, UserIn
from registry.schemas.compliance import COMPLIANCE_SORTS, PREVIOUS_RESULTS, RULE_STATUSES, ComplianceQueryIn
from registry.schemas.errors import load
from registry.schemas.fields import MAX_ID, Schema
from registry.schemas.id_numbers import id_number_check_char
from registry.schemas.practice import NoteIn, PracticeIn, ReasonIn
from registry.schemas.teachers import CandidateIn, CertificateIn, EmploymentIn, TeacherIn, TrainingIn

# What the rest of the registry imports from here; the field types and helpers are imported from their modules.
__all__ = [
    "COMPLIANCE_SORTS",
    "MAX_ID",
    "PREVIOUS_RESULTS",
    "RULE_STATUSES",
    "CandidateIn",
    "CertificateIn",
    "ComplianceQueryIn",
    "EmploymentIn",
    "NoteIn",
    "PolicyIn",
    "PracticeIn",
    "ReasonIn",
    "Schema",
    "SchoolIn",
    "TeacherIn",
    "TrainingIn",
    "UserIn",
    "id_number_check_char",
    "load",
]
