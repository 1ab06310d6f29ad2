"""Turning errors into pages (Chinese) or JSON (for the API: registry.api_paths.is_api_request)."""
from __future__ import annotations

import traceback

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from registry.api_paths import is_api_request
from registry.errors import Conflict, Forbidden, Invalid, NotFound
from registry.extensions import sqlite_busy


def titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        401: _("请先登录"),
        403: _("没有权限"),
        404: _("找不到该页面或记录"),
        405: _("不支持该操作"),
        409: _("操作与记录当前状态不符"),
        413: _("上传的文件太大"),
        429: _("尝试次数过多，请稍后再试"),
        500: _("服务器出错了"),
        503: _("服务暂时不可用"),
    }


RETRY_AFTER_SECONDS = 30  # when a client is asked to try again while the database is away

# PostgreSQL ended this transaction to let a simultaneous one finish (deadlock_detected, serialization_failure):
# the work was rolled back whole and may simply be tried again.
LOST_TO_A_SIMULTANEOUS_WRITE = {"40P01", "40001"}


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error means "away for now" rather than a fault of this code: no connection could be
    made or it was lost (registry.extensions marks a failed connect so), or SQLite's write lock stayed taken
    past the busy timeout."""
    return exc.connection_invalidated or sqlite_busy(exc)


def unavailable_response(message: str | None = None):
    """503 with Retry-After: JSON for the API; for the pages a page of its own, which never asks who is signed in
    (that needs the database). `message` defaults to the database's."""
    message = message or _("数据库暂时无法连接，请稍后再试。")
    if is_api_request(request):
        response = jsonify({"error": message})
    else:
        response = make_response(render_template("errors/unavailable.html", title=titles()[503], message=message))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_response(status: int, message: str | None = None, errors: dict | None = None):
    title = titles().get(status, _("出错了"))
    if is_api_request(request):
        body = {"error": message or title}
        if errors is not None:
            body["errors"] = errors
        return jsonify(body), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init(app: Flask) -> None:
    @app.errorhandler(Invalid)
    def invalid(exc: Invalid):
        return error_response(400, _("输入有误"), exc.errors)

    @app.errorhandler(Forbidden)
    def forbidden(exc):
        return error_response(403, _("您的角色不能进行此操作。"))

    @app.errorhandler(NotFound)
    def not_found(exc):
        return error_response(404)

    @app.errorhandler(Conflict)
    def conflict(exc: Conflict):
        return error_response(409, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, _("表单已过期或来源不明，请刷新页面后重试。"))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_response(exc.code or 500)

    def server_error():
        return error_response(500, _("请稍后重试；如果问题持续，请联系管理员。"))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if app.testing:
            raise exc
        app.logger.exception("unhandled error")
        return server_error()

    @app.errorhandler(RedisConnectionError)
    def shared_storage_away(exc: RedisConnectionError):
        app.logger.warning("sign-in limiter storage unavailable: %s", type(exc).__name__)
        return unavailable_response(_("登录次数限制服务暂时无法连接，请稍后再试。"))

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        if getattr(exc.orig, "sqlstate", None) in LOST_TO_A_SIMULTANEOUS_WRITE:
            return error_response(409, _("与他人的操作同时发生，未保存任何内容，请重试。"))
        if isinstance(exc, IntegrityError):
            # The services check every unique value before writing: a constraint still refusing the row means someone
            # else wrote the same value in between (two admins creating one login, say). Nothing was saved.
            app.logger.warning("write lost to a simultaneous one: %s in: %s", type(exc.orig).__name__, exc.statement)
            return error_response(409, _("与他人的操作同时发生，未保存任何内容，请重试。"))
        if database_unavailable(exc):
            # The first line of the driver's message: "connection refused", "database is locked".
            app.logger.warning("database unavailable: %s: %s", type(exc.orig).__name__, str(exc.orig).partition("\n")[0])
            return unavailable_response()
        if app.testing:
            raise exc
        # Not the driver's message: it can quote stored values (PostgreSQL's "DETAIL: Key (id_number)=(…)"). The
        # error's class, the statement (its parameters are bound, never written into it) and where it was raised.
        app.logger.error(
            "unhandled database error %s in: %s\n%s",
            type(exc.orig).__name__, exc.statement, "".join(traceback.format_tb(exc.__traceback__)),
        )
        return server_error()
