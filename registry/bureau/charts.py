"""Charts drawn on the server as inline SVG: no script, no chart library, nothing fetched.

Each chart is drawn twice: wide (svg.chart-wide, filling its card on a desktop) and narrow (svg.chart-narrow, laid
out for a phone's width); registry.css shows the one that fits the screen. Both scale with their viewBox, and their
text is sized so that it stays at least 11 px on the screen that shows it (wide from 992 px, narrow at 320 px and up).
Each drawing has a <title> for screen readers; the page puts the same figures in a table next to the chart.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import count

from flask_babel import gettext as _
from markupsafe import Markup, escape

_ids = count(1)

# Font sizes in viewBox units. The wide drawings are shown at 0.85 of their size at worst (992 px), the narrow ones
# at 1 or more (their width, 320, fits the card of a 375 px screen; registry.css lets them grow up to 30rem).
WIDE_FONT, NARROW_FONT = 13, 12
NARROW_WIDTH = 320
# The wide drawings' widths: a full-width card at 1280 px is about 1080 px inside, a half-width one about 520.
FULL_WIDTH, HALF_WIDTH = 1080, 520


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 12, fill: str = "#212529") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'dominant-baseline="middle">{escape(content)}</text>'
    )


def _svg(width: float, height: float, title: str, body: list[str], variant: str) -> str:
    title_id = f"chart-title-{next(_ids)}"
    # Sized by registry.css (.chart-wide fills its card, .chart-narrow the phone's width): no style attribute, which
    # the Content-Security-Policy refuses.
    return (
        f'<svg class="chart chart-{variant}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _both(wide: str, narrow: str) -> Markup:
    return Markup(wide + narrow)  # nosec B704  # all text goes through escape(); the rest are numbers


def text_width(text: str, size: float) -> float:
    """About how wide `text` is drawn at `size`: a CJK character is square, others about 0.6 of it."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def fit(text: str, room: float, size: float) -> str:
    """`text`, cut with an ellipsis if it would be wider than `room` at `size`."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def _legend(items: Sequence[tuple[str, str]], left: float, right: float, size: int) -> tuple[list[str], float]:
    """Colour swatches and names from `left`, wrapped before `right`: (markup, the y below the last line)."""
    body, x, y, line = [], left, 8.0, size + 8
    for name, color in items:
        wide = size + 4 + text_width(name, size) + 16
        if x > left and x + wide > right:
            x, y = left, y + line
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{size}" height="{size}" fill="{color}"/>')
        body.append(_text(x + size + 4, y + size / 2, fit(name, right - x - size - 4, size), size=size))
        x += wide
    return body, y + line


def _bar(x: float, y: float, width: float, height: float, color: str, tip: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{color}">'
            f"<title>{escape(tip)}</title></rect>")


def grouped_rates(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, str, float | None]]]]) -> Markup:
    """Horizontal bars, one group per school: (group label, [(series label, colour, share 0..1 or None)])."""
    return _both(_rates_wide(title, groups), _rates_narrow(title, groups))


def _rates_wide(title, groups) -> str:
    size, width = WIDE_FONT, FULL_WIDTH
    label_w, right = 300, 60
    bar_w = width - label_w - right
    bar_h, gap = 18, 14
    series = groups[0][1] if groups else []
    body, top = _legend([(name, color) for name, color, _share in series], label_w, width, size)
    top += 22
    height = top + sum(len(items) * bar_h + gap for _label, items in groups) + 6
    for pct in (0, 50, 100):
        gx = label_w + bar_w * pct / 100
        body.append(f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{height - 4}" stroke="#dee2e6"/>')
        body.append(_text(gx, top - 14, f"{pct}%", anchor="middle", size=size, fill="#6c757d"))
    y = top
    for group_label, items in groups:
        body.append(_text(label_w - 8, y + len(items) * bar_h / 2, fit(group_label, label_w - 12, size), anchor="end",
                          size=size))
        for name, color, share in items:
            y = _rate_bar(body, label_w, y, bar_w, bar_h, group_label, name, color, share, size)
        y += gap
    return _svg(width, height, title, body, "wide")


def _rates_narrow(title, groups) -> str:
    """On a phone: each school's name on a line of its own, then a bar per rule, named on its left."""
    size, width = NARROW_FONT, NARROW_WIDTH
    label_w, right = 4 * size + 8, 40
    bar_w = width - label_w - right
    bar_h, gap = 18, 10
    body, y = [], 4.0
    for group_label, items in groups:
        body.append(_text(0, y + size / 2 + 2, fit(group_label, width, size), size=size, fill="#212529"))
        y += size + 8
        for name, color, share in items:
            body.append(_text(label_w - 6, y + bar_h / 2, fit(name, label_w - 6, size), anchor="end", size=size,
                              fill="#6c757d"))
            y = _rate_bar(body, label_w, y, bar_w, bar_h, group_label, name, color, share, size)
        y += gap
    return _svg(width, y, title, body, "narrow")


def _rate_bar(body, x, y, bar_w, bar_h, group_label, name, color, share, size) -> float:
    if share is None:
        body.append(_text(x + 4, y + bar_h / 2, "—", size=size, fill="#6c757d"))
    else:
        width = max(bar_w * share, 1)
        body.append(_bar(x, y + 2, width, bar_h - 4, color, f"{group_label} · {name}{_('：')}{share:.0%}"))
        body.append(_text(x + width + 4, y + bar_h / 2, f"{share:.0%}", size=size))
    return y + bar_h


def columns(title: str, bars: Sequence[tuple[str, int, str]], unit: str = "") -> Markup:
    """Vertical bars on a desktop, horizontal ones on a phone: (label, count, colour)."""
    return _both(_columns_wide(title, bars, unit), _columns_narrow(title, bars, unit))


def _columns_wide(title, bars, unit) -> str:
    size, width, height, left, bottom, top = WIDE_FONT, HALF_WIDTH, 260, 8, 34, 22
    plot_h = height - top - bottom
    biggest = max((n for _label, n, _color in bars), default=0) or 1
    slot = (width - left - 8) / max(len(bars), 1)
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#adb5bd"/>']
    for i, (text, n, color) in enumerate(bars):
        h = plot_h * n / biggest
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        body.append(_bar(x, y, w, h, color, f"{text}{_('：')}{n}{unit}"))
        body.append(_text(x + w / 2, y - 9, str(n), anchor="middle", size=size))
        body.append(_text(x + w / 2, height - bottom + 16, fit(text, slot - 2, size), anchor="middle", size=size))
    return _svg(width, height, title, body, "wide")


def _columns_narrow(title, bars, unit) -> str:
    size, width = NARROW_FONT, NARROW_WIDTH
    label_w = min(max((text_width(text, size) for text, _n, _c in bars), default=0), 7 * size) + 8
    right = 40
    bar_w = width - label_w - right
    bar_h = 22
    biggest = max((n for _label, n, _color in bars), default=0) or 1
    body, y = [], 2.0
    for text, n, color in bars:
        w = bar_w * n / biggest
        body.append(_text(label_w - 6, y + bar_h / 2, fit(text, label_w - 6, size), anchor="end", size=size))
        body.append(_bar(label_w, y + 3, w, bar_h - 6, color, f"{text}{_('：')}{n}{unit}"))
        body.append(_text(label_w + w + 4, y + bar_h / 2, str(n), size=size))
        y += bar_h
    body.append(f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{y + 2:.1f}" stroke="#adb5bd"/>')
    return _svg(width, y + 4, title, body, "narrow")


def lines(
    title: str, points: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]], label_every: int = 6
) -> Markup:
    """Shares over time, one line per series: `points` names the x positions (months), each series is
    (label, colour, [share 0..1 or None per point]). None leaves a gap; a point alone is still drawn as a dot.
    Every `label_every`-th point counted back from the last is named under the axis (on a phone, every multiple of
    it that leaves room for the names)."""
    return _both(
        _lines(title, points, series, label_every, FULL_WIDTH, 320, WIDE_FONT, "wide"),
        _lines(title, points, series, label_every, NARROW_WIDTH, 240, NARROW_FONT, "narrow"),
    )


def _lines(title, points, series, label_every, width, plot_height, size, variant) -> str:
    left, right, bottom = 4 * size, 16, 30
    body, top = _legend([(name, color) for name, color, _values in series], left, width, size)
    top += 12
    height = top + plot_height + bottom
    plot_w, plot_h = width - left - right, plot_height
    last = max(len(points) - 1, 1)
    name_w = max((text_width(text, size) for text in points), default=0) + 12
    step = label_every
    while step < len(points) and math.ceil(len(points) / step) * name_w > plot_w:
        step += label_every

    def x(i: int) -> float:
        return left + plot_w * i / last if len(points) > 1 else left + plot_w / 2

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    for pct in (0, 25, 50, 75, 100):
        gy = y(pct / 100)
        body.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="#dee2e6"/>')
        body.append(_text(left - 6, gy, f"{pct}%", anchor="end", size=size, fill="#6c757d"))
    for i, text in enumerate(points):
        if (len(points) - 1 - i) % step == 0:
            anchor = "end" if i == len(points) - 1 and i > 0 else "start" if i == 0 and len(points) > 1 else "middle"
            body.append(_text(x(i), height - bottom + 16, text, anchor=anchor, size=size, fill="#6c757d"))
    dots = []  # drawn after every line, so no line covers a point's tooltip
    for name, color, values in series:
        run: list[str] = []
        for i, share in enumerate([*values, None]):
            if share is None:
                if len(run) > 1:
                    body.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{color}" stroke-width="2"/>')
                run = []
                continue
            run.append(f"{x(i):.1f},{y(share):.1f}")
            dots.append(
                f'<circle cx="{x(i):.1f}" cy="{y(share):.1f}" r="3" fill="{color}">'
                f"<title>{escape(points[i])} · {escape(name)}{_('：')}{share:.0%}</title></circle>"
            )
    return _svg(width, height, title, body + dots, variant)
