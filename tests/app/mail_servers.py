"""Real servers on 127.0.0.1 for the reminder tests: an SMTP server (aiosmtpd) that keeps what it receives, and an
HTTP server standing in for WeCom's and DingTalk's robot webhooks. Each can be taken down and brought back within
a test, to show that a server that is down delays delivery and loses nothing.

tests/app/conftest.py imports the two fixtures, `smtp_server` and `robot_server`.
"""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

from registry.rules.vocabulary import RobotKind

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------ SMTP


@dataclass
class Received:
    """One e-mail the SMTP server accepted: the envelope's sender and recipients, and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on 127.0.0.1:`port` (aiosmtpd's threaded Controller). `messages` are the parsed e-mails it
    accepted, `received` the same with their envelopes; `stop()` takes it down (connections are then refused) and
    `start()` brings it back on the same port."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.inbox.received]

    @property
    def running(self) -> bool:
        return self.controller is not None

    def start(self) -> None:
        if self.controller is None:
            controller = Controller(self.inbox, hostname=HOST, port=self.port)
            controller.start()
            self.controller = controller

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app, monkeypatch) -> Iterator[SmtpServer]:
    """A running SMTP server on 127.0.0.1, and the app's MAIL_SERVER / MAIL_PORT pointing to it for this test."""
    server = SmtpServer()
    server.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", HOST)
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------ robot webhooks


@dataclass
class Post:
    """One request the robot server received: its path, its query parameters (each name's first value) and JSON."""

    path: str
    query: dict[str, str]
    json: dict


class Answer:
    """What the robot server answers: OK (errcode 0), HTTP_500, or REFUSED (200 with errcode 310000)."""

    OK = "ok"
    HTTP_500 = "http_500"
    REFUSED = "refused"


REFUSAL = {"errcode": 310000, "errmsg": "keywords not in content"}


@dataclass
class RobotServer:
    """A stand-in for the robots' webhooks on 127.0.0.1:`port` (a stdlib ThreadingHTTPServer): `posts` are the
    requests it received; set `answer` (Answer.*) to make it fail; `stop()` takes it down, `start()` brings it back
    on the same port."""

    port: int = field(default_factory=free_port)
    posts: list[Post] = field(default_factory=list)
    answer: str = Answer.OK
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    def url(self, kind: RobotKind, key: str = "test-key") -> str:
        """The webhook address of a `kind` robot with `key` on this server."""
        if RobotKind(kind) == RobotKind.WECOM:
            return f"http://{HOST}:{self.port}/cgi-bin/webhook/send?key={key}"
        return f"http://{HOST}:{self.port}/robot/send?access_token={key}"

    def start(self) -> None:
        if self.server is not None:
            return
        self.server = ThreadingHTTPServer((HOST, self.port), self.handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name="robot-server",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        self.server = self.thread = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        robot = self

        class Webhook(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(parts.query).items()}
                robot.posts.append(Post(parts.path, query, json.loads(body or b"null")))
                if robot.answer == Answer.HTTP_500:
                    self.reply(500, {"errcode": -1, "errmsg": "system busy"})
                elif robot.answer == Answer.REFUSED:
                    self.reply(200, REFUSAL)
                else:
                    self.reply(200, {"errcode": 0, "errmsg": "ok"})

            def reply(self, status: int, answer: dict) -> None:
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args) -> None:  # noqa: A002 — the stdlib's name; keep test output quiet
                pass

        return Webhook


@pytest.fixture
def robot_server(app, monkeypatch) -> Iterator[RobotServer]:
    """A running robot webhook stand-in on 127.0.0.1, allowed as a webhook host (ROBOT_WEBHOOK_HOSTS) for this test."""
    server = RobotServer()
    server.start()
    monkeypatch.setitem(app.config, "ROBOT_WEBHOOK_HOSTS", [*app.config["ROBOT_WEBHOOK_HOSTS"], HOST])
    try:
        yield server
    finally:
        server.stop()
