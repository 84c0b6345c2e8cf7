"""Charts drawn on the server as SVG (no chart library, nothing loaded at run time)."""
from __future__ import annotations

from markupsafe import Markup, escape


def bar_chart(points: list[tuple[str, float]], title: str, width: int = 360, height: int = 190,
              value_format: str = "{:.0f}", color: str = "#2f6fde") -> Markup:
    """Vertical bars with labels under every other bar and the value above each non-zero bar.

    Text is 12-13 units high: the chart fills its card, so on a phone (a ~320 px card for a 360-unit
    chart) a unit is a little under a pixel, and smaller text was unreadable there."""
    pad_l, pad_b, pad_t = 8, 28, 22
    n = max(len(points), 1)
    top = max((v for _, v in points), default=0) or 1
    slot = (width - pad_l * 2) / n
    bar_w = max(2.0, slot * 0.7)
    plot_h = height - pad_b - pad_t
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top
        x = pad_l + i * slot + (slot - bar_w) / 2
        y = pad_t + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}" rx="2">'
                     f'<title>{escape(label)}: {escape(value_format.format(value))}</title></rect>')
        if value:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="13" text-anchor="middle">'
                         f'{escape(value_format.format(value))}</text>')
        if n <= 7 or i % 2 == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 9}" font-size="12" text-anchor="middle" '
                         f'fill="#4a5160">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def funnel_chart(steps: list[tuple[str, int]], title: str, width: int = 360, row: int = 30) -> Markup:
    """Horizontal bars, one per step, each as wide as its share of the first step."""
    first = max((v for _, v in steps[:1]), default=0) or max((v for _, v in steps), default=0) or 1
    height = row * len(steps) + 10
    label_w = 140
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(steps):
        w = (width - label_w - 36) * min(value / first, 1.0)
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + row / 2 + 4:.0f}" font-size="13">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 12}" fill="#1f9d6a" rx="3"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + row / 2 + 4:.0f}" font-size="14">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: list[int], width: int = 120, height: int = 24) -> Markup:
    top = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    pts = " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
                  f'height="{height}" class="spark" aria-hidden="true"><polyline points="{pts}" fill="none" '
                  f'stroke="#c0392b" stroke-width="1.5"/></svg>')
