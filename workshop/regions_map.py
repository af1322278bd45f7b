"""The room's reach on a map of France's regions: each region coloured by how many participants
know someone there. The outline ships in the repository (static/fr-regions.json, built by
scripts/make_regions_map.py from an LGPL-licensed PyPI package); no outside host is asked.
Pure: counts in, an SVG (and an <img> carrying it) out."""

from __future__ import annotations

import base64
import functools
import html
import json
from pathlib import Path

import pandas as pd

from workshop.i18n import count, t

OUTLINE = Path(__file__).resolve().parent / "static" / "fr-regions.json"
# Light to dark (ColorBrewer Blues): read as "more" without a legend; a region nobody reaches is grey.
STEPS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NOBODY = "#eeeeee"


@functools.cache
def outline() -> dict:
    """{"viewBox", "transform", "regions": {name: path}} (read once per process)."""
    return json.loads(OUTLINE.read_text(encoding="utf-8"))


def participants_reaching(contacts: pd.DataFrame) -> dict[str, int]:
    """Region → how many participants know at least one person there, most first."""
    if contacts.empty:
        return {}
    known = contacts[contacts["region"].astype(str).str.strip() != ""]
    counts = known.groupby("region")["participant_id"].nunique()
    return {str(r): int(n) for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def colour(n: int, most: int) -> str:
    """The fill of a region reached by `n` participants when the best-reached one has `most`."""
    if n <= 0 or most <= 0:
        return NOBODY
    return STEPS[min(len(STEPS) - 1, (n * len(STEPS) - 1) // most)]


def map_svg(counts: dict[str, int], *, lang: str = "fr", height: int = 760) -> str:
    """The map as one SVG document (a title per region)."""
    shape = outline()
    most = max(counts.values(), default=0)
    paths = []
    for region, d in shape["regions"].items():
        n = counts.get(region, 0)
        name = html.escape(count(n, "map.region_one", "map.region_count", lang, region=region), quote=True)
        paths.append(f'<path d="{d}" fill="{colour(n, most)}" stroke="#ffffff" stroke-width="1.5"><title>{name}</title></path>')
    x, y, w, h = (float(v) for v in shape["viewBox"].split())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{shape["viewBox"]}" width="{round(height * w / h)}" '
        f'height="{height}"><g transform="{shape["transform"]}">{"".join(paths)}</g></svg>'
    )


def map_img(counts: dict[str, int], *, lang: str = "fr", height: int = 760) -> str:
    """The map as an <img> with its SVG inline as a data URI (st.html keeps no inline SVG), and
    an alternative text that says what it shows."""
    reached = sum(1 for region in outline()["regions"] if counts.get(region, 0) > 0)
    alt = html.escape(t("map.alt", lang, n=reached), quote=True)
    data = base64.b64encode(map_svg(counts, lang=lang, height=height).encode("utf-8")).decode("ascii")
    return f'<img class="wall-map" src="data:image/svg+xml;base64,{data}" alt="{alt}" height="{height}">'
