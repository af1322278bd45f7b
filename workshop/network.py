"""The room's collective network on igraph: one builder, metrics, room-level findings, and a
layout that keeps its positions between refreshes so the wall shows growth, not jumps."""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import igraph as ig
import numpy as np
import pandas as pd

from workshop import resolve
from workshop.model import CONTACT_FIELDS, FLOWS, MARKET_FLOWS, NON_MARKET_FLOWS, Words

_RNG_LOCK = threading.Lock()


@dataclass
class Room:
    """What the builders need (room.load reads it from the store in one snapshot)."""

    participants: pd.DataFrame
    contacts: pd.DataFrame
    merges: pd.DataFrame
    # Who knows whom among each participant's contacts (participant_id, contact_a, contact_b),
    # and the census cards answered (participant_id, contact_id): a room read before the census
    # existed has neither.
    ties: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["participant_id", "contact_a", "contact_b"]))
    census: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["participant_id", "contact_id"]))


def _most_common(values) -> str:
    values = [v for v in values if v]
    if len(values) <= 1:
        return values[0] if values else ""
    return Counter(values).most_common(1)[0][0]


def _year(value) -> int:
    """A last-contact year from a frame cell (None or NaN when not given) as an int, 0 if unknown."""
    return int(value) if value is not None and value == value else 0


def build_graph(room: Room, *, organisations: bool = False, filters: dict | None = None) -> ig.Graph:
    """Participants, resolved contacts (and optionally organisations) as an undirected igraph.

    Vertex attributes: key, kind ('participant'|'contact'|'organisation'), label, circle, region,
    city, organisation, sector, known_by (participant ids), first_seen (ISO time it appeared:
    a participant's joining, a contact's first mention). Edge attributes: kind ('maps': a
    participant names a contact; 'knows': two contacts know each other, as a participant said;
    'organisation'), circle, strength, trust, dormant, last_contact_year, flows (list), weight.
    Ties join the resolved contacts: two participants' ties meet where their contacts were merged.
    """
    contacts = apply_filters(room.contacts, filters or {})
    node_of = resolve.resolve(room.contacts, room.merges)
    participants = room.participants
    names = dict(zip(participants["id"].tolist(), participants["display_name"].tolist(), strict=True))
    # Times are optional (a frame built by hand has none): without them nothing is "new".
    joined = dict(
        zip(participants["id"].tolist(), participants.get("joined_at", pd.Series([""] * len(participants))).tolist(), strict=True)
    )
    vertices: dict[str, dict] = {}
    for pid, name in names.items():
        vertices[f"p{pid}"] = {"kind": "participant", "label": name, "rows": [], "since": str(joined[pid] or "")}
    edges: dict[tuple[str, str], dict] = {}
    # Column lists zipped into dicts: several times faster than DataFrame.to_dict on Arrow strings.
    used = ("id", "participant_id", *(f for f in CONTACT_FIELDS if f != "skills"), "created_at")
    columns = {c: contacts[c].tolist() if c in contacts else [""] * len(contacts) for c in used}
    for row in (dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)):
        owner = f"p{row['participant_id']}"
        if owner not in vertices:
            continue
        key = node_of.get(int(row["id"]), f"c{row['id']}")
        if key == owner:
            continue
        node = vertices.setdefault(key, {"kind": "contact", "label": row["label"], "rows": []})
        node["rows"].append(row)
        pair = tuple(sorted((owner, key)))
        edge = edges.get(pair)
        if edge is None or row["strength"] > edge["strength"]:
            edges[pair] = {
                "circle": row["circle"],
                "strength": int(row["strength"]),
                "trust": int(row["trust"]),
                "dormant": bool(row["dormant"]),
                "last_contact_year": _year(row["last_contact_year"]),
                "flows": list(row["flows"]),
                "weight": float(row["strength"]),
                "contact_id": int(row["id"]),
                "kind": "maps",
            }
        if organisations and row["organisation"]:
            okey = "o" + resolve.normalise(row["organisation"])
            vertices.setdefault(okey, {"kind": "organisation", "label": row["organisation"], "rows": []})
            edges.setdefault(
                tuple(sorted((key, okey))),
                _linking_edge("organisation", weight=0.5),
            )
    _add_ties(room.ties, node_of, vertices, edges)
    keys = list(vertices)
    index = {k: i for i, k in enumerate(keys)}
    g = ig.Graph(n=len(keys), edges=[(index[a], index[b]) for a, b in edges])
    g.vs["key"] = keys
    g.vs["kind"] = [vertices[k]["kind"] for k in keys]
    g.vs["label"] = [vertices[k]["label"] for k in keys]
    rows_of = [vertices[k]["rows"] for k in keys]
    for attr in ("circle", "region", "city", "organisation", "sector"):
        # Most contacts are named once: their one row says it, no count to make.
        g.vs[attr] = [(rows[0][attr] or "") if len(rows) == 1 else _most_common(r[attr] for r in rows) for rows in rows_of]
    g.vs["known_by"] = [sorted({int(r["participant_id"]) for r in rows}) for rows in rows_of]
    g.vs["circles"] = [sorted({r["circle"] for r in rows}) for rows in rows_of]
    g.vs["contact_ids"] = [sorted(int(r["id"]) for r in rows) for rows in rows_of]
    g.vs["first_seen"] = [
        vertices[k].get("since") or min((str(r["created_at"]) for r in rows), default="")
        for k, rows in zip(keys, rows_of, strict=True)
    ]
    for attr in ("circle", "strength", "trust", "dormant", "last_contact_year", "flows", "weight", "contact_id", "kind"):
        g.es[attr] = [e[attr] for e in edges.values()]
    return g


def _linking_edge(kind: str, *, weight: float) -> dict:
    """The attributes of an edge that is no participant's contact row (a shared organisation, a
    tie among contacts): neutral values where a row would carry its circle, scales and flows."""
    return {
        "circle": "",
        "strength": 1,
        "trust": 1,
        "dormant": False,
        "last_contact_year": 0,
        "flows": [],
        "weight": weight,
        "contact_id": -1,
        "kind": kind,
    }


def _add_ties(ties: pd.DataFrame, node_of: dict, vertices: dict, edges: dict) -> None:
    """Contact-contact edges ("se connaissent") between the resolved contacts that are drawn (a
    filter or a suspension may have removed one end); a tie stated by two people is one edge."""
    if ties.empty:
        return
    for a, b in zip(ties["contact_a"].tolist(), ties["contact_b"].tolist(), strict=True):
        ka, kb = node_of.get(int(a), f"c{a}"), node_of.get(int(b), f"c{b}")
        if ka == kb or ka not in vertices or kb not in vertices:
            continue
        pair = (ka, kb) if ka < kb else (kb, ka)
        if pair not in edges:  # stated by two people, or through a merge: one edge
            edges[pair] = _linking_edge("knows", weight=1.0)


WALL_DETAIL_LIMIT = 250  # nodes the wall draws one by one; above, each participant's own contacts are summarised


def summarise_for_wall(g: ig.Graph) -> ig.Graph:
    """The room as a large room reads it: participants and the contacts several of them share
    (the bridges) drawn one by one; a contact only one participant knows is not drawn, it is
    counted in its participant's `own` attribute (drawn as the participant's size)."""
    own = [0] * g.vcount()
    keep = []
    for v in g.vs:
        if v["kind"] == "contact" and len(v["known_by"]) < 2:
            for n in g.neighbors(v.index):
                own[n] += 1
        else:
            keep.append(v.index)
    g = g.copy()
    g.vs["own"] = own
    return g.induced_subgraph(keep, implementation="create_from_scratch")


MAP_BUBBLES = 7  # communities drawn as bubbles on a conference wall; the rest are one "others" bubble


@dataclass(frozen=True)
class CommunityMap:
    """A large room as a few bubbles: its largest communities, the links between them (shared
    contacts and ties between contacts), and the participants who bridge them."""

    bubbles: list[dict]  # index, participants, contacts, circles, regions, sectors (leading 2), other (bool)
    links: list[tuple[int, int, int]]  # (bubble, bubble, edges between them), heaviest first
    brokers: list[dict]  # key, name, bubbles (indices they link), betweenness; best first


def community_map(g: ig.Graph, table: pd.DataFrame, *, top: int = MAP_BUBBLES, brokers: int = 6) -> CommunityMap:
    """The communities of the collective graph (network.metrics) as bubbles: the `top` holding the
    most participants, the others merged into one; links weighted by the edges that cross them."""
    if g.vcount() == 0:
        return CommunityMap([], [], [])
    community = table["community"].tolist()
    people = Counter(community[v.index] for v in g.vs.select(kind="participant"))
    biggest = [c for c, _ in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    rest = len(people) > len(biggest)
    index = {c: i for i, c in enumerate(biggest)}
    other = len(biggest)
    bubble = [index.get(c, other) if (c in index or rest) else -1 for c in community]
    members: dict[int, list[ig.Vertex]] = defaultdict(list)
    for v in g.vs:
        if bubble[v.index] >= 0:
            members[bubble[v.index]].append(v)
    bubbles = []
    for i in range(len(biggest) + (1 if rest else 0)):
        vs = members.get(i, [])
        contacts = [v for v in vs if v["kind"] == "contact"]

        def leading(attr: str, contacts=contacts) -> list[str]:
            counts = Counter(c for v in contacts for c in (v["circles"] if attr == "circle" else [v[attr]]) if c)
            return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]

        bubbles.append(
            {
                "index": i,
                "participants": sum(1 for v in vs if v["kind"] == "participant"),
                "contacts": len(contacts),
                "circles": leading("circle"),
                "regions": leading("region"),
                "sectors": leading("sector"),
                "other": i == other,
            }
        )
    weights: Counter[tuple[int, int]] = Counter()
    for a, b in g.get_edgelist():
        ba, bb = bubble[a], bubble[b]
        if ba != bb and ba >= 0 and bb >= 0:
            weights[(min(ba, bb), max(ba, bb))] += 1
    links = [(a, b, n) for (a, b), n in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))]
    betweenness = table["betweenness"].tolist()
    found = []
    for v in g.vs.select(kind="participant"):
        # A participant bridges the bubbles their own contacts belong to (their own bubble too).
        reached = sorted({bubble[n] for n in g.neighbors(v.index) if bubble[n] >= 0} | {bubble[v.index]} - {-1})
        if len(reached) >= 2:
            found.append({"key": v["key"], "name": v["label"], "bubbles": reached, "betweenness": float(betweenness[v.index])})
    found.sort(key=lambda d: (-len(d["bubbles"]), -d["betweenness"], d["key"]))
    return CommunityMap(bubbles, links, found[:brokers])


def apply_filters(contacts: pd.DataFrame, filters: dict) -> pd.DataFrame:
    """Console filters: circles, flows, minimum strength/trust, dormant only / active only, regions."""
    if contacts.empty or not filters:
        return contacts
    mask = pd.Series(True, index=contacts.index)
    if filters.get("circles"):
        mask &= contacts["circle"].isin(filters["circles"])
    if filters.get("flows"):
        wanted = set(filters["flows"])
        mask &= contacts["flows"].map(lambda fl: bool(wanted & set(fl)))
    if filters.get("min_strength"):
        mask &= contacts["strength"] >= int(filters["min_strength"])
    if filters.get("min_trust"):
        mask &= contacts["trust"] >= int(filters["min_trust"])
    if filters.get("dormant") == "dormant":
        mask &= contacts["dormant"].astype(bool)
    elif filters.get("dormant") == "active":
        mask &= ~contacts["dormant"].astype(bool)
    if filters.get("regions"):
        mask &= contacts["region"].isin(filters["regions"])
    return contacts[mask]


# ---------------------------------------------------------------- metrics


EXACT_BETWEENNESS_UP_TO = 1000  # nodes; above, live refreshes count short paths only (betweenness_cutoff)


def metrics(g: ig.Graph, *, seed: int = 0, exact: bool | None = None) -> pd.DataFrame:
    """Degree, betweenness (normalised), community (multilevel, seeded), and Burt's constraint
    and effective size (degree less the redundancy of ties among one's neighbours).

    Betweenness is exact up to EXACT_BETWEENNESS_UP_TO nodes (and whenever exact=True, as the
    exports ask). Above, the live views use igraph's path-length cutoff (betweenness_cutoff)."""
    n = g.vcount()
    if n == 0:
        return pd.DataFrame(columns=["key", "degree", "betweenness", "community", "constraint", *SIZE_MEASURES])
    if exact is None:
        exact = n <= EXACT_BETWEENNESS_UP_TO
    betweenness = g.betweenness(directed=False, cutoff=None if exact else betweenness_cutoff(g))
    norm = (n - 1) * (n - 2) / 2 if n > 2 else 1
    with seeded_igraph(seed):
        communities = g.community_multilevel().membership if g.ecount() else list(range(n))
    communities = _renumber_by_size(communities)
    constraint = [0.0 if np.isnan(c) else float(c) for c in g.constraint()]
    table = pd.DataFrame(
        {
            "key": g.vs["key"],
            "degree": g.degree(),
            "betweenness": [b / norm for b in betweenness],
            "community": communities,
            "constraint": constraint,
        }
    )
    for name, measure in SIZE_MEASURES.items():
        table[name] = measure(g)
    return table


def effective_sizes(g: ig.Graph) -> list[float]:
    """Burt's effective size of every node, unweighted (Borgatti's form, as networkx computes it
    for an undirected unweighted graph): n - 2t/n, n neighbours with t ties among them."""
    degree = np.asarray(g.degree(), dtype=float)
    # Local transitivity is t / (n(n-1)/2): the ties among neighbours, counted in C.
    local = np.nan_to_num(np.asarray(g.transitivity_local_undirected(mode="zero"), dtype=float))
    ties = local * degree * (degree - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(degree > 0, degree - 2 * ties / np.maximum(degree, 1), 0.0)
    return [float(round(x, 6)) for x in size]


# What can size the network's nodes (the console's "Taille des points"), each a column of
# metrics(): degree and betweenness, then these measures of the graph, one value per node. A new
# measure is its function here and its name in each catalogue (net.size.<name>): nothing else.
SIZE_MEASURES: dict[str, Callable[[ig.Graph], list[float]]] = {"effective_size": effective_sizes}
SIZE_MODES = ("degree", "betweenness", *SIZE_MEASURES)


def betweenness_cutoff(g: ig.Graph) -> int:
    """Path length the live views count betweenness up to. Measured on the 200-person demo room
    (1,912 nodes): with ties among contacts, paths are short and a cutoff of 2 takes 28 ms instead
    of 390 ms exact, the same top 10, rank correlation 0.96; as stars (no ties) a cutoff of 2 keeps
    4 of the top 10, so there 4 (28 ms, 7 of 10, correlation 0.998)."""
    return 2 if "kind" in g.es.attributes() and "knows" in g.es["kind"] else 4


@contextmanager
def seeded_igraph(seed: int):
    """igraph draws from Python's global `random`: give it a private seeded generator meanwhile."""
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def _renumber_by_size(membership: list[int]) -> list[int]:
    """Community 0 is the largest, ties by first member: stable colours across refreshes."""
    sizes = Counter(membership)
    first = {}
    for i, c in enumerate(membership):
        first.setdefault(c, i)
    order = sorted(sizes, key=lambda c: (-sizes[c], first[c]))
    rank = {c: r for r, c in enumerate(order)}
    return [rank[c] for c in membership]


# ---------------------------------------------------------------- findings


def bridge_contacts(g: ig.Graph, names: dict[int, str]) -> list[dict]:
    """Contacts known by two or more participants, most shared first."""
    out = []
    for v in g.vs:
        if v["kind"] == "contact" and len(v["known_by"]) >= 2:
            out.append(
                {
                    "key": v["key"],
                    "label": v["label"],
                    "count": len(v["known_by"]),
                    "known_by": [names.get(p, "?") for p in v["known_by"]],
                    "circles": v["circles"],
                }
            )
    out.sort(key=lambda d: (-d["count"], d["key"]))
    return out


def answered_census(room: Room) -> set[int]:
    """Participants who said something about their contacts' ties (a card answered, even "nobody")."""
    out = {int(p) for p in room.census["participant_id"].tolist()} if not room.census.empty else set()
    return out | ({int(p) for p in room.ties["participant_id"].tolist()} if not room.ties.empty else set())


def structural_holes(g: ig.Graph, table: pd.DataFrame, answered: set[int]) -> list[dict]:
    """Per participant, what their place spans: contacts (degree), Burt's effective size and
    constraint, and the groups among their contacts that do not know each other (the connected
    parts of their neighbourhood, themselves left out). `answered`: their census was answered,
    so "do not know each other" was said, not merely unknown."""
    out = []
    effective = table["effective_size"].tolist() if len(table) else []
    constraint = table["constraint"].tolist() if len(table) else []
    for v in g.vs.select(kind="participant"):
        neighbours = g.neighbors(v.index)
        groups = len(g.induced_subgraph(neighbours).connected_components()) if neighbours else 0
        pid = int(v["key"][1:])
        out.append(
            {
                "key": v["key"],
                "participant_id": pid,
                "name": v["label"],
                "degree": len(neighbours),
                "groups": groups,
                "effective_size": float(effective[v.index]),
                "constraint": float(constraint[v.index]),
                "answered": pid in answered,
            }
        )
    return out


def holes_median(holes: list[dict]) -> dict[str, float]:
    """The room's median place among the participants who answered the census (0 if none did)."""
    rows = [h for h in holes if h["answered"]]
    if not rows:
        return {"participants": 0, "groups": 0.0, "effective_size": 0.0, "constraint": 0.0}
    return {
        "participants": len(rows),
        **{k: float(np.median([h[k] for h in rows])) for k in ("groups", "effective_size", "constraint")},
    }


def brokers(g: ig.Graph, table: pd.DataFrame, *, holes: list[dict] | None = None, top: int = 10) -> list[dict]:
    """Participants through whom the room reaches otherwise separate people, best first.

    Where the participant answered the census: by structural holes, those whose contacts form two
    or more groups that do not know each other, ranked by effective size ("relie 3 groupes").
    Otherwise (ties unknown): two or more communities within two steps, or three circles among
    their ties, ranked by betweenness, then low constraint. Census brokers come first."""
    if g.vcount() == 0:
        return []
    by_key = {h["key"]: h for h in holes or []}
    # Plain lists by vertex index: a DataFrame row or a vertex's key per neighbour cost 60 ms at 200 people.
    community, edge_circle = table["community"].tolist(), g.es["circle"]
    betweenness, constraint, effective = (table[c].tolist() for c in ("betweenness", "constraint", "effective_size"))
    out = []
    for v in g.vs.select(kind="participant"):
        # Two steps: a participant reaches contacts, and through them the other participants.
        comms = {community[n] for n in g.neighborhood(v.index, order=2, mindist=1)}
        circles = {edge_circle[e] for e in g.incident(v.index)} - {""}
        hole = by_key.get(v["key"], {})
        census = bool(hole.get("answered"))
        if (census and hole["groups"] >= 2) or (not census and (len(comms) >= 2 or len(circles) >= 3)):
            i = v.index
            out.append(
                {
                    "key": v["key"],
                    "name": v["label"],
                    "communities": len(comms),
                    "circles": len(circles),
                    "betweenness": float(betweenness[i]),
                    "constraint": float(constraint[i]),
                    "effective_size": float(effective[i]),
                    "groups": int(hole.get("groups", 0)),
                    "census": census,
                }
            )
    out.sort(
        key=lambda d: (not d["census"], -(d["effective_size"] if d["census"] else d["betweenness"]), d["constraint"], d["key"])
    )
    return out[:top]


def collective_reach(g: ig.Graph) -> dict[str, dict[str, int]]:
    """Distinct organisations, sectors, regions, cities and circles the room reaches (resolved
    contacts counted once), with counts."""
    contacts = g.vs.select(kind="contact") if g.vcount() else []
    reach: dict[str, dict[str, int]] = {}
    for attr in ("organisation", "sector", "region", "city"):
        counts = Counter(v[attr] for v in contacts if v[attr])
        reach[attr] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    circles = Counter(c for v in contacts for c in v["circles"])
    reach["circle"] = dict(sorted(circles.items(), key=lambda kv: (-kv[1], kv[0])))
    return reach


def sleeping_capital(contacts: pd.DataFrame) -> dict[str, int]:
    """Dormant ties by circle."""
    if contacts.empty:
        return {}
    dormant = contacts[contacts["dormant"].astype(bool)]
    counts = Counter(dormant["circle"])
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def tie_diversity(contacts: pd.DataFrame, g: ig.Graph | None = None) -> dict:
    """Shares of weak (strength 1) and strong (3) ties, cross-circle and cross-region ties,
    per participant and for the room.

    A tie is cross-region when the contact lives outside the owner's main region (the region
    most of their contacts are in); cross-circle when its resolved contact is reached through
    two or more circles by the room."""
    if contacts.empty:
        return {"room": {"ties": 0, "weak": 0.0, "strong": 0.0, "cross_circle": 0.0, "cross_region": 0.0}, "participants": []}
    multi_circle = set()
    if g is not None:
        for v in g.vs:
            if v["kind"] == "contact" and len(v["circles"]) >= 2:
                multi_circle.update(v["contact_ids"])
    # Plain lists in one pass: a pandas groupby per participant cost 0.4 s at 200 people.
    per: dict[int, dict] = {}
    columns = [contacts[c].tolist() for c in ("participant_id", "owner", "region", "strength", "circle", "id")]
    for pid, owner, region, strength, circle, cid in zip(*columns, strict=True):
        row = per.setdefault(
            int(pid), {"owner": owner, "regions": [], "weak": 0, "strong": 0, "circles": set(), "cross_circle": 0}
        )
        row["regions"].append(region)
        row["weak"] += strength == 1
        row["strong"] += strength == 3
        row["circles"].add(circle)
        row["cross_circle"] += int(cid) in multi_circle
    rows = []
    totals = Counter()
    for pid in sorted(per):
        row = per[pid]
        home, n = _most_common(row["regions"]), len(row["regions"])
        cross_region = sum(1 for r in row["regions"] if r and r != home)
        weak, strong, cross_circle = int(row["weak"]), int(row["strong"]), int(row["cross_circle"])
        rows.append(
            {
                "participant_id": pid,
                "owner": row["owner"],
                "ties": n,
                "weak": weak / n,
                "strong": strong / n,
                "circles": len(row["circles"]),
                "cross_circle": cross_circle / n,
                "cross_region": cross_region / n,
            }
        )
        totals.update(ties=n, weak=weak, strong=strong, cross_region=cross_region, cross_circle=cross_circle)
    n = totals["ties"]
    room = {"ties": n, **{k: totals[k] / n for k in ("weak", "strong", "cross_circle", "cross_region")}}
    return {"room": room, "participants": rows}


def flow_counts(contacts: pd.DataFrame) -> dict:
    """Ties carrying each of the five flows; market (goods, money) vs non-market."""
    counts = {f: 0 for f in FLOWS}
    market = non_market = 0
    for flows in contacts["flows"] if not contacts.empty else []:
        for f in flows:
            counts[f] += 1
        market += any(f in MARKET_FLOWS for f in flows)
        non_market += any(f in NON_MARKET_FLOWS for f in flows)
    return {"flows": counts, "market": market, "non_market": non_market}


MAX_INTRODUCTIONS = 5  # per participant and skill sought


def skill_matches(room: Room) -> list[dict]:
    """Proposed introductions: someone in the room (a participant, or a contact of one) offers
    what another participant seeks; at most MAX_INTRODUCTIONS per need, in name order."""
    # normalised skill -> who offers it, as (via, contact_id or 0, via_id, contact) tuples: the
    # name order is theirs, and a record is made only for the few introductions kept.
    offers: dict[str, list[tuple]] = defaultdict(list)
    people = room.participants
    for pid, name, skills in zip(people["id"].tolist(), people["display_name"].tolist(), people["skills_offered"], strict=True):
        for skill in skills:
            offers[resolve.normalise(skill)].append((name, 0, int(pid), None))
    if not room.contacts.empty:
        c = room.contacts
        for cid, pid, owner, label, skills in zip(
            c["id"].tolist(), c["participant_id"].tolist(), c["owner"].tolist(), c["label"].tolist(), c["skills"], strict=True
        ):
            for skill in {resolve.normalise(s) for s in skills}:
                offers[skill].append((owner, int(cid), int(pid), label))
    for found in offers.values():
        found.sort(key=lambda o: (o[0], o[1]))
    out = []
    for sid, seeker, sought in zip(people["id"].tolist(), people["display_name"].tolist(), people["skills_sought"], strict=True):
        for wanted in sought:
            # The first few per need: a common skill sought by many once made 36,843 introductions
            # at 200 people (1.5 s at 1,000), of which a page shows 30.
            mine = [o for o in offers.get(resolve.normalise(wanted), [])[: MAX_INTRODUCTIONS + 1] if o[2] != sid]
            for via, contact_id, via_id, contact in mine[:MAX_INTRODUCTIONS]:
                out.append(
                    {
                        "skill": wanted,
                        "seeker_id": int(sid),
                        "seeker": seeker,
                        "via_id": via_id,
                        "via": via,
                        "contact_id": contact_id or None,
                        "contact": contact,
                    }
                )
    out.sort(key=lambda d: (d["seeker"], d["skill"], d["via"], d["contact_id"] or 0))
    return out


def offered_by_contacts(contacts: pd.DataFrame, skill: str) -> int:
    """How many of the room's contacts offer a skill (each contact once, however it is written)."""
    wanted = resolve.normalise(skill)
    return sum(
        1 for skills in (contacts["skills"] if not contacts.empty else []) if wanted in {resolve.normalise(s) for s in skills}
    )


def my_place(room: Room, participant_id: int) -> dict:
    """A participant's ego view in the collective network (same builder as the projector): their
    contacts others named too, participants with circles or regions in common, their place by
    structural holes. Other participants appear by name only if they chose to (None otherwise)."""
    g = build_graph(room)
    # Another participant is named only if they chose to show their name; otherwise counted.
    people = room.participants
    shown = people["show_name"].astype(bool).tolist() if "show_name" in people else [True] * len(people)
    names = {
        int(pid): name if show else None for pid, name, show in zip(people["id"], people["display_name"], shown, strict=True)
    }
    shared = []
    for v in g.vs:
        if v["kind"] == "contact" and participant_id in v["known_by"] and len(v["known_by"]) >= 2:
            mine = room.contacts[room.contacts["id"].isin(v["contact_ids"]) & (room.contacts["participant_id"] == participant_id)]
            others = [names.get(p) for p in v["known_by"] if p != participant_id]
            shared.append(
                {
                    "label": mine["label"].iloc[0] if not mine.empty else v["label"],
                    "known_by": [n for n in others if n],
                    "unnamed": sum(1 for n in others if not n),
                }
            )
    contacts = room.contacts
    mine = contacts[contacts["participant_id"] == participant_id]
    my_circles, my_regions = set(mine["circle"]), {r for r in mine["region"] if r}
    neighbours = []
    for pid, group in contacts[contacts["participant_id"] != participant_id].groupby("participant_id"):
        circles = sorted(my_circles & set(group["circle"]))
        regions = sorted(my_regions & {r for r in group["region"] if r})
        if circles or regions:
            neighbours.append({"id": int(pid), "name": names.get(int(pid)), "circles": circles, "regions": regions})
    neighbours.sort(key=lambda d: (-(len(d["circles"]) + len(d["regions"])), d["name"] is None, d["name"] or "", d["id"]))
    # Burt's measures without the betweenness the wall needs: a phone asks for one person.
    light = pd.DataFrame(
        {
            "key": g.vs["key"],
            "constraint": [0.0 if np.isnan(c) else float(c) for c in g.constraint()],
            "effective_size": effective_sizes(g),
        }
    )
    holes = structural_holes(g, light, answered_census(room))
    mine = next((h for h in holes if h["participant_id"] == participant_id), None)
    return {"shared": shared, "neighbours": neighbours[:15], "holes": mine, "median": holes_median(holes)}


# ---------------------------------------------------------------- layout


# Nodes; above, a refresh where under 10% of the nodes are new places them beside their neighbours
# without a force-directed pass (a larger share still gets one, so the picture settles as it grows).
SETTLE_UP_TO = 1500


def layout(
    g: ig.Graph, previous: dict[str, tuple[float, float]] | None = None, *, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold positions in [0, 1]², started from the previous positions (new nodes
    near their neighbours), then aligned on them (rotation, scale, shift): the picture grows
    instead of jumping. Deterministic for the same graph, previous positions and seed."""
    n = g.vcount()
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    previous = previous or {}
    keys = g.vs["key"]
    known = np.array([k in previous for k in keys])
    # The grid variant is ~25x faster on large rooms (repulsion only between nearby nodes).
    grid = n > 300
    # Seed at FR's natural span (measured: ~sqrt(n) with the grid, ~5*sqrt(n) without) so that
    # the layout neither collapses nor spends its iterations travelling.
    span = np.sqrt(n) * (1.0 if grid else 5.0)
    if known.any():
        start = np.zeros((n, 2))
        for i, k in enumerate(keys):
            if k in previous:
                start[i] = np.asarray(previous[k]) * span
        centre = start[known].mean(axis=0)
        for i in np.flatnonzero(~known):
            neigh = [j for j in g.neighbors(i) if known[j]]
            anchor = start[neigh].mean(axis=0) if neigh else centre
            start[i] = anchor + rng.normal(scale=span / 100, size=2)
        niter = 40 if known.mean() > 0.9 else 150
        # Known nodes may only drift a little (2% of the frame): the wall grows, it does not jump.
        slack = 0.02 * span if known.mean() > 0.5 else span
        low = np.where(known[:, None], start - slack, -1e9)
        high = np.where(known[:, None], start + slack, 1e9)
        if n > SETTLE_UP_TO and known.mean() > 0.9:
            # A large room's few new nodes stay beside their neighbours: 40 bounded rounds took
            # 0.1 s over 1,912 nodes (200 people with ties) and 2.1 s over 13,383 (1,000 people,
            # longer than a fresh layout), for drifts under 2% of the frame.
            coords = start
        else:
            with seeded_igraph(seed):
                coords = np.array(
                    g.layout_fruchterman_reingold(
                        seed=start.tolist(),
                        niter=niter,
                        grid=grid,
                        minx=low[:, 0].tolist(),
                        maxx=high[:, 0].tolist(),
                        miny=low[:, 1].tolist(),
                        maxy=high[:, 1].tolist(),
                    ).coords
                )
    else:
        with seeded_igraph(seed):
            coords = np.array(g.layout_fruchterman_reingold(niter=300, grid=grid).coords)
    if known.sum() >= 3:
        target = np.array([previous[k] for k, kn in zip(keys, known, strict=True) if kn])
        coords = _align(coords, target, known)
    else:
        coords = _to_unit(coords)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, coords, strict=True)}


def _to_unit(coords: np.ndarray) -> np.ndarray:
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    span = max(float((hi - lo).max()), 1e-9)
    return (coords - lo) / span * 0.9 + 0.05


def _align(coords: np.ndarray, target: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Similarity transform (Procrustes: rotation, scale, shift) putting the known nodes where they were."""
    src = coords[known]
    src_mean, dst_mean = src.mean(axis=0), target.mean(axis=0)
    a, b = src - src_mean, target - dst_mean
    u, sigma, vt = np.linalg.svd(a.T @ b)
    rotation = u @ vt
    denom = float((a**2).sum())
    scale = float(sigma.sum()) / denom if denom > 0 else 1.0
    out = (coords - src_mean) @ rotation * scale + dst_mean
    return np.clip(out, 0.0, 1.0)


class LayoutMemory:
    """Last positions per (database, workshop), shared by the projector and console tabs."""

    def __init__(self) -> None:
        self._positions: dict[tuple[str, int], dict[str, tuple[float, float]]] = {}
        self._lock = threading.Lock()

    def last(self, key: tuple[str, int]) -> dict[str, tuple[float, float]] | None:
        """The positions the wall showed last (a copy), if any."""
        with self._lock:
            found = self._positions.get(key)
            return dict(found) if found else None

    def positions(self, key: tuple[str, int], g: ig.Graph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
        with self._lock:
            previous = self._positions.get(key)
            if previous is not None and set(g.vs["key"]) <= set(previous):
                return {k: previous[k] for k in g.vs["key"]}
            pos = layout(g, previous, seed=seed)
            merged = dict(previous or {})
            merged.update(pos)
            self._positions[key] = merged
            return pos


@dataclass(frozen=True)
class Analysis:
    """What the network views need, as plain data; each field is named after the function that
    computes it (network.analyse)."""

    graph: ig.Graph
    metrics: pd.DataFrame  # one row per node: key, degree, betweenness, community, constraint
    bridge_contacts: list[dict]
    brokers: list[dict]
    collective_reach: dict[str, dict[str, int]]  # circle / region / sector -> value -> contacts
    sleeping_capital: dict[str, int]
    tie_diversity: dict
    flow_counts: dict
    skill_matches: list[dict]
    communities: int
    holes: list[dict]  # structural_holes: one row per participant
    holes_median: dict[str, float]  # the room's median place (participants who answered the census)


def analyse(room: Room, *, filters: dict | None = None, seed: int = 0, exact: bool | None = None) -> Analysis:
    """Everything the network views need, from the room (and the facilitator's filters).
    `exact`: betweenness without the live views' cutoff (an export's one analysis)."""
    g = build_graph(room, filters=filters)
    table = metrics(g, seed=seed, exact=exact)
    names = dict(zip(room.participants["id"], room.participants["display_name"], strict=True))
    contacts = apply_filters(room.contacts, filters or {})
    holes = structural_holes(g, table, answered_census(room))
    return Analysis(
        graph=g,
        metrics=table,
        bridge_contacts=bridge_contacts(g, names),
        brokers=brokers(g, table, holes=holes),
        collective_reach=collective_reach(g),
        sleeping_capital=sleeping_capital(contacts),
        tie_diversity=tie_diversity(contacts, g),
        flow_counts=flow_counts(contacts),
        skill_matches=skill_matches(room),
        communities=int(table["community"].max() + 1) if len(table) else 0,
        holes=holes,
        holes_median=holes_median(holes),
    )


def participant_circles(contacts: pd.DataFrame) -> pd.DataFrame:
    """Participants x circles matrix: how many ties each participant has in each circle."""
    if contacts.empty:
        return pd.DataFrame()
    return pd.crosstab(contacts["owner"], contacts["circle"])


MAX_NEED_VALUES = 5000  # distinct contact field values looked for in a theme's ideas


@dataclass(frozen=True)
class HelpIndex:
    """What the room's contacts reach, read once for every theme's card: each normalised value
    (sector, region, city, organisation, skill, circle word) with the contacts per participant
    that reach it, and how a person wrote it."""

    reach: dict[str, Counter]  # normalised value -> Counter(participant id -> contacts)
    shown: dict[str, str]  # normalised value -> how a person wrote it (MAX_NEED_VALUES at most)
    mapped: int  # participants who mapped contacts


def help_index(contacts: pd.DataFrame, *, circle_words: Mapping[str, Iterable[str]] | None = None) -> HelpIndex:
    """The room's contacts indexed by what they reach (who_can_help's input for many themes:
    normalising 13,500 contacts once rather than once per theme)."""
    reach: dict[str, Counter] = {}
    shown: dict[str, str] = {}
    mapped: set[int] = set()
    if contacts.empty:
        return HelpIndex(reach, shown, 0)
    circles = {c: {resolve.normalise(w) for w in words} - {""} for c, words in (circle_words or {}).items()}
    rows = contacts[["participant_id", "circle", "sector", "region", "city", "organisation", "skills"]].itertuples(index=False)
    for row in rows:
        pid = int(row.participant_id)
        mapped.add(pid)
        values = [row.sector, row.region, row.city, row.organisation, *row.skills]
        words = {resolve.normalise(v) for v in values if v} - {""}
        for v in values:
            if v and len(shown) < MAX_NEED_VALUES:
                shown.setdefault(resolve.normalise(v), str(v))
        # A circle named in any language the app speaks ("Famille", "Family").
        for word in words | circles.get(row.circle, set()):
            reach.setdefault(word, Counter())[pid] += 1
    return HelpIndex(reach, shown, len(mapped))


def who_can_help(
    tags: Iterable[str],
    contacts: pd.DataFrame | HelpIndex,
    *,
    texts: Iterable[str] = (),
    top: int = 2,
    circle_words: Mapping[str, Iterable[str]] | None = None,
) -> list[dict]:
    """What a theme needs that only some of the room reaches, best first: the theme's tags (once
    per idea that carries one), and the sectors, regions, cities, organisations and skills of the
    room's contacts that its ideas name. First what most of the theme's ideas ask for (tagged or
    named), then what reaches most contacts: a need every theme mentions once does not hide the one
    this theme is about. A need reached by more than half of the participants who mapped contacts
    (everyone has family) tells the room nothing and is left out; so is one nobody reaches. Each
    need: {"what", "participants" (ids, most contacts first), "contacts"}; [] when nothing stands out.
    `contacts`: the room's contacts, or their help_index (for many themes); `circle_words`: each
    circle as the languages name it (i18n.circle_words), so "Famille" asks for a circle."""
    index = contacts if isinstance(contacts, HelpIndex) else help_index(contacts, circle_words=circle_words)
    if not index.mapped:
        return []
    needs: dict[str, str] = {}
    asked: Counter[str] = Counter()  # how many of the theme's ideas ask for it
    for tag in tags:
        key = resolve.normalise(tag) if tag else ""
        if key:
            needs.setdefault(key, tag)
            asked[key] += 1
    said = [f" {resolve.normalise(text)} " for text in texts]
    everything = "\n".join(said)  # one search per value first: most values are named nowhere
    for key, written in index.shown.items():
        if len(key) >= 3 and f" {key} " in everything:
            named = sum(f" {key} " in text for text in said)
            needs.setdefault(key, written)
            asked[key] += named
    out = []
    for key, what in needs.items():
        reach = index.reach.get(key)
        if reach and len(reach) <= index.mapped / 2:
            out.append({"what": what, "participants": [p for p, _ in reach.most_common()], "contacts": sum(reach.values())})
    out.sort(
        key=lambda n: (-asked[resolve.normalise(n["what"])], -n["contacts"], len(n["participants"]), resolve.normalise(n["what"]))
    )
    return out[:top]


def describe_help(needs: list[dict], names: dict[int, str], *, anonymous: bool = False) -> tuple:
    """ "Qui peut aider — Santé : Ana, Ben (+1) · Lyon : Cléo" as Words to say (() when nothing
    stands out); counts instead of names in an anonymous workshop."""
    parts: list = []
    for need in needs:
        people = [names[p] for p in need["participants"] if p in names]
        if anonymous:
            who: object = Words("th.one_participant" if len(people) == 1 else "th.n_participants", {"n": len(people)})
        else:
            who = ", ".join(people[:3]) + (f" (+{len(people) - 3})" if len(people) > 3 else "")
        parts += [" · "] if parts else []
        parts.append(Words("th.help_need", {"what": need["what"], "who": who}))
    return (Words("th.help_title"), " — ", *parts) if parts else ()


def compare(now: Room, now_analysis: Analysis, before: Room, before_analysis: Analysis) -> dict:
    """Before/after for a workshop that follows another one: who and what is new, reach and tie
    diversity then and now (names compared as resolve normalises them)."""
    norm = resolve.normalise
    old_names = {norm(n) for n in before.participants["display_name"]}
    old_labels = {norm(x) for x in before.contacts["label"]} if not before.contacts.empty else set()
    old_bridges = {norm(b["label"]) for b in before_analysis.bridge_contacts}
    return {
        "new_participants": sorted(n for n in now.participants["display_name"] if norm(n) not in old_names),
        "new_contacts": int(sum(1 for x in now.contacts["label"] if norm(x) not in old_labels)) if not now.contacts.empty else 0,
        "new_bridges": len([b for b in now_analysis.bridge_contacts if norm(b["label"]) not in old_bridges]),
        "reach": {
            k: {"before": len(before_analysis.collective_reach[k]), "after": len(v)}
            for k, v in now_analysis.collective_reach.items()
        },
        "diversity": {
            k: {
                "before": round(before_analysis.tie_diversity["room"][k], 3),
                "after": round(now_analysis.tie_diversity["room"][k], 3),
            }
            for k in ("weak", "strong", "cross_circle", "cross_region")
        },
    }
