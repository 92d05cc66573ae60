"""Charts drawn on the server as inline SVG (no script, no network): the statuses of a cycle's
nodes as one stacked bar, and a number per node this year against last year. Single-series
bars are the dataset dashboard's (`batch.dashboard.bar_chart`). Colours are attributes, not
classes, so a chart looks the same wherever it is pasted."""

from __future__ import annotations

from html import escape

from ..batch.dashboard import bar_chart

STATUS_COLOURS = {
    "none": "#9e9e9e",
    "not_started": "#c62828",
    "drafting": "#ef6c00",
    "submitted": "#1565c0",
    "returned": "#ad1457",
    "accepted": "#2e7d32",
    "published": "#1b5e20",
}
NOW, BEFORE = "#3b6ea5", "#b0bec5"
MAX_BARS = 40


def _figure(title: str, width: int, height: int, body: str) -> str:
    return (
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">{body}</svg></figure>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y}" font-size="11" text-anchor="{anchor}">{escape(text)}</text>'


def status_chart(counts: list[tuple[str, str, int]], title: str, width: int = 640) -> str:
    """One bar split by status; `counts` are (status code, label, nodes) with nodes > 0."""
    counts = [c for c in counts if c[2] > 0]
    total = sum(n for _, _, n in counts)
    if not total:
        return ""
    parts, legend, x = [], [], 0.0
    for i, (code, label, n) in enumerate(counts):
        w = width * n / total
        colour = STATUS_COLOURS.get(code, "#607d8b")
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{colour}">'
            f"<title>{escape(label)} {n}</title></rect>"
        )
        lx = (i % 4) * (width / 4)
        ly = 40 + (i // 4) * 18
        legend.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="10" height="10" fill="{colour}"/>')
        legend.append(_text(lx + 14, ly, f"{label} {n}"))
        x += w
    height = 40 + ((len(counts) - 1) // 4) * 18 + 8
    return _figure(title, width, height, "".join(parts + legend))


def compare_chart(rows: list[tuple[str, float | None, float | None]], title: str, width: int = 640) -> str:
    """Paired horizontal bars per label: this year (dark) and last year (light)."""
    rows = [(label, now, before) for label, now, before in rows if now is not None or before is not None]
    rows = rows[:MAX_BARS]
    if not rows:
        return ""
    top = max(max(now or 0, before or 0) for _, now, before in rows) or 1.0
    left, pitch, bar = 200, 30, 11
    usable = width - left - 60
    parts = []
    for i, (label, now, before) in enumerate(rows):
        y = i * pitch
        parts.append(_text(left - 6, y + 15, label, "end"))
        for j, (value, colour) in enumerate(((now, NOW), (before, BEFORE))):
            if value is None:
                continue
            w = usable * value / top
            by = y + 3 + j * (bar + 1)
            parts.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
            parts.append(_text(left + w + 4, by + 9, f"{value:g}"))
    ly = len(rows) * pitch + 12
    parts.append(f'<rect x="{left}" y="{ly - 9}" width="10" height="10" fill="{NOW}"/>')
    parts.append(_text(left + 14, ly, "本年"))
    parts.append(f'<rect x="{left + 60}" y="{ly - 9}" width="10" height="10" fill="{BEFORE}"/>')
    parts.append(_text(left + 74, ly, "上年"))
    return _figure(title, width, ly + 6, "".join(parts))


__all__ = ["bar_chart", "compare_chart", "status_chart"]
