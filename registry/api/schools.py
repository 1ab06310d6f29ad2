from flask import jsonify

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body
from registry.extensions import db
from registry.services.schools import create_school


def school_dict(school) -> dict:
    return {"id": school.id, "name": school.name, "county": school.county}


@bp.get("/schools")
def list_schools():
    schools = db.session.scalars(permissions.schools_query(api_user()))
    return {"items": [school_dict(s) for s in schools]}


@bp.post("/schools")
def post_school():
    school = create_school(api_user(), json_body())
    return jsonify(school_dict(school)), 201
