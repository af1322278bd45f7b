"""Network pipeline benchmark on a synthetic room from the demo generator.

    python bench/network.py --participants 200 [--json]

The demo room's participants answer "Qui se connaît ?" (ties among ~30% of their contact pairs,
more often within a circle, an organisation, a region).

ours: network.analyse (resolve the confirmed merges, build with the ties, communities, centrality,
Burt's constraint and effective size, groups among each participant's contacts, findings) + layout
on igraph (betweenness exact up to 1,000 nodes, path-length cutoff 4 above);
incremental: 1% new contacts and their ties, the same with the layout seeded by the previous positions;
naive: what a user would write with networkx on the same graph (spring_layout, exact betweenness,
louvain, effective_size, constraint).
Also times the merge-candidate search (rapidfuzz all pairs) over every contact label.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import charts, demo, network, resolve, rooms, store
from workshop import db as dbmod


def pipeline(room, previous=None):
    analysis = network.analyse(room)  # resolves the confirmed merges itself
    positions = network.layout(analysis.graph, previous, seed=0)
    return analysis.graph, analysis.metrics, positions, analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow networkx run")
    args = parser.parse_args()

    path = Path(tempfile.mkdtemp()) / "bench.db"
    db = dbmod.open_db(path)
    t0 = time.perf_counter()
    result = demo.seed_demo(db, participants=args.participants, seed=args.seed, with_themes=False)
    seed_s = time.perf_counter() - t0
    wid = result.workshop.id
    room = rooms.load(db, wid)

    t0 = time.perf_counter()
    cands = resolve.contact_candidates(room.contacts)
    candidates_s = time.perf_counter() - t0

    pipeline(room)  # warm-up (imports, allocations)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        g, table, positions, analysis = pipeline(room)
        runs.append(time.perf_counter() - t0)
    ours_s = sorted(runs)[1]

    fig = charts.network_figure(g, positions, table, lang="fr")
    figure_bytes = len(fig.to_json())
    # The wall's figure: a large room summarised (participants + shared contacts), laid out on
    # its own, labels that fit at 28 px on the 1920x1080 canvas.
    t0 = time.perf_counter()
    small = network.summarise_for_wall(g) if g.vcount() > network.WALL_DETAIL_LIMIT else g
    wall_positions = network.layout(small, seed=0) if small is not g else positions
    wall_fig = charts.network_figure(small, wall_positions, table, lang="fr", wall=charts.wall_plot_px(1824, 780))
    wall_s = time.perf_counter() - t0
    wall_bytes = len(wall_fig.to_json())
    wall_labels = sum(1 for trace in wall_fig.data if trace.text for text in trace.text if text)
    # The conference wall's bridges view: communities as bubbles.
    t0 = time.perf_counter()
    cmap = network.community_map(g, table)
    bubbles_fig = charts.community_figure(cmap, lang="fr", wall=charts.wall_plot_px(1824, 780))
    bubbles_s = time.perf_counter() - t0
    bubbles_bytes = len(bubbles_fig.to_json())

    # 1% new contacts, some naming people already known by others.
    rng = random.Random(args.seed + 1)
    people = store.participants_frame(db, wid)["id"].tolist()
    n_new = max(1, len(room.contacts) // 100)
    for k in range(n_new):
        p = store.get_participant(db, wid, rng.choice(people))
        cid = store.add_contact(
            db, p, submission_id=f"bench-new-{k}", label=f"Nouveau Contact {k}", circle=rng.choice(demo.CIRCLES)
        )
        others = [c for c in store.census_contact_ids(db, p.id) if c != cid]
        store.record_ties(
            db, p, cid, knows=rng.sample(others, k=min(3, len(others))), shown=others, submission_id=f"bench-tie-{k}"
        )
    room2 = rooms.load(db, wid)
    runs = []
    for _ in range(3):  # median of three: this machine's timings are noisy
        t0 = time.perf_counter()
        g2, _, positions2, _ = pipeline(room2, positions)
        runs.append(time.perf_counter() - t0)
    incremental_s = sorted(runs)[1]
    moved = [float(np.hypot(positions[k][0] - positions2[k][0], positions[k][1] - positions2[k][1])) for k in positions]
    median_displacement = float(np.median(moved))

    naive_s = None
    if not args.skip_naive:
        G = nx.Graph()
        G.add_nodes_from(g.vs["key"])
        G.add_edges_from((g.vs[e.source]["key"], g.vs[e.target]["key"]) for e in g.es)
        t0 = time.perf_counter()
        nx.spring_layout(G, seed=0)
        nx.betweenness_centrality(G)
        nx.community.louvain_communities(G, seed=0)
        nx.effective_size(G)
        nx.constraint(G)
        naive_s = time.perf_counter() - t0

    per_person = room.contacts.groupby("participant_id").size()
    pairs = int(sum(n * (n - 1) // 2 for n in per_person))
    holes = [h for h in analysis.holes if h["answered"]]
    out = {
        "participants": args.participants,
        "contacts": int(len(room.contacts)),
        "ties": int(len(room.ties)),
        "tie_share": round(len(room.ties) / pairs, 3) if pairs else 0,
        "knows_edges": sum(1 for kind in g.es["kind"] if kind == "knows"),
        "effective_size_eq_degree": sum(1 for h in analysis.holes if abs(h["effective_size"] - h["degree"]) < 1e-9),
        "median_effective_size": analysis.holes_median["effective_size"],
        "median_groups": analysis.holes_median["groups"],
        "median_degree": float(np.median([h["degree"] for h in holes])) if holes else 0.0,
        "brokers_by_holes": sum(1 for b in analysis.brokers if b["census"]),
        "communities": analysis.communities,
        "nodes": g.vcount(),
        "edges": g.ecount(),
        "merge_candidates": len(cands),
        "candidates_s": round(candidates_s, 3),
        "ours_s": round(ours_s, 3),
        "naive_s": round(naive_s, 2) if naive_s is not None else None,
        "ratio": round(naive_s / ours_s, 1) if naive_s else None,
        "incremental_s": round(incremental_s, 3),
        "new_contacts": n_new,
        "median_displacement": round(median_displacement, 4),
        "figure_bytes": figure_bytes,
        "wall_nodes": small.vcount(),
        "wall_figure_bytes": wall_bytes,
        "wall_figure_s": round(wall_s, 3),
        "wall_labels": wall_labels,
        "bubbles": len(cmap.bubbles),
        "bubbles_figure_bytes": bubbles_bytes,
        "bubbles_figure_s": round(bubbles_s, 3),
        "seed_s": round(seed_s, 2),
    }
    db.close()
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>22}  {v}")


if __name__ == "__main__":
    main()
