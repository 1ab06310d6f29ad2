"""Work-group robots: which webhook addresses are acceptable, and posting a markdown message to WeCom (企业微信)
or DingTalk (钉钉).

WeCom: POST {"msgtype": "markdown", "markdown": {"content": ...}} to https://qyapi.weixin.qq.com/cgi-bin/webhook/
send?key=…; content at most 4096 bytes of UTF-8. DingTalk: POST {"msgtype": "markdown", "markdown": {"title": ...,
"text": ...}} to https://oapi.dingtalk.com/robot/send?access_token=…, with `timestamp` (ms) and `sign` query
parameters when the robot's security setting is 加签 (a secret SEC…). Both answer HTTP 200 with JSON
{"errcode": 0, "errmsg": "ok"} when they took the message; any other answer is a failure.

A webhook address may only point to a host of ROBOT_WEBHOOK_HOSTS (the official two by default), so that an
address typed into the registry can never make the server post into its own network.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs, urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _

from registry.notify.robot_hosts import OFFICIAL_HOSTS
from registry.rules.vocabulary import RobotKind

MAX_URL_LENGTH = 500  # RobotWebhook.url
# The path and the query parameter that hold the robot's key, by robot.
WEBHOOK_PATHS: dict[RobotKind, str] = {RobotKind.WECOM: "/cgi-bin/webhook/send", RobotKind.DINGTALK: "/robot/send"}
KEY_PARAMETERS: dict[RobotKind, str] = {RobotKind.WECOM: "key", RobotKind.DINGTALK: "access_token"}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})  # a test server may listen on plain http


class RobotError(Exception):
    """A post the robot did not take; str(error) says why in the current locale (never the webhook's key)."""


def check_webhook_url(kind: RobotKind, url: str) -> str | None:
    """None when `url` is an acceptable webhook address of a `kind` robot, else a Chinese message saying why not.

    Acceptable: at most 500 characters, no spaces; http(s) to a host of ROBOT_WEBHOOK_HOSTS, https unless the host
    is 127.0.0.1 or localhost; no user name or password in it; the robot's path (WeCom /cgi-bin/webhook/send,
    DingTalk /robot/send — on other allowed hosts the address need only end with it) with its key parameter
    (WeCom key=…, DingTalk access_token=…).
    """
    kind = RobotKind(kind)
    url = url or ""
    if not url.strip():
        return _("请填写机器人的 Webhook 地址")
    if len(url) > MAX_URL_LENGTH:
        return _("Webhook 地址太长（最多 %(n)s 个字符）", n=MAX_URL_LENGTH)
    if any(character.isspace() or ord(character) < 32 for character in url):
        return _("Webhook 地址里不能有空格或换行")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        return _("Webhook 地址的格式不对")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Webhook 地址必须以 https:// 开头")
    host = parts.hostname.lower()
    if host not in allowed_hosts():
        return _("只能填写企业微信或钉钉群机器人的地址（允许的主机：%(hosts)s）", hosts=_("、").join(allowed_hosts()))
    if parts.scheme != "https" and host not in LOCAL_HOSTS:
        return _("Webhook 地址必须使用 https://")
    if parts.username is not None or parts.password is not None:
        return _("Webhook 地址里不能带用户名或密码")
    official = OFFICIAL_HOSTS[kind]
    if host in OFFICIAL_HOSTS.values() and host != official:
        return wrong_kind(kind)
    path = WEBHOOK_PATHS[kind]
    if (parts.path != path) if host == official else not parts.path.endswith(path):
        return _("这不是%(kind)s的 Webhook 地址：应当是 %(example)s", kind=_(kind.label), example=example_url(kind))
    key = parse_qs(parts.query).get(KEY_PARAMETERS[kind], [""])[0].strip()
    if not key:
        return _("Webhook 地址缺少 %(parameter)s=… 部分：请从机器人设置里完整复制地址",
                 parameter=KEY_PARAMETERS[kind])
    return None


def allowed_hosts() -> list[str]:
    return [host.strip().lower() for host in current_app.config["ROBOT_WEBHOOK_HOSTS"] if host.strip()]


def example_url(kind: RobotKind) -> str:
    return f"https://{OFFICIAL_HOSTS[kind]}{WEBHOOK_PATHS[kind]}?{KEY_PARAMETERS[kind]}=…"


def wrong_kind(kind: RobotKind) -> str:
    return _("这个地址不是%(kind)s的：请检查机器人类型", kind=_(kind.label))


def robot_payload(kind: RobotKind, title: str, markdown: str) -> dict:
    """The JSON body of a markdown message for a `kind` robot."""
    if RobotKind(kind) == RobotKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": markdown}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256 keyed with `secret` over "<timestamp_ms>\\n<secret>"), before URL-encoding
    (requests encodes the query parameter)."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def post(kind: RobotKind, url: str, secret: str | None, title: str, markdown: str) -> None:
    """Post a markdown message to the robot at `url` (`secret`: DingTalk's 加签 secret, or None).

    Waits at most ROBOT_TIMEOUT seconds and follows no redirects. Raises RobotError when the address is not
    acceptable (check_webhook_url), the robot cannot be reached or does not answer in time, answers other than
    HTTP 200, or answers a JSON errcode other than 0 (the message is then its errmsg).
    """
    kind = RobotKind(kind)
    if (problem := check_webhook_url(kind, url)) is not None:
        raise RobotError(problem)
    host = urlsplit(url).hostname
    params = {}
    if kind == RobotKind.DINGTALK and secret:
        timestamp = int(time.time() * 1000)
        params = {"timestamp": str(timestamp), "sign": dingtalk_signature(secret, timestamp)}
    timeout = current_app.config["ROBOT_TIMEOUT"]
    try:
        with requests.post(url, params=params, json=robot_payload(kind, title, markdown), timeout=timeout,
                           allow_redirects=False) as response:
            status, body = response.status_code, response.content
    except requests.Timeout:
        raise RobotError(_("机器人地址 %(host)s 在 %(seconds)s 秒内没有应答", host=host, seconds=timeout)) from None
    except requests.ConnectionError:
        raise RobotError(_("无法连接机器人地址 %(host)s", host=host)) from None
    except requests.RequestException as error:
        raise RobotError(_("向机器人地址 %(host)s 发送失败（%(kind)s）", host=host, kind=type(error).__name__)) from None
    if status != 200:
        raise RobotError(_("机器人地址 %(host)s 应答 HTTP %(status)s", host=host, status=status))
    answer = parsed_answer(body)
    if answer is None:
        raise RobotError(_("机器人地址 %(host)s 的应答不是预期的 JSON", host=host))
    if answer.get("errcode") != 0:
        errmsg = " ".join(str(answer.get("errmsg") or "").split())[:200]
        raise RobotError(_("机器人拒绝了消息：%(errmsg)s（errcode %(errcode)s）", errmsg=errmsg,
                           errcode=answer.get("errcode")))


def parsed_answer(body: bytes) -> dict | None:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None
