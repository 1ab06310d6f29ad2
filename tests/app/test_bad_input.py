"""Bad input, the whole kind (issue 12), sent to every endpoint that takes it: dates outside 1900-01-01 .. 2199-12-31,
control characters in any text, JSON bodies nested too deep or not JSON at all, and old rows holding dates at the very
ends of the calendar. The endpoints come from the url_map and the OpenAPI document, the page forms from the pages
themselves, so a new route, operation or form field is covered without a line here."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.routing import Rule
from werkzeug.test import encode_multipart

from registry.api_paths import URL_PREFIX
from registry.extensions import db
from registry.input_guard import MAX_JSON_DEPTH
from registry.models import ApiToken, Delivery, Notification, Teacher
from registry.notify.unsubscribe import unsubscribe_token
from registry.rules.vocabulary import Channel, DeliveryStatus, NotificationKind
from registry.services.imports import import_teachers
from tests.app.factories import Factory, id_number
from tests.app.inputs import PDF, csv_bytes, post_files, row

RANGE = "日期须在 1900-01-01 至 2199-12-31 之间"
CONTROL = "含有不允许的控制字符"
OUT_OF_RANGE = ("1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31")
WITH_NUL = "a\x00b"
# Who sends: the public first, then each role. API calls carry the role's bearer token, pages its session.
ROLES = ("anonymous", "teacher", "hr", "bureau", "admin")
WRITES = {"POST", "PUT", "PATCH"}
# What a write may change; the verdict tables, snapshots and the audit trail of sign-ins are the registry's own.
DOMAIN_TABLES = ("school", "teacher", "employment_record", "certificate", "training_record", "practice_record",
                 "evidence", "hire_exception", "policy_version")
PARAMETER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


# --- the world every endpoint is called in ----------------------------------------------------------------------


@dataclass
class World:
    app: Flask
    ids: dict[str, int]  # a record for every name a URL rule has (teacher_id, school_id, …)
    record_ids: dict[str, int]  # record_id by the kind of record the URL names (employment, practice, …)
    users: dict[str, Any]
    tokens: dict[str, dict[str, str]]
    clients: dict[str, Any]
    document: dict[str, Any]  # the OpenAPI document

    @cached_property
    def forms(self) -> list[Form]:
        """Every form of every page each role sees."""
        return [form for role in ROLES for url in get_urls(self) if not url.startswith(URL_PREFIX)
                for form in forms_on(self, role, url)]

    def send(self, role: str, method: str, url: str, **kwargs):
        """`method` on `url` as `role` (its token for the API, its session for pages); the answer read and closed."""
        api = url.startswith(URL_PREFIX)
        client = self.clients["anonymous" if api else role]
        response = client.open(url, method=method, headers=self.tokens[role] if api else {}, **kwargs)
        response.get_data()
        response.close()
        return response


def signed_in(app: Flask, user) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"login": user.login, "password": Factory.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def world(app, make) -> World:
    school = make.school(name="甲校")
    teacher = make.teacher(school, name="本人")
    records = {
        "employment": make.employment(teacher, "2015-07-01", "2020-06-30"),
        "certificates": make.certificate(teacher, "2019-06-01"),
        "training": make.training(teacher, "2024-08-15"),
        "practice": make.practice(teacher, "2023-07-01", "2023-08-31", status="submitted"),
    }
    exception = make.hire_exception(teacher)
    users = {"teacher": make.user("teacher", teacher=teacher), "hr": make.user("school_hr", school=school),
             "bureau": make.user("bureau"), "admin": make.user("admin")}
    tokens = {"anonymous": {}, **make.tokens(users)}
    clients = {"anonymous": app.test_client(), **{role: signed_in(app, user) for role, user in users.items()}}
    uploaded = post_files(clients["anonymous"], f"/api/v1/practice/{records['practice'].id}/evidence", [(PDF, "证明.pdf")],
                          tokens["teacher"])
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    ids = {
        "teacher_id": teacher.id, "school_id": school.id, "exception_id": exception.id,
        "evidence_id": uploaded.get_json()["id"],
        "token_id": db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == users["hr"].id)),
        "user_id": users["hr"].id, "version_id": make.policy_version("2030-01-01").id,
        **notification_ids(users["teacher"]),
    }
    document = clients["anonymous"].get("/api/v1/openapi.json").get_json()
    return World(app, ids, {kind: record.id for kind, record in records.items()}, users, tokens, clients, document)


def notification_ids(user) -> dict[str, Any]:
    """A notification of `user` with an e-mail that failed, and the token of the user's unsubscribe link."""
    notification = Notification(user=user, kind=NotificationKind.PRACTICE_VERIFIED, key="bad-input", as_of=date(2026, 11, 28),
                                payload={"record_id": 1, "teacher_id": 1, "enterprise": "曙光", "start": "2024-01-01",
                                         "end": "2024-02-29"}, link="/practice/")
    delivery = Delivery(key="email:bad-input", channel=Channel.EMAIL, notification=notification, subject="通知",
                        text_body="通知", status=DeliveryStatus.FAILED, attempts=1, last_error="连接被拒绝")
    db.session.add_all([notification, delivery])
    db.session.commit()
    return {"notification_id": notification.id, "delivery_id": delivery.id, "token": unsubscribe_token(user)}


def stored_rows() -> dict[str, list]:
    """Every row of the tables a write may change."""
    return {name: sorted(map(tuple, db.session.execute(select(db.metadata.tables[name])).all()), key=repr)
            for name in DOMAIN_TABLES}


# --- the endpoints: the url_map and the OpenAPI document -----------------------------------------------------------


def urls_of(world: World, rule: Rule) -> list[str]:
    """Every URL of a rule over the world: each id by its name, a record by the kind the URL names, each any() choice."""
    choices: list[list[tuple[str, Any]]] = []
    for converter, arguments, name in PARAMETER.findall(rule.rule):
        if converter == "any":
            choices.append([(name, item.strip()) for item in arguments.split(",")])
        elif converter == "path":
            choices.append([(name, "css/registry.css")])
        elif name != "record_id":
            choices.append([(name, world.ids[name])])
    adapter = world.app.url_map.bind("localhost")
    urls = [{}]
    for options in choices:
        urls = [{**values, name: value} for values in urls for name, value in options]
    built = []
    for values in urls:
        if "record_id" in rule.arguments:
            kind = values.get("kind") or rule.rule.removeprefix(URL_PREFIX).split("/")[1]
            values = {**values, "record_id": world.record_ids[kind]}
        built.append(adapter.build(rule.endpoint, values))
    return built


def rules(world: World, methods: set[str]) -> list[Rule]:
    return [rule for rule in world.app.url_map.iter_rules() if rule.methods & methods]


def get_urls(world: World) -> list[str]:
    return [url for rule in rules(world, {"GET"}) for url in urls_of(world, rule)]


def operation(world: World, method: str, url: str) -> dict[str, Any]:
    """The OpenAPI operation `method` on the concrete API `url` (its ids matched against the document's paths)."""
    path = urlsplit(url).path.removeprefix(URL_PREFIX)
    for template, operations in world.document["paths"].items():
        if re.fullmatch(re.sub(r"\{\w+\}", r"\\d+", template), path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {url} is not in the OpenAPI document")


def body_schema(world: World, op: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(media type, JSON Schema) of the operation's request body; (None, {}) without one."""
    for media, content in op.get("requestBody", {}).get("content", {}).items():
        schema = content["schema"]
        if "$ref" in schema:
            schema = world.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return media, schema
    return None, {}


def is_date(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "date" or any(is_date(kind) for kind in schema.get("anyOf", ()))


def query_names(world: World, url: str) -> list[str]:
    if not url.startswith(URL_PREFIX):
        return []
    return [p["name"] for p in operation(world, "GET", url).get("parameters", []) if p["in"] == "query"]


def role_that_may_get(world: World, url: str) -> str:
    """The first role (the public first) that is answered 200 on `url`."""
    for role in ROLES:
        if world.send(role, "GET", url).status_code == 200:
            return role
    raise AssertionError(f"no role may GET {url}: the world lacks a record it needs")


def names_the_fields(response, fields, message: str) -> bool:
    """Whether a 400 names every field: in the API's {"errors": …} with `message`, on a page as “field”."""
    if response.status_code != 400:
        return False
    if response.request.path.startswith(URL_PREFIX):
        errors = response.get_json()["errors"]
        return all(message in errors.get(name, "") for name in fields)
    page = response.get_data(as_text=True)
    return message in page and all(f"“{name}”" in page for name in fields)


# --- the forms of the pages ------------------------------------------------------------------------------------------


@dataclass
class Form:
    page: str  # the page it is on
    role: str  # who sees it there
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value), in page order

    def data(self, **changes: str) -> dict[str, str]:
        """What a browser sends when the form is submitted as it stands, with `changes`."""
        values: dict[str, str] = {}
        for name, kind, value in self.fields:
            if kind not in ("submit", "file") and name not in values:
                values[name] = value
        submit = next(((name, value) for name, kind, value in self.fields if kind == "submit" and name), None)
        if submit:
            values[submit[0]] = submit[1]
        return {**values, **changes}

    def date_fields(self) -> list[str]:
        return [name for name, kind, _value in self.fields if kind == "date"]


class FormParser(HTMLParser):
    """The forms of one page: inputs, selects (their chosen option), text areas and submit buttons; a button's
    formaction is a form of its own."""

    def __init__(self, page: str, role: str, html: str):
        super().__init__(convert_charrefs=True)
        self.page, self.role = page, role
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.owners: list[tuple[str, tuple[str, str, str]]] = []  # inputs outside their form (form="id")
        self.current: Form | None = None
        self.select: str | None = None
        self.chosen: str | None = None
        self.textarea: str | None = None
        self.text = ""
        self.feed(html)
        self.close()
        for owner, entry in self.owners:
            if owner in self.by_id:
                self.by_id[owner].fields.append(entry)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.current = Form(self.page, self.role, urljoin(self.page, a.get("action") or self.page),
                                a.get("method", "get").upper(), a.get("enctype", "application/x-www-form-urlencoded"))
            self.forms.append(self.current)
            if "id" in a:
                self.by_id[a["id"]] = self.current
        elif (tag in ("input", "button") and a.get("name")) or (tag == "button" and "formaction" in a):
            kind = a.get("type", "text" if tag == "input" else "submit")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return  # a browser sends only the boxes that are ticked
            entry = (a.get("name", ""), kind, a.get("value", ""))
            if "form" in a:
                self.owners.append((a["form"], entry))
            elif self.current is not None:
                self.current.fields.append(entry)
                if "formaction" in a:
                    self.forms.append(Form(self.page, self.role, urljoin(self.page, a["formaction"]), self.current.method,
                                           self.current.enctype, self.current.fields))
        elif tag == "select" and self.current is not None:
            self.select, self.chosen = a.get("name"), None
        elif tag == "option" and self.select is not None and (self.chosen is None or "selected" in a):
            self.chosen = a.get("value", "")
        elif tag == "textarea" and self.current is not None:
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None and self.current is not None:
            self.current.fields.append((self.select, "select", self.chosen or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            self.current.fields.append((self.textarea, "textarea", self.text))
            self.textarea = None


def forms_on(world: World, role: str, url: str) -> list[Form]:
    """The forms of the page at `url` as `role` sees it (none unless it answers an HTML page)."""
    response = world.clients[role].get(url)
    html = response.get_data(as_text=True) if response.status_code == 200 and response.mimetype == "text/html" else ""
    response.close()
    return FormParser(url, role, html).forms if html else []


# --- dates: one range, everywhere a date is accepted ------------------------------------------------------------------


def test_every_api_operation_refuses_a_date_outside_the_range_naming_the_field_and_writes_nothing(world):
    before = stored_rows()
    checked = []
    for rule in rules(world, WRITES | {"GET"}):
        if not rule.rule.startswith(URL_PREFIX):
            continue
        for url in urls_of(world, rule):
            for method in sorted(rule.methods & (WRITES | {"GET"})):
                op = operation(world, method, url)
                media, schema = body_schema(world, op)
                bodies = [name for name, prop in schema.get("properties", {}).items() if is_date(prop)]
                queries = [p["name"] for p in op.get("parameters", []) if p["in"] == "query" and is_date(p["schema"])]
                for name in (bodies if media == "application/json" else []) + queries:
                    for value in OUT_OF_RANGE:
                        answers = {}
                        for role in ROLES:
                            if name in queries:
                                answers[role] = world.send(role, method, f"{url}?{urlencode({name: value})}")
                            else:
                                answers[role] = world.send(role, method, url, json={name: value})
                        assert all(a.status_code < 500 for a in answers.values()), (method, url, name, value)
                        assert any(names_the_fields(a, [name], RANGE) for a in answers.values()), (
                            method, url, name, value, {r: a.status_code for r, a in answers.items()})
                    checked.append((method, url, name))
    assert {("POST", "teachers", "hire_date"), ("PATCH", "practice", "end"), ("POST", "policy-versions", "effective_from"),
            ("GET", "compliance", "as_of"), ("GET", "compliance", "due_by")} <= {
        (m, u.removeprefix(URL_PREFIX).split("/")[1], n) for m, u, n in checked}
    assert stored_rows() == before


def test_every_page_form_refuses_a_date_outside_the_range_with_the_fields_message_and_writes_nothing(world):
    before = stored_rows()
    dated = [form for form in world.forms if form.date_fields()]
    for form in dated:
        for name in form.date_fields():
            for value in ("1899-12-31", "2200-01-01"):
                if form.method == "GET":
                    response = world.send(form.role, "GET", f"{form.action.split('?')[0]}?{urlencode(form.data(**{name: value}))}")
                else:
                    response = world.send(form.role, "POST", form.action, data=form.data(**{name: value}))
                page = response.get_data(as_text=True)
                assert response.status_code in (200, 400) and RANGE in page, (form.page, form.role, name, value, response.status_code)
    assert {urlsplit(form.action).path for form in dated} >= {
        "/teachers/new", "/teachers/prehire", "/policies/", "/practice/", "/bureau/compliance",
        f"/teachers/{world.ids['teacher_id']}/employment/new", f"/teachers/{world.ids['teacher_id']}/edit",
    }
    assert stored_rows() == before


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")  # openpyxl, on the cell past Excel's last day
def test_an_import_cell_with_a_date_outside_the_range_is_reported_by_row_and_column_and_nothing_is_written(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "性别", "学校", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历", "领导班子"])
    for n, cell in enumerate((date(2200, 1, 1), datetime(1, 1, 1), date(9999, 12, 31)), start=1):
        sheet.append(row(n, "甲校", 入职日期=cell))
    sheet.append(row(4, "甲校"))
    sheet["H5"].value, sheet["H5"].number_format = 10**9, "yyyy-mm-dd"  # a "date" cell past Excel's last day
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {
        "teachers.csv": csv_bytes([row(1, "甲校", 入职日期="1899-12-31"), row(2, "甲校", 入职日期="2200/1/1"), row(3, "甲校")]),
        "teachers.xlsx": buffer.getvalue(),
    }
    before = stored_rows()
    for filename, content in files.items():
        response = post_files(world.clients["hr"], "/imports/", [(content, filename)], submit="1")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and RANGE in page and "入职日期" in page, filename
        report = import_teachers(world.users["hr"], content, filename, date(2026, 11, 28))
        assert not report.written and {(e.row, e.column) for e in report.errors} >= {(2, "入职日期"), (3, "入职日期")}
        assert all(RANGE in e.message or "不是有效日期" in e.message for e in report.errors), report.errors
    assert stored_rows() == before


def test_a_page_asked_for_a_date_outside_the_range_says_so_and_shows_today(world):
    page = world.send("hr", "GET", f"/teachers/{world.ids['teacher_id']}?as_of=9996-01-01")
    assert page.status_code == 200 and RANGE in page.get_data(as_text=True)


# --- control characters: any text, anywhere ----------------------------------------------------------------------


def test_a_nul_in_any_query_argument_of_any_get_endpoint_is_a_400_naming_it(world):
    for url in get_urls(world):
        role = role_that_may_get(world, url)
        names = [*query_names(world, url), "q", "as_of"]
        response = world.send(role, "GET", f"{url}?{urlencode(dict.fromkeys(names, WITH_NUL))}")
        assert names_the_fields(response, names, CONTROL), (url, role, response.status_code)
        nameless = world.send(role, "GET", f"{url}?{urlencode({WITH_NUL: '1'})}")
        assert names_the_fields(nameless, ["a\\x00b"], CONTROL), (url, role, nameless.status_code)


def page_fields(world: World, url: str) -> list[str]:
    """The text fields the page forms posting to `url` have; a reason and a note where no form was seen."""
    names = {name for form in world.forms if form.method == "POST" and urlsplit(form.action).path == url
             for name, kind, _value in form.fields if name and kind not in ("submit", "file")}
    return sorted(names) or ["reason", "note"]


def test_a_nul_in_any_field_of_any_body_is_a_400_naming_every_such_field_for_every_role(world):
    before = stored_rows()
    for rule in rules(world, WRITES):
        for url in urls_of(world, rule):
            for method in sorted(rule.methods & WRITES):
                for role in ROLES:
                    if url.startswith(URL_PREFIX):
                        media, schema = body_schema(world, operation(world, method, url))
                        if media == "multipart/form-data":
                            names = ["file", "note"]
                            response = post_files(world.clients["anonymous"], url, [(PDF, "证明\x00.pdf")],
                                                  world.tokens[role], note=WITH_NUL)
                        else:
                            names = list(schema.get("properties", {})) or ["note"]
                            response = world.send(role, method, url, json=dict.fromkeys(names, WITH_NUL))
                        assert names_the_fields(response, names, CONTROL), (method, url, role, response.status_code)
                    else:
                        names = page_fields(world, url)
                        response = world.send(role, method, url, data=dict.fromkeys(names, WITH_NUL))
                        assert names_the_fields(response, names, CONTROL), (method, url, role, names)
                        values = MultiDict([("file", FileStorage(io.BytesIO(b"x"), "名单\x00.csv")), ("note", "ok")])
                        boundary, body = encode_multipart(values)
                        response = world.send(role, method, url, data=body,
                                              content_type=f"multipart/form-data; boundary={boundary}")
                        assert names_the_fields(response, ["file"], CONTROL), (method, url, role, "file name")
    assert stored_rows() == before


def test_json_nested_too_deep_or_not_json_is_a_400_for_every_api_write(world):
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    abyss = '{"a":' * 100_000 + "1" + "}" * 100_000  # far past the parser's recursion
    bodies = {deep: "嵌套", abyss: "嵌套", '{"name": "甲校",': "不是有效的 JSON", '{"name": "\x00"}': "不是有效的 JSON"}
    for rule in rules(world, WRITES):
        if not rule.rule.startswith(URL_PREFIX):
            continue
        for url in urls_of(world, rule):
            for method in sorted(rule.methods & WRITES):
                for role in ROLES:
                    for body, message in bodies.items():
                        response = world.send(role, method, url, data=body, content_type="application/json")
                        assert names_the_fields(response, ["__all__"], message), (method, url, role, body[:20])


def test_json_nested_to_the_limit_is_read(world):
    nested: Any = "甲校"
    for _level in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    response = world.send("admin", "POST", "/api/v1/schools", json={"name": nested, "county": "丹东市区"})
    assert response.status_code == 400 and list(response.get_json()["errors"]) == ["name"]  # the schema's word, not the guard's


REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]


@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_every_c0_c1_and_del_control_character_is_refused_in_queries_forms_and_json(world, char):
    api = world.send("hr", "GET", f"/api/v1/teachers?{urlencode({'q': f'a{char}b'})}")
    assert names_the_fields(api, ["q"], CONTROL)
    page = world.send("hr", "POST", "/teachers/new", data={"name": f"李{char}明"})
    assert names_the_fields(page, ["name"], CONTROL)
    body = world.send("admin", "POST", "/api/v1/schools", json={"name": f"甲{char}校", "county": "丹东市区"})
    assert names_the_fields(body, ["name"], CONTROL)


def test_a_lone_surrogate_in_json_is_refused_naming_the_field(world):
    response = world.send("admin", "POST", "/api/v1/schools", data='{"name": "\\ud800", "county": "x"}',
                          content_type="application/json")
    assert names_the_fields(response, ["name"], CONTROL)


@pytest.mark.parametrize("text", ["甲\t乙", "第一行\r\n第二行", "丹东\u00a0一中", "零宽\u200b空格", "😀"])
def test_tabs_line_breaks_and_other_unicode_pass(world, text):
    assert world.send("hr", "GET", f"/api/v1/teachers?{urlencode({'q': text})}").status_code == 200
    response = world.send("teacher", "POST", f"/api/v1/teachers/{world.ids['teacher_id']}/practice",
                          json={"enterprise": "曙光", "start": "2024-01-01", "form": "visit", "description": text})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_multipart_part_whose_name_cannot_be_read_is_no_500(world):
    body = (b'--BB\r\nContent-Disposition: form-data; name="\\"\r\n\r\n{"m": []}\r\n'
            b'--BB\r\nContent-Disposition: form-data; name="file"; filename="\x01.pdf"\r\n\r\nabc\r\n--BB--\r\n')
    response = world.send("teacher", "POST", f"/api/v1/practice/{world.record_ids['practice']}/evidence", data=body,
                          content_type="multipart/form-data; boundary=BB")
    assert names_the_fields(response, ["file"], CONTROL)


@pytest.mark.parametrize("path", ["/teachers/%00", "/static/css/%00.css", "/api/v1/teachers/%01", "/no%7Fsuch"])
def test_a_control_character_in_the_path_is_a_400(world, path):
    assert names_the_fields(world.send("hr", "GET", path), ["path"], CONTROL)


# --- old rows with dates at the ends of the calendar: nothing that reads them fails --------------------------------


@pytest.fixture
def old_rows(world, make) -> dict[str, Teacher]:
    """Rows no form accepts, as old data or a raw SQL write may have left them: the first and last days there are."""
    school = db.session.get(Teacher, world.ids["teacher_id"]).school
    make.policy_version("0001-01-01", hire_rule_effective=date.min, practice_rule_effective=date.min)
    first = make.teacher(school, name="公元元年", id_number=id_number(7001), hire_date=date.min, leadership=True)
    make.employment(first, "0001-01-01", None)
    make.certificate(first, "0001-01-01")
    make.practice(first, "0001-01-01", "9999-12-31")
    make.practice(first, "9999-12-31", None)
    make.training(first, "9999-12-31")
    last = make.teacher(school, name="万年", id_number=id_number(7002), hire_date=date.max, leadership=True)
    make.employment(last, "9999-12-31", None)
    gone = make.teacher(school, name="已离", id_number=id_number(7003), hire_date=date.min, left_date=date.max)
    make.practice(gone, "0001-01-01", None)
    return {"first": first, "last": last, "gone": gone}


def test_rows_with_dates_at_the_ends_of_the_calendar_break_no_list_export_dashboard_or_api_answer(world, old_rows, make):
    for url in get_urls(world):
        for suffix in ("", "?as_of=1900-01-01", "?as_of=2199-12-31"):
            for role in ROLES:
                response = world.send(role, "GET", url + suffix)
                assert response.status_code < 500, (url + suffix, role)
    school = world.ids["school_id"]
    for url in ("/bureau/compliance", "/bureau/compliance.csv", "/bureau/compliance.xlsx", "/bureau/dashboard",
                f"/schools/{school}", f"/teachers/{old_rows['first'].id}", "/"):
        assert world.send("bureau", "GET", url).status_code == 200, url
    for url in ("/api/v1/compliance", "/api/v1/compliance.csv", "/api/v1/compliance.xlsx", f"/api/v1/schools/{school}/compliance",
                f"/api/v1/teachers/{old_rows['first'].id}/compliance", f"/api/v1/teachers/{old_rows['last'].id}/compliance"):
        assert world.send("bureau", "GET", url).status_code == 200, url
    own = signed_in(world.app, make.user("teacher", teacher=old_rows["first"]))
    for url in ("/", "/practice/", f"/teachers/{old_rows['first'].id}"):
        assert own.get(url).status_code == 200, url


def test_the_verdict_commands_handle_rows_at_the_ends_of_the_calendar(old_rows, cli):
    refreshed = cli("compliance", "refresh", "--all")
    assert refreshed.exit_code == 0, refreshed.output
    verified = cli("compliance", "verify")
    assert verified.exit_code == 0, verified.output
