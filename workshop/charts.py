"""Plotly figure builders (pure: data in, go.Figure out). Every user string is HTML-escaped,
because Plotly renders a pseudo-HTML subset (<a>, <span style>, <br>) in text and hover."""

from __future__ import annotations

import html

import igraph as ig
import pandas as pd
import plotly.graph_objects as go

from workshop.i18n import t
from workshop.model import CIRCLE_FAMILIES, CIRCLE_FAMILY

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip
# One colour per circle family, fixed (Okabe–Ito: told apart by colour-blind eyes too).
FAMILY_COLOURS = dict(zip(CIRCLE_FAMILIES, ("#0072B2", "#CC79A7", "#009E73", "#E69F00", "#D55E00", "#999999"), strict=True))
FONT = {"size": 20}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _base(fig: go.Figure, *, height: int = 620, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        showlegend=legend,
        legend={"font": {"size": 24}, "itemsizing": "constant"},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    return fig


def node_category(v: ig.Vertex, color_by: str, community: int, lang: str) -> str:
    """The legend entry of a node under the chosen colour mode."""
    if v["kind"] == "participant" and color_by != "community":
        return t("net.participant", lang)
    if color_by == "circle":
        return t(f"family.{CIRCLE_FAMILY.get(v['circle'], 'other')}", lang)
    if color_by == "community":
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
) -> go.Figure:
    """The collective network: participants as diamonds, contacts as dots, bridges outlined,
    dormant ties dashed. Contact labels only when the facilitator opted in (show_labels)."""
    fig = go.Figure()
    if g.vcount() == 0:
        return _base(fig, height=height)
    keep = set(range(g.vcount()))
    if only_bridges:
        bridges = {v.index for v in g.vs if v["kind"] == "contact" and len(v["known_by"]) >= 2}
        keep = bridges | {n for b in bridges for n in g.neighbors(b)}
    comm = dict(zip(table["key"], table["community"], strict=True))
    score = dict(zip(table["key"], table["betweenness" if size_by == "betweenness" else "degree"], strict=True))
    top = max(score.values()) or 1
    for dormant, dash, colour in ((False, "solid", "rgba(90,90,90,0.35)"), (True, "dot", "rgba(90,90,90,0.55)")):
        xs, ys = [], []
        for e in g.es:
            if bool(e["dormant"]) != dormant or e.source not in keep or e.target not in keep:
                continue
            (x0, y0), (x1, y1) = positions[g.vs[e.source]["key"]], positions[g.vs[e.target]["key"]]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"width": 1.2, "color": colour, "dash": dash},
                    hoverinfo="skip",
                    showlegend=False,
                )  # fmt: skip
            )
    groups: dict[str, list[int]] = {}
    for v in g.vs:
        if v.index in keep:
            groups.setdefault(node_category(v, color_by, comm[v["key"]], lang), []).append(v.index)
    participant_group = t("net.participant", lang)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == participant_group, -len(kv[1]), kv[0]))
    family_colour = {t(f"family.{f}", lang): c for f, c in FAMILY_COLOURS.items()}
    for n, (name, members) in enumerate(ordered):
        vs = g.vs[members]
        colour = "#222222" if name == participant_group else PALETTE[n % len(PALETTE)]
        if color_by == "circle" and name in family_colour:
            colour = family_colour[name]  # never by rank: "Marché" stays orange after the merges
        sizes, symbols, lines, texts, hovers = [], [], [], [], []
        for v in vs:
            participant = v["kind"] == "participant"
            bridge = v["kind"] == "contact" and len(v["known_by"]) >= 2
            sizes.append(10 + 26 * (score[v["key"]] / top) ** 0.6 + (8 if participant else 0) + (6 if bridge else 0))
            symbols.append("diamond" if participant else "circle")
            lines.append(3.5 if bridge else 0.8)
            label = _node_label(v, lang, show_labels=show_labels, anonymous=anonymous)
            # On the wall a hidden label says nothing: a bridge shows how many people know it instead.
            if participant or show_labels:
                texts.append(label)
            else:
                texts.append(f"×{len(v['known_by'])}" if bridge else "")
            hovers.append(
                f"{label}<br>{_esc(t('con.known_by', lang))}: {len(v['known_by'])}"
                + (f"<br>{_esc(', '.join(t(f'circle.{c}', lang) for c in v['circles']))}" if v["circles"] else "")
            )
        fig.add_trace(
            go.Scatter(
                x=[positions[v["key"]][0] for v in vs],
                y=[positions[v["key"]][1] for v in vs],
                mode="markers+text",
                name=_esc(name),
                text=texts,
                textposition="top center",
                textfont={"size": 16},
                hovertext=hovers,
                hoverinfo="text",
                customdata=[v["key"] for v in vs],
                marker={
                    "size": sizes,
                    "symbol": symbols,
                    "color": colour,
                    "line": {"width": lines, "color": "#111"},
                    "opacity": 0.9,
                },  # fmt: skip
            )
        )
    fig.update_xaxes(visible=False, range=[-0.03, 1.03])
    # No fixed aspect ratio: the room's network fills the wide wall instead of a centred square.
    fig.update_yaxes(visible=False, range=[-0.03, 1.06])
    return _base(fig, height=height)


def _node_label(v: ig.Vertex, lang: str, *, show_labels: bool, anonymous: bool) -> str:
    """What a node may say on the wall: participants' chosen names (unless anonymous), contact
    labels only when opted in; otherwise the category."""
    if v["kind"] == "participant":
        return "" if anonymous else _esc(v["label"])
    if v["kind"] == "organisation" or show_labels:
        return _esc(v["label"])
    return _esc(t("net.hidden_label", lang))


def bar_figure(counts: dict[str, int], *, title: str = "", height: int = 480, color: str = "#1f77b4", top: int = 12) -> go.Figure:
    """A horizontal bar chart, largest on top, readable from the back of the room."""
    items = list(counts.items())[:top]
    fig = go.Figure(
        go.Bar(
            x=[v for _, v in items][::-1],
            y=[_esc(k) for k, _ in items][::-1],
            orientation="h",
            marker_color=color,
            text=[v for _, v in items][::-1],
            textposition="auto",
            textfont={"size": 24},
        )
    )
    fig.update_layout(title={"text": _esc(title), "font": {"size": 28}})
    fig.update_xaxes(showgrid=True, gridcolor="#eee", tickfont={"size": 20})
    fig.update_yaxes(automargin=True, tickfont={"size": 24, "color": "#222222"})  # read from the back of the room
    return _base(fig, height=height, legend=False)


def flows_figure(flow_data: dict, *, lang: str = "fr", height: int = 480) -> go.Figure:
    counts = {t(f"flow.{f}", lang): n for f, n in flow_data["flows"].items()}
    colours = ["#8c564b", "#bcbd22", "#1f77b4", "#2ca02c", "#e377c2"]
    fig = go.Figure(
        go.Bar(
            x=list(counts),
            y=list(counts.values()),
            marker_color=colours,
            text=list(counts.values()),
            textposition="auto",
            textfont={"size": 22},
        )  # fmt: skip
    )
    fig.update_layout(
        title={
            "text": _esc(
                f"{t('flow.market', lang)}: {flow_data['market']} · {t('flow.non_market', lang)}: {flow_data['non_market']}"
            ),
            "font": {"size": 22},
        }  # fmt: skip
    )
    fig.update_xaxes(tickfont={"size": 20})
    return _base(fig, height=height, legend=False)


def circles_heatmap(matrix: pd.DataFrame, *, lang: str = "fr", anonymous: bool = False, height: int = 700) -> go.Figure:
    """Participants x circles: who reaches which circle."""
    if matrix.empty:
        return _base(go.Figure(), height=height)
    rows = [f"#{i + 1}" if anonymous else _esc(r) for i, r in enumerate(matrix.index)]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[_esc(t(f"circle.{c}", lang)) for c in matrix.columns],
            y=rows,
            colorscale="Blues",
            text=matrix.values,
            texttemplate="%{text}",
            textfont={"size": 14},
            showscale=False,
        )  # fmt: skip
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 14})
    fig.update_xaxes(tickfont={"size": 16}, tickangle=-30)
    return _base(fig, height=height, legend=False)


def votes_figure(themes_df: pd.DataFrame, *, lang: str = "fr", height: int = 560) -> go.Figure:
    """Themes ranked by dots (ideas count in the label)."""
    if themes_df.empty:
        return _base(go.Figure(), height=height, legend=False)
    ranked = themes_df.sort_values(["votes", "ideas", "id"], ascending=[False, False, True])
    counts = {
        f"{row.label} ({t('th.one_idea' if row.ideas == 1 else 'th.n_ideas', lang, n=row.ideas)})": int(row.votes)
        for row in ranked.itertuples()
    }
    return bar_figure(counts, height=height, color="#d62728", top=15)
