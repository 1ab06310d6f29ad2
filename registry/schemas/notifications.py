"""What is typed about notifications: a work-group robot's webhook."""
from __future__ import annotations

from typing import Annotated

from registry.rules.vocabulary import RobotKind
from registry.schemas.fields import Required, Schema, code, text


class RobotWebhookIn(Schema):
    """A school's (or the bureau's) work-group robot: which robot, its webhook address and, for a DingTalk robot
    whose security setting is 加签, its secret (SEC…). The address itself is checked by
    registry.notify.robots.check_webhook_url."""

    kind: Annotated[code(RobotKind), Required]
    url: text(500)
    secret: text(100, required=False) = ""
    clear_secret: bool = False  # remove the stored secret (it is never shown back: a blank one keeps it)
