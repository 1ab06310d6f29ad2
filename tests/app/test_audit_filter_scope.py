"""The line describing the filters never names a school outside the caller's scope (page and exports alike)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.app import audit_world
from tests.app.audit_world import AS_OF


@pytest.fixture
def world(make):
    world = audit_world.build(make)
    world["users"] = audit_world.users(make, world)
    return world


@pytest.mark.parametrize("url", ["/audit/compliance", "/audit/compliance.csv", "/audit/compliance.xlsx"])
def test_hr_filtering_by_another_schools_id_does_not_learn_its_name(world, login, url):
    other = world["schools"]["乙"]
    response = login(world["users"]["hr"]).get(url, query_string={"as_of": AS_OF.isoformat(), "school_id": other.id})
    assert response.status_code == 200
    body = response.get_data(as_text=True) if url.endswith("compliance") else read_text(url, response.data)
    assert "乙校" not in body and f"#{other.id}" in body


@pytest.mark.parametrize("url", ["/audit/compliance", "/audit/compliance.csv"])
def test_the_bureau_sees_the_name_of_the_school_it_filters_by(world, login, url):
    other = world["schools"]["乙"]
    response = login(world["users"]["bureau"]).get(url, query_string={"as_of": AS_OF.isoformat(), "school_id": other.id})
    body = response.get_data(as_text=True) if url.endswith("compliance") else read_text(url, response.data)
    assert "乙校" in body


def read_text(url: str, data: bytes) -> str:
    if url.endswith(".csv"):
        return data.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(" ".join(str(cell) for cell in line if cell is not None) for line in sheet.iter_rows(values_only=True))
