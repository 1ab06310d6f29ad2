"""Turning errors into pages (Chinese) or JSON (for the API: registry.api_paths.is_api_request)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from registry.api_paths import is_api_request
from registry.errors import Conflict, Forbidden, Invalid, NotFound


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
    }


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

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if app.testing:
            raise exc
        app.logger.exception("unhandled error")
        return error_response(500, _("请稍后重试；如果问题持续，请联系管理员。"))
