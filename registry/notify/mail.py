"""Sending e-mails over SMTP with Flask-Mailman, and saying in plain words why one failed.

The connection is made from the app's MAIL_* settings as they are when the e-mails are sent (not as they were when
the app started), always with the SMTP backend and a timeout of MAIL_TIMEOUT seconds. An `Outbox` sends the
e-mails of one run over one connection, and says when the server could not be reached, so that the run does not
wait MAIL_TIMEOUT seconds for each of its other e-mails.
"""
from __future__ import annotations

import smtplib

from flask import current_app
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives

from registry.extensions import mail


def unreachable(error: BaseException) -> bool:
    """Whether `error` says the mail server cannot be reached or talked to at all (refused, timed out, no greeting,
    hung up), rather than that it refused this one e-mail: every other e-mail would fail the same way."""
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


class Outbox:
    """The e-mails of one run, sent over one SMTP connection: opened by the first e-mail, checked (NOOP) before it
    is used again — a server closes an idle connection after a while, which is no failure — and closed by
    `close()` (or at the end of a `with` block). An e-mail that fails closes the connection, and the next one
    opens a new one.

    `unreachable` becomes True when no connection could be opened (server down, TLS refused, login refused: every
    other e-mail would fail the same way, and each new attempt would be one more failed login) or the server hung
    up while an e-mail was sent: the caller should leave the other e-mails for the next run.
    """

    def __init__(self) -> None:
        self.connection = None
        self.unreachable = False

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, to: str, subject: str, text: str, html: str | None, unsubscribe_url: str) -> None:
        """Send one e-mail to `to` (plain text, and an HTML alternative when `html`), with the RFC 8058 one-click
        unsubscribe headers pointing to `unsubscribe_url`.

        Raises whatever the SMTP exchange raises (OSError for a server that is down or too slow,
        smtplib.SMTPException for a refusal); `failure_text` turns it into words for the admin.
        """
        config = current_app.config
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=config["MAIL_DEFAULT_SENDER"],
            to=[to],
            connection=self.ready(),
            headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        if html:
            email.attach_alternative(html, "text/html")
        try:
            email.send()  # the connection is open: send() leaves it open for the next e-mail
        except Exception as error:
            self.drop()
            if unreachable(error):
                self.unreachable = True
            raise

    def ready(self):
        """An open connection: the previous e-mail's while the server still answers NOOP, else a new one.

        Raises what opening raised (OSError, smtplib.SMTPException), after setting `unreachable`.
        """
        if self.connection is not None:
            try:
                if self.connection.connection.noop()[0] == 250:
                    return self.connection
            except (OSError, smtplib.SMTPException):
                pass
            self.drop()
        connection = smtp_connection()
        try:
            connection.open()
        except Exception:
            drop(connection)
            self.unreachable = True
            raise
        self.connection = connection
        return connection

    def close(self) -> None:
        """Say goodbye to the server and close the connection, if one is open; a server that hangs up first is
        no failure (the e-mails were sent)."""
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.close()
        except OSError:
            drop(connection)

    def drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            drop(connection)


def smtp_connection():
    """A Flask-Mailman SMTP backend for the MAIL_* settings as they are now (not yet connected)."""
    config = current_app.config
    return mail.get_connection(
        backend=config.get("MAIL_BACKEND") or "smtp",
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=config["MAIL_TIMEOUT"],
    )


def drop(connection) -> None:
    """Close the socket of a connection an error left open, without talking to the server (Flask-Mailman closes
    it only after a success)."""
    smtp = getattr(connection, "connection", None)
    if smtp is not None:
        connection.connection = None
        smtp.close()


def failure_text(error: BaseException) -> str:
    """A short message, in the current locale, of why an e-mail was not sent; it names the server but never the
    account's password."""
    server = f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("邮件服务器 %(server)s 拒绝登录（用户名或密码不对）", server=server)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _("邮件服务器 %(server)s 拒绝了收件人地址", server=server)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _("邮件服务器 %(server)s 拒绝了发件人地址", server=server)
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        return _("邮件服务器 %(server)s 出错：%(code)s %(answer)s", server=server, code=error.smtp_code,
                 answer=" ".join(answer.split())[:200])
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return _("邮件服务器 %(server)s 不支持所需的功能（STARTTLS 或登录）", server=server)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _("邮件服务器 %(server)s 断开了连接", server=server)
    if isinstance(error, smtplib.SMTPException):
        return _("邮件服务器 %(server)s 出错（%(kind)s）", server=server, kind=type(error).__name__)
    if isinstance(error, TimeoutError):
        return _("邮件服务器 %(server)s 在 %(seconds)s 秒内没有应答", server=server,
                 seconds=current_app.config["MAIL_TIMEOUT"])
    if isinstance(error, ConnectionRefusedError):
        return _("无法连接邮件服务器 %(server)s（连接被拒绝）", server=server)
    if isinstance(error, OSError):
        return _("无法连接邮件服务器 %(server)s（%(reason)s）", server=server, reason=error.strerror or type(error).__name__)
    return _("发送邮件时出错（%(kind)s）", kind=type(error).__name__)
