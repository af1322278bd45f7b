"""The network for Gephi: GEXF 1.2 with colours, sizes and the wall's positions, GraphML, and
the node and edge tables, at the level's privacy (pseudonymised ids below 'full')."""

from __future__ import annotations

import io
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import pandas as pd

from workshop import charts, network
from workshop.export.payload import HIDDEN_CONTACT_FIELDS, node_id, participant_label
from workshop.model import FLOWS
from workshop.rooms import Reading


@dataclass(frozen=True)
class GraphFiles:
    """The network as Gephi and the bundle's tables and picture receive it."""

    gexf: bytes
    graphml: bytes
    nodes: pd.DataFrame  # Gephi's node table (Id, Label, attributes, x, y)
    edges: pd.DataFrame  # Gephi's edge table (Source, Target, Type, Weight, attributes)
    graph: ig.Graph
    positions: dict


def graph_files(reading: Reading, *, level: str, positions: dict | None = None) -> GraphFiles:
    """GEXF 1.2 (with viz), GraphML, and Gephi-style node/edge tables; node ids stable across exports.
    `positions`: the projector's last layout, so that Gephi opens the picture the room saw."""
    room, secret = reading.room, reading.secret
    # The reading's one analysis (exact): the PDF's brokers and the GEXF's betweenness agree.
    g, table = reading.analysis.graph, reading.analysis.metrics
    positions = network.layout(g, positions, seed=0)
    people = {
        int(p.id): participant_label(int(p.id), p.display_name, bool(p.show_name), level=level, secret=secret)
        for p in room.participants.itertuples()
    }
    G = nx.Graph()
    nodes, edges = [], []
    categories = sorted({c for c in g.vs["circle"] if c})
    for v, row in zip(g.vs, table.itertuples(), strict=True):
        nid = node_id(v["key"], level, secret)
        if v["kind"] == "participant":
            label = people[int(v["key"][1:])]
        else:
            label = v["label"] if level == "full" else nid
        colour = charts.PALETTE[categories.index(v["circle"]) % len(charts.PALETTE)] if v["circle"] in categories else "#444444"
        x, y = positions[v["key"]]
        attrs = {
            "label": label,
            "kind": v["kind"],
            "circle": v["circle"],
            "region": v["region"],
            "city": v["city"],
            "organisation": v["organisation"],
            "sector": v["sector"],
            "community": int(row.community),
            "degree": int(row.degree),
            "betweenness": float(row.betweenness),
            "known_by": len(v["known_by"]),
        }
        if level != "full" and v["kind"] != "participant":
            attrs.update({k: val for k, val in HIDDEN_CONTACT_FIELDS.items() if k in attrs})
        size = 4.0 + 20.0 * float(row.degree) / max(1, int(table["degree"].max()))
        G.add_node(nid, **attrs, viz={"color": _rgb(colour), "size": size, "position": {"x": x * 1000, "y": y * 1000, "z": 0.0}})
        nodes.append({"Id": nid, "Label": label, **{k: v2 for k, v2 in attrs.items() if k != "label"}, "x": x, "y": y})
    for e in g.es:
        a, b = node_id(g.vs[e.source]["key"], level, secret), node_id(g.vs[e.target]["key"], level, secret)
        attrs = {
            "kind": e["kind"],
            "circle": e["circle"],
            "strength": int(e["strength"]),
            "trust": int(e["trust"]),
            "dormant": bool(e["dormant"]),
            "last_contact": int(e["last_contact_year"] or 0),
            **{f"flow_{f}": f in e["flows"] for f in FLOWS},
            "weight": float(e["weight"]),
        }
        G.add_edge(a, b, **attrs)
        edges.append(
            {
                "Source": a,
                "Target": b,
                "Type": "Undirected",
                "Weight": attrs["weight"],
                **{k: v2 for k, v2 in attrs.items() if k != "weight"},
            }
        )
    gexf = io.BytesIO()
    nx.write_gexf(G, gexf, version="1.2draft")
    H = G.copy()
    for _, data in H.nodes(data=True):
        data.pop("viz", None)
    graphml = io.BytesIO()
    nx.write_graphml(H, graphml)
    return GraphFiles(gexf.getvalue(), graphml.getvalue(), pd.DataFrame(nodes), pd.DataFrame(edges), g, positions)


def _rgb(hex_colour: str) -> dict:
    hex_colour = hex_colour.lstrip("#")
    return {"r": int(hex_colour[0:2], 16), "g": int(hex_colour[2:4], 16), "b": int(hex_colour[4:6], 16), "a": 1.0}
