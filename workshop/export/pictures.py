"""The bundle's pictures with matplotlib (no browser needed): the network and the themes' votes."""

from __future__ import annotations

import io

import pandas as pd

from workshop import charts
from workshop.i18n import t


def _pyplot():
    """matplotlib's pyplot on the Agg backend (no display; imported when a picture is drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def _png(fig) -> bytes:
    """The figure as PNG bytes, its memory given back."""
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    _pyplot().close(fig)
    return buf.getvalue()


def network_png(g, positions: dict, *, lang: str) -> bytes:
    """The network as the wall drew it: contacts by circle, bridges outlined, participants as diamonds."""
    from matplotlib.collections import LineCollection

    fig, ax = _pyplot().subplots(figsize=(12, 9), dpi=110)
    segments = [(positions[g.vs[e.source]["key"]], positions[g.vs[e.target]["key"]]) for e in g.es]
    styles = ["dotted" if e["dormant"] else "solid" for e in g.es]
    if segments:
        ax.add_collection(LineCollection(segments, colors="#999999", linewidths=0.6, linestyles=styles, alpha=0.6))
    categories = sorted({v["circle"] for v in g.vs if v["kind"] == "contact" and v["circle"]})
    for n, cat in enumerate(categories):
        vs = [v for v in g.vs if v["kind"] == "contact" and v["circle"] == cat]
        ax.scatter(
            [positions[v["key"]][0] for v in vs],
            [positions[v["key"]][1] for v in vs],
            s=[30 + 60 * (len(v["known_by"]) - 1) for v in vs],
            color=charts.PALETTE[n % len(charts.PALETTE)],
            label=t(f"circle.{cat}", lang),
            edgecolors=["#111" if len(v["known_by"]) > 1 else "none" for v in vs],
            linewidths=1.5,
            zorder=2,
        )
    ps = [v for v in g.vs if v["kind"] == "participant"]
    ax.scatter(
        [positions[v["key"]][0] for v in ps],
        [positions[v["key"]][1] for v in ps],
        s=140,
        marker="D",
        color="#222222",
        label=t("net.participant", lang),
        zorder=3,
    )
    ax.legend(loc="upper left", fontsize=11, frameon=True, bbox_to_anchor=(1.0, 1.0))
    ax.set_axis_off()
    ax.set_aspect("equal")
    return _png(fig)


def themes_png(themes_df: pd.DataFrame, *, lang: str) -> bytes:
    """Themes as bars: dots received, then ideas, most voted on top."""
    fig, ax = _pyplot().subplots(figsize=(11, max(3, 0.55 * max(1, len(themes_df)) + 1.5)), dpi=110)
    if not themes_df.empty:
        ranked = themes_df.sort_values(["votes", "ideas", "id"], ascending=[True, True, False])
        labels = [str(x)[:50] for x in ranked["label"]]
        ax.barh(labels, ranked["votes"], color="#d62728", label=t("th.votes", lang))
        ax.barh(labels, ranked["ideas"], left=ranked["votes"], color="#2ca02c", alpha=0.6, label=t("th.ideas", lang))
        ax.legend(fontsize=11)
    ax.tick_params(labelsize=11)
    return _png(fig)
