"""A teacher's enterprise practice record, and the reasons and notes of a decision."""
from __future__ import annotations

from pydantic import model_validator

from registry.rules.vocabulary import PracticeForm, PracticeStatus
from registry.schemas.fields import IsoDate, OptionalDate, Schema, check_period, code, text


class PracticeIn(Schema):
    enterprise: text(100)
    start: IsoDate
    end: OptionalDate = None
    form: code(PracticeForm)
    description: text(2000, required=False) = ""
    # A teacher plans a record or submits it; reviewing sets the other states.
    status: code(PracticeStatus, allowed=(PracticeStatus.PLANNED, PracticeStatus.SUBMITTED)) = PracticeStatus.PLANNED.value

    @model_validator(mode="after")
    def start_before_end(self) -> PracticeIn:
        return check_period(self)



class ReasonIn(Schema):
    reason: text(2000)


class NoteIn(Schema):
    note: text(2000, required=False) = ""

