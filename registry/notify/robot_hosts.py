"""The official hosts of the work-group robots' webhooks, named once: the default of ROBOT_WEBHOOK_HOSTS
(registry.config) and how registry.notify.robots tells a WeCom address from a DingTalk one."""
from __future__ import annotations

from registry.rules.vocabulary import RobotKind

OFFICIAL_HOSTS: dict[RobotKind, str] = {RobotKind.WECOM: "qyapi.weixin.qq.com", RobotKind.DINGTALK: "oapi.dingtalk.com"}
