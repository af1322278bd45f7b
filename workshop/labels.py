"""Which node labels fit on a chart without overlapping: a greedy placement, most important
first, in the chart's pixels. Pure: points in, the indices to label out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.56  # average glyph width / font size for the UI's sans-serif (Source Sans), measured on the wall
LINE_HEIGHT = 1.35  # measured: a 28 px label's SVG text box is 37 px tall in Chromium


@dataclass(frozen=True)
class Candidate:
    x: float  # the node's centre, in px from the plot area's left
    y: float  # in px from the plot area's top
    text: str
    priority: float  # larger is placed first
    gap: float = 0.0  # px between the node's centre and the label's bottom (the marker's radius)


def box(c: Candidate, *, font_px: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the label drawn centred above its node."""
    width = len(c.text) * CHAR_WIDTH * font_px
    height = LINE_HEIGHT * font_px
    bottom = c.y - c.gap
    return (c.x - width / 2, bottom - height, c.x + width / 2, bottom)


def place(candidates: Sequence[Candidate], *, font_px: float, width: float, height: float, margin: float = 4.0) -> list[int]:
    """Indices of the candidates whose label is drawn: inside the plot area and overlapping no
    label placed before it (most important first; ties by position, so it is deterministic)."""
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].priority, candidates[i].x, candidates[i].y))
    placed: list[tuple[float, float, float, float]] = []
    chosen = []
    for i in order:
        if not candidates[i].text:
            continue
        left, top, right, bottom = box(candidates[i], font_px=font_px)
        if left < 0 or top < 0 or right > width or bottom > height:
            continue
        grown = (left - margin, top - margin, right + margin, bottom + margin)
        if any(grown[0] < b[2] and b[0] < grown[2] and grown[1] < b[3] and b[1] < grown[3] for b in placed):
            continue
        placed.append((left, top, right, bottom))
        chosen.append(i)
    return sorted(chosen)
