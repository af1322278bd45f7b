"""Plotly figure builders (pure: data in, go.Figure out). Every user string is HTML-escaped,
because Plotly renders a pseudo-HTML subset (<a>, <span style>, <br>) in text and hover."""

from __future__ import annotations

import html
import math

import igraph as ig
import pandas as pd
import plotly.graph_objects as go

from workshop import labels
from workshop.i18n import count, number, t
from workshop.model import CIRCLE_FAMILIES, CIRCLE_FAMILY

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
)
# One colour per circle family, fixed (Okabe–Ito: told apart by colour-blind eyes too).
FAMILY_COLOURS = dict(zip(CIRCLE_FAMILIES, ("#0072B2", "#CC79A7", "#009E73", "#E69F00", "#D55E00", "#999999"), strict=True))
FONT = {"size": 24}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# Plotly's decimal then thousands separator per language: "0,5" and "1 434" on a French page.
SEPARATORS = {"fr": ", ", "en": ".,"}
MIN_CHART_PX = 24  # every chart text read from the back of the room (16 px on a 1280×720 projector)


def _base(fig: go.Figure, *, height: int = 620, legend: bool = True, lang: str = "fr") -> go.Figure:
    """Size, margins, the language's number separators, and no axis text under MIN_CHART_PX."""
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        showlegend=legend,
        legend={"font": {"size": 24}, "itemsizing": "constant"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=SEPARATORS.get(lang, SEPARATORS["en"]),
    )
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        if axis.tickfont.size is None or axis.tickfont.size < MIN_CHART_PX:
            axis.tickfont.size = MIN_CHART_PX
    return fig


def _count_axis(axis, top: float) -> None:
    """An axis of counts: whole numbers, grouped as the language writes them, never "0.5"."""
    axis.tickformat = ",d"
    if top <= 8:
        axis.dtick = 1


COMMUNITY_COLOURS = 7  # communities coloured one by one; the others share a grey


def node_category(v: ig.Vertex, color_by: str, community: int, lang: str) -> str:
    """The legend entry of a node under the chosen colour mode."""
    if v["kind"] == "participant" and color_by != "community":
        return t("net.participant", lang)
    if color_by == "circle":
        return t(f"family.{CIRCLE_FAMILY.get(v['circle'], 'other')}", lang)
    if color_by == "community":
        # The largest communities (network.metrics numbers them by size) each with its colour, the
        # rest as one entry: a legend of 29 (at 200 people) or 100+ (at 1,000) says nothing.
        if community >= COMMUNITY_COLOURS:
            return t("net.bubble_other", lang)
        return f"{t('net.by.community', lang)} {community + 1}"
    if color_by in ("sector", "region"):
        return v[color_by] or t("net.unknown", lang)
    return t(f"net.{v['kind']}", lang)


def network_figure(
    g: ig.Graph,
    positions: dict[str, tuple[float, float]],
    table: pd.DataFrame,
    *,
    lang: str = "fr",
    color_by: str = "circle",
    size_by: str = "degree",
    show_labels: bool = False,
    anonymous: bool = False,
    only_bridges: bool = False,
    height: int = 760,
    wall: tuple[int, int] | None = None,
    fresh_since: str | None = None,
    notes: list[str] | None = None,
    brokers: tuple[str, ...] = (),
) -> go.Figure:
    """The collective network: participants as diamonds, contacts as dots, bridges outlined,
    dormant ties dashed. Contact labels only when the facilitator opted in (show_labels).
    `wall`: the plot area in px on the wall canvas; only labels that fit without overlapping are
    drawn there, in large type. A graph from network.summarise_for_wall draws each participant's
    own contacts as its size. Nodes that appeared since `fresh_since` (ISO time) are ringed in green.
    `notes`: more caption on the wall (the bridges view names its brokers); `brokers`: their node
    keys, kept in the bridges view."""
    fig = go.Figure()
    if g.vcount() == 0:
        return _base(fig, height=height)
    keep = _bridges_only(g, brokers) if only_bridges else set(range(g.vcount()))
    # 4 decimals are a tenth of a pixel on the wall: the redraw sent to every wall is smaller.
    at = {k: (round(x, 4), round(y, 4)) for k, (x, y) in positions.items()}
    comm = dict(zip(table["key"], table["community"], strict=True))
    # A size mode is a column of network.metrics (network.SIZE_MODES); an unknown one, by degree.
    score = dict(zip(table["key"], table[size_by if size_by in table.columns else "degree"], strict=True))
    top = max(score.values()) or 1
    for trace in _edge_traces(g, at, keep):
        fig.add_trace(trace)
    summary = "own" in g.vs.attributes()  # network.summarise_for_wall: a participant's own contacts are its size
    sizes, names, texts = _node_marks(
        g, keep, score, top, summary=summary, lang=lang, show_labels=show_labels, anonymous=anonymous
    )
    fresh = {i for i in names if fresh_since and (g.vs[i]["first_seen"] or "") >= fresh_since}
    extra, caption = 0, []
    if wall:
        sizes = _within_ink(sizes, plot_px=wall)
        hulls = _hulls_of(g, names, comm, at, plot_px=wall)
        caption = _wall_caption(g, lang, summary=summary, fresh=bool(fresh), hulls=bool(hulls), notes=notes or [])
        # The caption's extra lines come out of the plot's height, so labels are placed where they land.
        extra = WALL_CAPTION_LINE_PX * max(0, len(caption) - 1)
        wall = (wall[0], wall[1] - extra)
        texts = _fitting_labels(g, positions, texts, sizes, score, top, plot_px=wall)
        for hull in hulls:
            path = "M " + " L ".join(f"{x:.4f},{y:.4f}" for x, y in hull) + " Z"
            fig.add_shape(type="path", path=path, layer="below", fillcolor=HULL_FILL, line={"width": 2, "color": HULL_LINE})
    for name, members, colour in _colour_groups(g, keep, comm, color_by=color_by, lang=lang):
        vs = g.vs[members]
        fig.add_trace(
            _group_trace(vs, name, colour, at, sizes, texts, fresh, names if not wall else None, lang=lang, summary=summary)
        )
    if wall:
        fig.add_trace(_wall_labels(g, keep, at, sizes, texts))
    fig.update_xaxes(visible=False, range=list(X_RANGE))
    # No fixed aspect ratio: the room's network fills the wide wall instead of a centred square.
    fig.update_yaxes(visible=False, range=list(Y_RANGE))
    fig = _base(fig, height=height)
    if wall:
        _wall_layout(fig, wall, extra, caption)
    return fig


def _bridges_only(g: ig.Graph, brokers: tuple[str, ...]) -> set[int]:
    """Only what bridges: contacts several participants share, the participants who share them,
    and the brokers (whose own contacts form groups that do not know each other)."""
    bridges = {v.index for v in g.vs if v["kind"] == "contact" and len(v["known_by"]) >= 2}
    keep = bridges | {n for b in bridges for n in g.neighbors(b) if g.vs[n]["kind"] == "participant"}
    return keep | {v.index for v in g.vs if v["key"] in set(brokers)}


def _edge_traces(g: ig.Graph, at: dict, keep: set[int]) -> list[go.Scatter]:
    """Live ties as solid lines, dormant ones dotted: one trace each, drawn as trails (a line goes
    on from node to node while it can: one point per edge instead of two and a gap)."""
    traces = []
    keys = g.vs["key"]
    dormant_of = g.es["dormant"]
    for dormant, dash, colour in ((False, "solid", "rgba(90,90,90,0.35)"), (True, "dot", "rgba(90,90,90,0.55)")):
        pairs = [
            e.tuple for e, d in zip(g.es, dormant_of, strict=True) if bool(d) == dormant and e.source in keep and e.target in keep
        ]
        xs, ys = [], []
        for trail in edge_trails(pairs):
            # 3 decimals: an end within 1 px of its node on the 1,804 px wall, a line of 1.2 px.
            # Measured: the lines were 3/4 of the 200-person wall's bytes as separate segments
            # (base64 typed arrays came out larger: plotly escapes their "/").
            xs += [round(at[keys[v]][0], 3) for v in trail] + [None]
            ys += [round(at[keys[v]][1], 3) for v in trail] + [None]
        if xs:
            line = {"width": 1.2, "color": colour, "dash": dash}
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=line, hoverinfo="skip", showlegend=False))
    return traces


def edge_trails(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """The edges as few walks as a greedy pass finds, each edge in exactly one walk once (a walk
    is its nodes in order). Starts from odd-degree nodes, where walks must end, in node order:
    the same edges give the same walks."""
    adjacent: dict[int, list[tuple[int, int]]] = {}
    for i, (a, b) in enumerate(pairs):
        adjacent.setdefault(a, []).append((b, i))
        adjacent.setdefault(b, []).append((a, i))
    for around in adjacent.values():
        around.reverse()  # popped from the end: the edges in their given order
    used = [False] * len(pairs)
    starts = sorted(adjacent, key=lambda v: (len(adjacent[v]) % 2 == 0, v))
    trails = []
    for start in starts:
        while adjacent[start]:
            trail, node = [start], start
            while adjacent[node]:
                other, i = adjacent[node].pop()
                if used[i]:
                    continue
                used[i] = True
                trail.append(other)
                node = other
            if len(trail) > 1:
                trails.append(trail)
    return trails


def _is_bridge(v: ig.Vertex) -> bool:
    return v["kind"] == "contact" and len(v["known_by"]) >= 2


def _node_marks(
    g: ig.Graph, keep: set[int], score: dict, top: float, *, summary: bool, lang: str, show_labels: bool, anonymous: bool
) -> tuple[dict[int, float], dict[int, str], dict[int, str]]:
    """Each kept node's marker size, its name and the text drawn by it."""
    sizes, names, texts = {}, {}, {}
    for v in g.vs:
        if v.index not in keep:
            continue
        participant, bridge = v["kind"] == "participant", _is_bridge(v)
        if summary and participant:
            sizes[v.index] = min(54.0, 16 + 5 * v["own"] ** 0.5)
        elif summary:
            sizes[v.index] = min(36.0, 8 + 4 * len(v["known_by"]))
        else:
            sizes[v.index] = 10 + 26 * (score[v["key"]] / top) ** 0.6 + (8 if participant else 0) + (6 if bridge else 0)
        names[v.index] = label = _node_label(v, lang, show_labels=show_labels, anonymous=anonymous)
        # On the wall a hidden label says nothing: a bridge shows how many people know it instead.
        texts[v.index] = label if participant or show_labels else (f"×{len(v['known_by'])}" if bridge else "")
    return sizes, names, texts


def _hulls_of(g: ig.Graph, names: dict, comm: dict, at: dict, *, plot_px: tuple[int, int]) -> list:
    members: dict[int, list[tuple[float, float]]] = {}
    for i in names:
        members.setdefault(comm[g.vs[i]["key"]], []).append(at[g.vs[i]["key"]])
    return community_hulls(list(members.values()), plot_px=plot_px)


def _wall_caption(g: ig.Graph, lang: str, *, summary: bool, fresh: bool, hulls: bool, notes: list[str]) -> list[str]:
    """What the wall says under the network, in lines that fit."""
    caption = []
    if summary:
        own = sum(v["own"] for v in g.vs if v["kind"] == "participant")
        caption.append(t("net.wall_summary", lang, n=number(own, lang)))
    if fresh:
        caption.append(t("net.new_ring", lang))
    if hulls:
        caption.append(t("net.hulls", lang))
    return _caption_lines(caption + notes)  # what the view adds, e.g. the brokers of the bridges view


def _colour_groups(g: ig.Graph, keep: set[int], comm: dict, *, color_by: str, lang: str) -> list[tuple[str, list[int], str]]:
    """The legend's groups in order: (name, node indices, colour)."""
    groups: dict[str, list[int]] = {}
    for v in g.vs:
        if v.index in keep:
            groups.setdefault(node_category(v, color_by, comm[v["key"]], lang), []).append(v.index)
    participant_group = t("net.participant", lang)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == participant_group, -len(kv[1]), kv[0]))
    if color_by == "community":  # in the communities' own order, "Autres" last
        ordered = sorted(groups.items(), key=lambda kv: min(comm[g.vs[i]["key"]] for i in kv[1]))
    family_colour = {t(f"family.{f}", lang): c for f, c in FAMILY_COLOURS.items()}
    coloured = []
    for n, (name, members) in enumerate(ordered):
        colour = "#222222" if name == participant_group else PALETTE[n % len(PALETTE)]
        if color_by == "circle" and name in family_colour:
            colour = family_colour[name]  # never by rank: "Marché" stays orange after the merges
        if color_by == "community":
            # By the community's own number (by size), never by its rank in this view: a filter or
            # a refresh does not recolour "Communauté 2".
            rank = comm[g.vs[members[0]]["key"]]
            colour = PALETTE[rank] if rank < COMMUNITY_COLOURS else "#9a9a9a"
        coloured.append((name, members, colour))
    return coloured


def _group_trace(
    vs, name: str, colour: str, at: dict, sizes: dict, texts: dict, fresh: set, names: dict | None, *, lang: str, summary: bool
):
    """One legend group's markers; `names` None on the wall, a static picture without hover text."""
    on_wall = names is None
    symbols = ["diamond" if v["kind"] == "participant" else "circle" for v in vs]
    lines = [5.0 if v.index in fresh else 3.5 if _is_bridge(v) else 0.8 for v in vs]
    outlines = [NEW_OUTLINE if v.index in fresh else "#111" for v in vs]
    hovers = None if on_wall else [_hover(v, names[v.index], lang, summary=summary) for v in vs]
    return go.Scatter(
        x=[at[v["key"]][0] for v in vs],
        y=[at[v["key"]][1] for v in vs],
        # On the wall labels come last, in a trace of their own: a later group's nodes
        # would otherwise be drawn over an earlier group's labels.
        mode="markers" if on_wall else "markers+text",
        name=_esc(name),
        text=None if on_wall else [texts[v.index] for v in vs],
        textposition="top center",
        textfont={"size": 16},
        hovertext=hovers,
        hoverinfo="skip" if on_wall else "text",
        customdata=None if on_wall else [v["key"] for v in vs],
        marker={
            "size": [sizes[v.index] for v in vs],
            "symbol": symbols,
            "color": colour,
            "line": {"width": lines, "color": outlines if fresh else "#111"},  # one colour sent when nothing is new
            "opacity": 0.9,
        },
    )


def _hover(v: ig.Vertex, name: str, lang: str, *, summary: bool) -> str:
    own = f"<br>{_esc(t('net.own', lang, n=v['own']))}" if summary and v["kind"] == "participant" else ""
    circles = f"<br>{_esc(', '.join(t(f'circle.{c}', lang) for c in v['circles']))}" if v["circles"] else ""
    return f"{name}<br>{_esc(t('con.known_by', lang))}: {len(v['known_by'])}{own}{circles}"


def _wall_labels(g: ig.Graph, keep: set[int], at: dict, sizes: dict, texts: dict) -> go.Scatter:
    """The wall's labels, last and in large type, above invisible markers of the nodes' sizes:
    Plotly sets a label above its marker, where _fitting_labels reserved its place."""
    labelled = [v for v in g.vs if v.index in keep and texts[v.index]]
    return go.Scatter(
        x=[at[v["key"]][0] for v in labelled],
        y=[at[v["key"]][1] for v in labelled],
        mode="markers+text",
        marker={"size": [sizes[v.index] for v in labelled], "opacity": 0},
        text=[texts[v.index] for v in labelled],
        textposition="top center",
        textfont={"size": WALL_LABEL_PX},
        showlegend=False,
        hoverinfo="skip",
    )


def _wall_caption_note(fig: go.Figure, caption: list[str]) -> None:
    """The caption under a wall figure's plot, in the wall's large type."""
    fig.add_annotation(
        text="<br>".join(_esc(line) for line in caption),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        align="left",
        xanchor="left",
        yanchor="top",
        yshift=-8,
        font={"size": WALL_LABEL_PX, "color": "#333333"},
    )


def _wall_layout(fig: go.Figure, wall: tuple[int, int], extra: int, caption: list[str]) -> None:
    """The wall's canvas: its width, the legend above, the caption under the plot."""
    fig.update_layout(
        margin=WALL_MARGIN | {"b": WALL_MARGIN["b"] + extra},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": WALL_LABEL_PX}},
        width=wall[0] + WALL_MARGIN["l"] + WALL_MARGIN["r"],
        autosize=False,
    )
    if caption:
        _wall_caption_note(fig, caption)


HULL_FILL, HULL_LINE = "rgba(31,95,191,0.07)", "rgba(31,95,191,0.30)"  # one tint: families keep the colours
MAX_HULLS = 6  # the largest communities; more areas would cover the whole picture
HULL_MIN_NODES = 4
HULL_PAD_PX = 24
HULL_MAX_SHARE = 0.25  # a community spread over more of the picture is no region: not outlined


def community_hulls(groups: list[list[tuple[float, float]]], *, plot_px: tuple[int, int]) -> list[list[tuple[float, float]]]:
    """The outline of each of the largest communities (points in data units): its convex hull
    (Qhull, through scipy) pushed out by HULL_PAD_PX from its centre, kept inside the frame;
    none for a community spread over more than HULL_MAX_SHARE of the picture (in a dense room
    they all overlap in the middle and tell nothing)."""
    from scipy.spatial import ConvexHull, QhullError

    # Data units per pixel, on each axis: the padding is the same on screen in both directions.
    ux = (X_RANGE[1] - X_RANGE[0]) / plot_px[0]
    uy = (Y_RANGE[1] - Y_RANGE[0]) / plot_px[1]
    outlines = []
    for points in sorted((g for g in groups if len(set(g)) >= HULL_MIN_NODES), key=len, reverse=True)[:MAX_HULLS]:
        pixels = [(x / ux, y / uy) for x, y in points]
        try:
            hull = ConvexHull(pixels)
        except QhullError:  # all on one line: no area to draw
            continue
        if hull.volume > HULL_MAX_SHARE * plot_px[0] * plot_px[1]:  # in 2-D, "volume" is the area
            continue
        corners = [pixels[i] for i in hull.vertices]
        cx, cy = sum(x for x, _ in corners) / len(corners), sum(y for _, y in corners) / len(corners)
        outline = []
        for x, y in corners:
            d = max(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5, 1e-9)
            px, py = x + HULL_PAD_PX * (x - cx) / d, y + HULL_PAD_PX * (y - cy) / d
            outline.append((min(max(px * ux, X_RANGE[0]), X_RANGE[1]), min(max(py * uy, Y_RANGE[0]), Y_RANGE[1])))
        outlines.append(outline)
    return outlines


NEW_OUTLINE = "#00a651"  # the ring of what arrived in the last minutes (told apart from the families' colours by its width)
WALL_INK_SHARE = 0.3  # the most of the network's picture its markers may cover (a 200-person room stays as drawn)
WALL_MIN_NODE_PX = 7  # a node never shrinks below this on the 1920×1080 canvas
WALL_LABEL_PX = 28  # node labels and legend on the 1920×1080 wall canvas (≥ 18 px at 1280×720)
WALL_MARGIN = {"l": 10, "r": 10, "t": 56, "b": 48}
X_RANGE, Y_RANGE = (-0.03, 1.03), (-0.03, 1.06)


WALL_CAPTION_LINE_PX = 36  # one more caption line under the wall's network
WALL_CAPTION_CHARS = 120  # a line of 28 px text that fits the canvas's 1824 px, with room to spare


def _caption_lines(parts: list[str]) -> list[str]:
    """The caption's parts packed into lines that fit the wall's width (" · " between parts)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= WALL_CAPTION_CHARS:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def wall_plot_px(width: int, height: int) -> tuple[int, int]:
    """The plot area of a wall figure `width` × `height` px (its margins taken off)."""
    return width - WALL_MARGIN["l"] - WALL_MARGIN["r"], height - WALL_MARGIN["t"] - WALL_MARGIN["b"]


def _within_ink(sizes: dict[int, float], *, plot_px: tuple[int, int]) -> dict[int, float]:
    """Marker sizes shrunk together so the markers cover at most WALL_INK_SHARE of the picture:
    at a conference of 1,000 the diamonds hid every shared contact and line behind them."""
    ink = sum(size * size for size in sizes.values())
    budget = WALL_INK_SHARE * plot_px[0] * plot_px[1]
    if ink <= budget:
        return sizes
    factor = (budget / ink) ** 0.5
    return {i: max(WALL_MIN_NODE_PX, size * factor) for i, size in sizes.items()}


def _fitting_labels(g, positions, texts, sizes, score, top, *, plot_px: tuple[int, int]) -> dict[int, str]:
    """Only the labels that fit without overlapping, the most connected nodes first."""
    width, height = plot_px
    indices = [i for i, text in texts.items() if text]
    candidates = []
    for i in indices:
        x, y = positions[g.vs[i]["key"]]
        candidates.append(
            labels.Candidate(
                x=(x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * width,
                y=(Y_RANGE[1] - y) / (Y_RANGE[1] - Y_RANGE[0]) * height,
                text=html.unescape(texts[i]),
                priority=score[g.vs[i]["key"]] / top + (1.0 if g.vs[i]["kind"] == "participant" else 0.0),
                gap=sizes[i] / 2,
            )
        )
    shown = {indices[k] for k in labels.place(candidates, font_px=WALL_LABEL_PX, width=width, height=height)}
    return {i: (text if i in shown else "") for i, text in texts.items()}


def _node_label(v: ig.Vertex, lang: str, *, show_labels: bool, anonymous: bool) -> str:
    """What a node may say on the wall: participants' chosen names (unless anonymous), contact
    labels only when opted in; otherwise the category."""
    if v["kind"] == "participant":
        return "" if anonymous else _esc(v["label"])
    if v["kind"] == "organisation" or show_labels:
        return _esc(v["label"])
    return _esc(t("net.hidden_label", lang))


def bar_figure(
    counts: dict[str, int], *, title: str = "", height: int = 480, color: str = "#1f77b4", top: int = 12, lang: str = "fr"
) -> go.Figure:
    """A horizontal bar chart, largest on top, readable from the back of the room."""
    items = list(counts.items())[:top]
    fig = go.Figure(
        go.Bar(
            x=[v for _, v in items][::-1],
            y=[_esc(k) for k, _ in items][::-1],
            orientation="h",
            marker_color=color,
            text=[v for _, v in items][::-1],
            texttemplate="%{text:,d}",
            textposition="auto",
            textfont={"size": 28},
        )
    )
    fig.update_layout(title={"text": _esc(title), "font": {"size": 30}})
    fig.update_xaxes(showgrid=True, gridcolor="#eee", tickfont={"size": 28})
    fig.update_yaxes(automargin=True, tickfont={"size": 28, "color": "#222222"})  # read from the back of the room
    _count_axis(fig.layout.xaxis, max((v for _, v in items), default=0))
    return _base(fig, height=height, legend=False, lang=lang)


def growth_figure(series: dict[str, list[tuple[float, int]]], *, lang: str = "fr", height: int = 460) -> go.Figure:
    """How the room grew over the round: one line per count, minutes since the round opened."""
    fig = go.Figure()
    for n, (name, points) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="lines",
                name=_esc(name),
                line={"width": 6, "color": ("#0072B2", "#E69F00")[n % 2]},
                fill="tozeroy" if n == 0 else None,
            )
        )
    fig.update_xaxes(title={"text": _esc(t("proj.minutes", lang)), "font": {"size": 28}}, tickfont={"size": 28}, showgrid=False)
    fig.update_yaxes(tickfont={"size": 28}, gridcolor="#eee", rangemode="tozero")
    _count_axis(fig.layout.yaxis, max((p[1] for points in series.values() for p in points), default=0))
    fig = _base(fig, height=height, lang=lang)
    fig.update_layout(
        legend={"orientation": "h", "y": 1.12, "x": 0, "font": {"size": 28}}, margin={"l": 10, "r": 10, "t": 60, "b": 10}
    )
    return fig


def flows_figure(flow_data: dict, *, lang: str = "fr", height: int = 480) -> go.Figure:
    counts = {t(f"flow.{f}", lang): n for f, n in flow_data["flows"].items()}
    colours = ["#8c564b", "#bcbd22", "#1f77b4", "#2ca02c", "#e377c2"]
    fig = go.Figure(
        go.Bar(
            x=list(counts),
            y=list(counts.values()),
            marker_color=colours,
            text=list(counts.values()),
            texttemplate="%{text:,d}",
            textposition="auto",
            textfont={"size": 28},
        )
    )
    market = t("flow.market_count", lang, n=number(flow_data["market"], lang))
    non_market = t("flow.non_market_count", lang, n=number(flow_data["non_market"], lang))
    fig.update_layout(title={"text": _esc(f"{market} · {non_market}"), "font": {"size": 28}})
    fig.update_xaxes(tickfont={"size": 24})
    _count_axis(fig.layout.yaxis, max(counts.values(), default=0))
    return _base(fig, height=height, legend=False, lang=lang)


HEATMAP_ROWS = 25  # participants a readable participants × circles chart holds


def circles_heatmap(matrix: pd.DataFrame, *, lang: str = "fr", anonymous: bool = False, height: int = 700) -> go.Figure:
    """Participants x circles: who reaches which circle. A large room shows the HEATMAP_ROWS
    participants with the most contacts, and says how many of how many."""
    if matrix.empty:
        return _base(go.Figure(), height=height, lang=lang)
    total = len(matrix)
    if total > HEATMAP_ROWS:
        matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index[:HEATMAP_ROWS]]
    rows = [f"#{i + 1}" if anonymous else _esc(r) for i, r in enumerate(matrix.index)]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[_esc(t(f"circle.{c}", lang)) for c in matrix.columns],
            y=rows,
            colorscale="Blues",
            text=matrix.values,
            texttemplate="%{text}",
            textfont={"size": MIN_CHART_PX},
            showscale=False,
        )
    )
    if total > HEATMAP_ROWS:
        fig.update_layout(
            title={"text": _esc(t("net.heatmap_top", lang, n=HEATMAP_ROWS, total=number(total, lang))), "font": {"size": 26}}
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-30)
    return _base(fig, height=height, legend=False, lang=lang)


def votes_figure(themes_df: pd.DataFrame, *, lang: str = "fr", height: int = 560) -> go.Figure:
    """Themes ranked by dots (ideas count in the label)."""
    if themes_df.empty:
        return _base(go.Figure(), height=height, legend=False)
    ranked = themes_df.sort_values(["votes", "ideas", "id"], ascending=[False, False, True])
    counts = {
        f"{row.label} ({count(row.ideas, 'th.one_idea', 'th.n_ideas', lang)})": int(row.votes) for row in ranked.itertuples()
    }
    return bar_figure(counts, height=height, color="#d62728", top=15, lang=lang)


MAP_CENTRE, MAP_RADII = (0.5, 0.5), (0.39, 0.24)  # the bubbles sit on an ellipse across the wide wall
MAP_LABEL_PX = WALL_LABEL_PX  # ≥ 18 px once a 1280×720 projector scales the canvas
MAP_LINE_PX = 34  # one line of a bubble's label
MAP_CHAR_PX = 0.5 * MAP_LABEL_PX  # an average character of the wall's sans-serif at that size (0.4 measured)


def map_positions(k: int) -> list[tuple[float, float]]:
    """Where k bubbles sit (data units): one in the centre, else around an ellipse from the top."""
    if k == 1:
        return [MAP_CENTRE]
    (cx, cy), (a, b) = MAP_CENTRE, MAP_RADII
    # Half a step off the top: as many bubbles above the middle as below, none level with it.
    angles = [math.pi / 2 - 2 * math.pi * (i + 0.5) / k for i in range(k)]
    return [(cx + a * math.cos(angle), cy + b * math.sin(angle)) for angle in angles]


def bubble_lines(bubble: dict, *, lang: str) -> list[str]:
    """A bubble's label: its number and leading circle, its leading region, its counts."""
    circles = [c for c in bubble["circles"] if c != "other"] or bubble["circles"]  # "Autre" names nothing
    head = t("net.bubble_other", lang) if bubble["other"] else (t(f"circle.{circles[0]}", lang) if circles else "")
    lines = [f"{bubble['index'] + 1}. {head}".strip()]
    if bubble["regions"] and not bubble["other"]:
        lines.append(bubble["regions"][0])
    lines.append(t("net.bubble_people", lang, n=number(bubble["participants"], lang), contacts=number(bubble["contacts"], lang)))
    return lines


def map_label_boxes(cmap, *, plot_px: tuple[int, int], lang: str) -> list[tuple[float, float, float, float]]:
    """Each bubble label's box in px (left, top, right, bottom; y down), as community_figure sets
    it: outside the ellipse (the links are chords inside it), above an upper bubble and below a
    lower one, moved further out past any label already placed, and kept on the canvas."""
    boxes: list[tuple[float, float, float, float]] = []
    width, height = plot_px
    for (x, y), bubble in zip(map_positions(len(cmap.bubbles)), cmap.bubbles, strict=True):
        lines = bubble_lines(bubble, lang=lang)
        w = max(len(line) for line in lines) * MAP_CHAR_PX
        h = len(lines) * MAP_LINE_PX
        px, py = x * width, (1 - y) * height
        gap = _bubble_px(bubble, cmap) / 2 + 6
        upper = y >= MAP_CENTRE[1]
        top = py - gap - h if upper else py + gap
        left = min(max(px - w / 2, 0.0), width - w)  # a side bubble's label stays on the canvas
        out = -1 if upper else 1
        # The nearest free place: further out first, then toward the middle, then slid sideways.
        candidates = [
            (left + dx, top + sign * dy) for dx in (0.0, -w / 3, w / 3) for dy in range(0, 480, 8) for sign in (out, -out)
        ]
        fits = [(cl, ct) for cl, ct in candidates if 0 <= cl <= width - w and 0 <= ct <= height - h]
        left, top = next(
            (c for c in fits if not any(_overlap((c[0], c[1], c[0] + w, c[1] + h), o) for o in boxes)),
            fits[0] if fits else (left, top),
        )
        boxes.append((left, top, left + w, top + h))
    return boxes


def _overlap(a: tuple, b: tuple) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _bubble_px(bubble: dict, cmap) -> float:
    largest = max(b["participants"] + b["contacts"] for b in cmap.bubbles) or 1
    return 36 + 84 * ((bubble["participants"] + bubble["contacts"]) / largest) ** 0.5


def community_figure(
    cmap, *, lang: str = "fr", anonymous: bool = False, height: int = 760, wall: tuple[int, int] | None = None
) -> go.Figure:
    """A large room's bridges view: one bubble per community (≤ MAP_BUBBLES colours, the rest as
    "others"), lines as thick as the edges between them, the participants who bridge them named
    in the caption (counts only in an anonymous workshop). Text at WALL_LABEL_PX."""
    fig = go.Figure()
    k = len(cmap.bubbles)
    if not k:
        return _base(fig, height=height)
    at = map_positions(k)
    heaviest = max((n for _, _, n in cmap.links), default=1)
    for a, b, n in cmap.links:
        (x0, y0), (x1, y1) = at[a], at[b]
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line={"width": 2 + 16 * (n / heaviest) ** 0.5, "color": "rgba(90,90,90,0.35)"},
            )
        )
    colours = [("#999999" if b["other"] else PALETTE[i % len(PALETTE)]) for i, b in enumerate(cmap.bubbles)]
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in at],
            y=[y for _, y in at],
            mode="markers",
            hoverinfo="skip",
            showlegend=False,
            marker={
                "size": [_bubble_px(b, cmap) for b in cmap.bubbles],
                "color": colours,
                "opacity": 0.85,
                "line": {"width": 2, "color": "#111"},
            },
        )
    )
    caption = [t("net.bubble_links", lang)]
    if cmap.brokers:
        if anonymous:
            named = count(len(cmap.brokers), "th.one_participant", "th.n_participants", lang=lang)
        else:
            named = ", ".join(f"{b['name']} ({' ↔ '.join(str(i + 1) for i in b['bubbles'][:3])})" for b in cmap.brokers)
        caption.append(t("net.bubble_brokers", lang, names=named))
    caption = _caption_lines(caption)
    # The caption's extra lines come out of the plot's height: labels are placed where they land.
    extra = WALL_CAPTION_LINE_PX * max(0, len(caption) - 1)
    plot = wall or (1804, height - WALL_MARGIN["t"] - WALL_MARGIN["b"])
    plot = (plot[0], plot[1] - extra)
    for bubble, box in zip(cmap.bubbles, map_label_boxes(cmap, plot_px=plot, lang=lang), strict=True):
        lines = bubble_lines(bubble, lang=lang)
        fig.add_annotation(
            x=(box[0] + box[2]) / 2 / plot[0],
            y=1 - (box[1] + box[3]) / 2 / plot[1],
            xref="paper",
            yref="paper",
            showarrow=False,
            xanchor="center",
            yanchor="middle",
            text="<br>".join(_esc(line) for line in lines),
            font={"size": MAP_LABEL_PX, "color": "#111"},
            bgcolor="rgba(255,255,255,0.85)",
            align="center",
        )
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    fig = _base(fig, height=height, legend=False)
    fig.update_layout(margin=WALL_MARGIN | {"b": WALL_MARGIN["b"] + extra}, title=None)
    _wall_caption_note(fig, caption)
    if wall:
        fig.update_layout(width=wall[0] + WALL_MARGIN["l"] + WALL_MARGIN["r"], autosize=False)
    return fig
