"""The line describing the filters never names a school outside the caller's scope (page and exports alike)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.app.factories import AUDIT_AS_OF as AS_OF


@pytest.mark.parametrize("url", ["/bureau/compliance", "/bureau/compliance.csv", "/bureau/compliance.xlsx"])
def test_hr_filtering_by_another_schools_id_does_not_learn_its_name(audit_world, login, url):
    other = audit_world["schools"]["乙"]
    response = login(audit_world["users"]["hr"]).get(url, query_string={"as_of": AS_OF.isoformat(), "school_id": other.id})
    assert response.status_code == 200
    body = response.get_data(as_text=True) if url.endswith("compliance") else read_text(url, response.data)
    assert "乙校" not in body and f"#{other.id}" in body


@pytest.mark.parametrize("url", ["/bureau/compliance", "/bureau/compliance.csv"])
def test_the_bureau_sees_the_name_of_the_school_it_filters_by(audit_world, login, url):
    other = audit_world["schools"]["乙"]
    response = login(audit_world["users"]["bureau"]).get(url, query_string={"as_of": AS_OF.isoformat(), "school_id": other.id})
    body = response.get_data(as_text=True) if url.endswith("compliance") else read_text(url, response.data)
    assert "乙校" in body


def read_text(url: str, data: bytes) -> str:
    if url.endswith(".csv"):
        return data.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(" ".join(str(cell) for cell in line if cell is not None) for line in sheet.iter_rows(values_only=True))
