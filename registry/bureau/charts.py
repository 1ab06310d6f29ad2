"""Charts drawn on the server as inline SVG: no script, no chart library, nothing fetched.

Each function returns markup with a <title> for screen readers; the page puts
the same figures in a table next to the chart.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from flask_babel import gettext as _
from markupsafe import Markup, escape

_ids = count(1)


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 12, fill: str = "#212529") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'dominant-baseline="middle">{escape(content)}</text>'
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    title_id = f"chart-title-{next(_ids)}"
    return Markup(  # nosec B704  # all text goes through escape(); the rest are numbers
        # Drawn `width` pixels wide at most, narrower with the page (.chart in registry.css); no style attribute,
        # which the Content-Security-Policy refuses.
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" role="img" aria-labelledby="{title_id}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def grouped_rates(title: str, groups: Sequence[tuple[str, Sequence[tuple[str, str, float | None]]]]) -> Markup:
    """Horizontal bars, one group per school: (group label, [(series label, colour, share 0..1 or None)])."""
    label_w, bar_w, right = 210, 380, 60
    bar_h, gap, top = 14, 14, 48
    series = groups[0][1] if groups else []
    height = top + sum(len(items) * bar_h + gap for _label, items in groups) + 6
    body = []
    x = label_w
    for name, color, _share in series:  # legend
        body.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{color}"/>')
        body.append(_text(x + 16, 14, name))
        x += 16 + 14 * len(name) + 18
    for pct in (0, 50, 100):
        gx = label_w + bar_w * pct / 100
        body.append(f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{height - 4}" stroke="#dee2e6"/>')
        body.append(_text(gx, top - 14, f"{pct}%", anchor="middle", size=10, fill="#6c757d"))
    y = top
    for group_label, items in groups:
        body.append(_text(label_w - 8, y + len(items) * bar_h / 2, _shorten(group_label, 16), anchor="end"))
        for name, color, share in items:
            if share is None:
                body.append(_text(label_w + 4, y + bar_h / 2, "—", size=10, fill="#6c757d"))
            else:
                width = max(bar_w * share, 1)
                body.append(
                    f'<rect x="{label_w}" y="{y + 1}" width="{width:.1f}" height="{bar_h - 2}" fill="{color}">'
                    f"<title>{escape(group_label)} · {escape(name)}{_('：')}{share:.0%}</title></rect>"
                )
                body.append(_text(label_w + width + 4, y + bar_h / 2, f"{share:.0%}", size=10))
            y += bar_h
        y += gap
    return _svg(label_w + bar_w + right, int(height), title, body)


def columns(title: str, bars: Sequence[tuple[str, int, str]], unit: str = "") -> Markup:
    """Vertical bars: (label, count, colour)."""
    width, height, left, bottom, top = 640, 240, 36, 34, 18
    plot_h = height - top - bottom
    biggest = max((n for _label, n, _color in bars), default=0) or 1
    slot = (width - left - 8) / max(len(bars), 1)
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#adb5bd"/>']
    for i, (text, n, color) in enumerate(bars):
        h = plot_h * n / biggest
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(h, 0):.1f}" fill="{color}">'
            f"<title>{escape(text)}{_('：')}{n}{escape(unit)}</title></rect>"
        )
        # 13: the chart is drawn at about 80% in a half-width card, and labels must stay readable there.
        body.append(_text(x + w / 2, y - 8, str(n), anchor="middle", size=13))
        body.append(_text(x + w / 2, height - bottom + 15, _shorten(text, 8), anchor="middle", size=13))
    return _svg(width, height, title, body)


def lines(
    title: str, points: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]], label_every: int = 6
) -> Markup:
    """Shares over time, one line per series: `points` names the x positions (months), each series is
    (label, colour, [share 0..1 or None per point]). None leaves a gap; a point alone is still drawn as a dot.
    Every `label_every`-th point counted back from the last is named under the axis."""
    width, height, left, right, top, bottom = 720, 280, 44, 16, 44, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    last = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + plot_w * i / last if len(points) > 1 else left + plot_w / 2

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    body = []
    lx = left
    for name, color, _values in series:  # legend
        body.append(f'<rect x="{lx}" y="8" width="12" height="12" fill="{color}"/>')
        body.append(_text(lx + 16, 14, name))
        lx += 16 + 14 * len(name) + 18
    for pct in (0, 25, 50, 75, 100):
        gy = y(pct / 100)
        body.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="#dee2e6"/>')
        body.append(_text(left - 6, gy, f"{pct}%", anchor="end", size=10, fill="#6c757d"))
    for i, text in enumerate(points):
        if (len(points) - 1 - i) % label_every == 0:
            anchor = "end" if i == len(points) - 1 and i > 0 else "start" if i == 0 and len(points) > 1 else "middle"
            body.append(_text(x(i), height - bottom + 14, text, anchor=anchor, size=11, fill="#6c757d"))
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
    return _svg(width, height, title, body + dots)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
