"""The robot form (rendering and CSRF only: registry.services.robots validates it)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField

from registry.form_fields import code_select, payload
from registry.rules.vocabulary import RobotKind
from registry.schemas.notifications import RobotWebhookIn


class RobotForm(FlaskForm):
    """A work-group robot: which kind, its webhook address (typed again in full on every change: the page shows
    it only masked), DingTalk's 加签 secret (blank keeps the stored one) and the choice to remove that secret."""

    kind = code_select(_l("机器人类型"), RobotKind)
    url = StringField(_l("Webhook 地址"), render_kw={"maxlength": 500, "autocomplete": "off", "spellcheck": "false",
                                                     "inputmode": "url"})
    secret = StringField(_l("加签密钥（仅钉钉，可不填）"), render_kw={"maxlength": 100, "autocomplete": "off",
                                                              "spellcheck": "false"})
    clear_secret = BooleanField(_l("清除加签密钥"))
    submit = SubmitField(_l("保存机器人"))

    def values(self) -> dict[str, Any]:
        """The RobotWebhookIn input, as typed."""
        return payload(self, RobotWebhookIn)
