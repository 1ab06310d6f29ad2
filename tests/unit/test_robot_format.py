"""The robots' wire format without a server: the JSON bodies, DingTalk's signature, shortening to a byte limit, and
typed text shown as plain text in markdown."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.notify.render import ELLIPSIS, fit_bytes, plain_markdown
from registry.notify.robots import dingtalk_signature, robot_payload
from registry.rules.vocabulary import RobotKind


@pytest.mark.parametrize(
    "kind, body",
    [
        (RobotKind.WECOM, {"msgtype": "markdown", "markdown": {"content": "### 摘要\n- 一项"}}),
        (RobotKind.DINGTALK, {"msgtype": "markdown", "markdown": {"title": "摘要", "text": "### 摘要\n- 一项"}}),
    ],
)
def test_each_robot_gets_markdown_in_its_own_shape(kind, body):
    assert robot_payload(kind, "摘要", "### 摘要\n- 一项") == body


def test_the_dingtalk_signature_is_base64_of_hmac_sha256_over_the_timestamp_and_the_secret():
    secret, timestamp = "SEC000000000000000000000", 1764295200000
    expected = hmac.new(secret.encode(), b"1764295200000\nSEC000000000000000000000", hashlib.sha256).digest()

    assert base64.b64decode(dingtalk_signature(secret, timestamp)) == expected


def test_the_dingtalk_signature_changes_with_the_timestamp():
    assert dingtalk_signature("SECabc", 1) != dingtalk_signature("SECabc", 2)


@pytest.mark.parametrize("text", ["", "ok", "中文内容", "x" * 4096])
def test_a_text_that_fits_is_left_as_it_is(text):
    assert fit_bytes(text, 4096) == text


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400), st.integers(min_value=8, max_value=600))
def test_a_shortened_text_fits_ends_with_an_ellipsis_and_is_a_whole_character_prefix(text, limit):
    fitted = fit_bytes(text, limit)

    assert len(fitted.encode("utf-8")) <= limit
    if fitted != text:
        assert fitted.endswith(ELLIPSIS)
        assert text.startswith(fitted.removesuffix(ELLIPSIS))


def test_a_chinese_text_is_never_cut_inside_a_character():
    fitted = fit_bytes("企业实践" * 10, 20)  # 3 bytes per character: 20 - 6 bytes of "……" leave 4 whole characters

    assert fitted == "企业实践……"


MARKUP = set("[]()<>*_#`\\~|!&")


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("[点此重新登录](https://evil.example)", "［点此重新登录］（https：//evil．example）"),
        ("![x](https://evil.example/a.png)", "！［x］（https：//evil．example/a．png）"),
        ("请登录 www.evil.example 核对", "请登录 www．evil．example 核对"),
        ("已累计 2.5 个月", "已累计 2.5 个月"),
        ('<font color="warning">紧急</font>', '＜font color="warning"＞紧急＜/font＞'),
        ("**粗体** _斜体_ `代码` ~~删除~~ # 标题 | 表格 \\ &amp;", "＊＊粗体＊＊ ＿斜体＿ ｀代码｀ ～～删除～～ ＃ 标题 ｜ 表格 ＼ ＆amp;"),
        ("丹东市第一职业中专 · 王立新：已等待 9 天", "丹东市第一职业中专 · 王立新：已等待 9 天"),
    ],
)
def test_markdown_typed_by_someone_is_shown_with_full_width_characters(typed, shown):
    assert plain_markdown(typed) == shown


@given(st.text())
def test_plain_markdown_leaves_no_markup_and_changes_nothing_else(text):
    shown = plain_markdown(text)

    assert not MARKUP & set(shown)
    assert "://" not in shown and not re.search(r"\.[A-Za-z]", shown)
    assert len(shown) == len(text)
    assert all(before == after for before, after in zip(text, shown, strict=True) if before not in MARKUP | {".", ":"})
