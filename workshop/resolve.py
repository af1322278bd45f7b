"""Contact resolution: which labels written by different participants name the same person.

Candidates come from rapidfuzz (in C, inside blocks of labels sharing a word's first letters;
identical labels chained), refined with an initials-aware name score and agreement on circle,
organisation, region and city, with every cost bounded (MAX_BLOCK, MAX_PAIRS, MAX_CANDIDATES). Only the
facilitator's confirmed merges ever join two contacts into one node.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
CIVILITIES = frozenset({"m", "mr", "mme", "mlle", "dr", "pr", "me"})


def normalise(label: str) -> str:
    """'  DUPONT-Hélène, Œuvrard ' -> 'dupont helene oeuvrard' (case, accents, ligatures, punctuation)."""
    return _normalised(str(label))


@functools.lru_cache(maxsize=65_536)  # a room's labels and skills recur at every refresh; bounded
def _normalised(label: str) -> str:
    text = unicodedata.normalize("NFKD", label.translate(_LIGATURES).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LIGATURES)
    return " ".join(_PUNCT.sub(" ", text).split())


def _tokens(norm: str) -> list[str]:
    return norm.split()


def initials_score(a: str, b: str) -> float:
    """Name agreement that understands initials: 'm dupont' ~ 'marie dupont' -> 90; 0 when they
    cannot be the same name. Both arguments are normalised labels."""
    return max(_initials_one_way(_tokens(a), _tokens(b)), _initials_one_way(_tokens(b), _tokens(a)))


def _initials_one_way(short: list[str], long_: list[str]) -> float:
    """Every token of `short` explained by a distinct token of `long_` (same, near-same, or its initial)."""
    if not short or not long_ or len(short) > len(long_):
        return 0.0
    remaining = list(long_)
    full_matches = initials = 0
    for tok in short:
        match = next((r for r in remaining if r == tok or (len(tok) > 3 and fuzz.ratio(r, tok) >= 88)), None)
        if match is not None:
            remaining.remove(match)
            full_matches += 1
            continue
        if len(tok) == 1:
            match = next((r for r in remaining if r[0] == tok), None)
            if match is not None:
                remaining.remove(match)
                initials += 1
                continue
        # 'm' as a civility ('M. Dupont') may stand for a first name we do not know.
        if tok in CIVILITIES and len(short) > 1:
            continue
        return 0.0
    if full_matches == 0:
        return 0.0
    return 100.0 if initials == 0 and not remaining else 92.0 - 2 * initials


def _initials_conflict(a: str, b: str) -> bool:
    """'m dupont' vs 'p dupont': an initial on one side that starts no word on the other."""
    ta, tb = _tokens(a), _tokens(b)
    return any(len(t) == 1 and not any(o[0] == t for o in other) for t, other in [(t, tb) for t in ta] + [(t, ta) for t in tb])


def name_score(a: str, b: str) -> float:
    initials = initials_score(a, b)
    if initials:
        return max(initials, float(fuzz.token_sort_ratio(a, b)))
    fuzzy = float(fuzz.token_sort_ratio(a, b))
    return fuzzy - 30.0 if _initials_conflict(a, b) else fuzzy


@dataclass(frozen=True)
class Candidate:
    kind: str  # 'contact' (a, b contact ids, a < b) or 'participant' (a contact id, b participant id)
    a_id: int
    b_id: int
    a_label: str
    b_label: str
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Decision:
    """One thing the facilitator decides: a pair, or every contact with the same label (after
    normalisation) from several participants, confirmed or rejected at once."""

    label: str
    candidates: tuple[Candidate, ...]

    @property
    def same_label(self) -> bool:
        return len(self.candidates) > 1 or (
            self.candidates[0].kind == "contact"
            and normalise(self.candidates[0].a_label) == normalise(self.candidates[0].b_label)
        )

    @property
    def contact_ids(self) -> list[int]:
        ids = {c.a_id for c in self.candidates} | {c.b_id for c in self.candidates if c.kind == "contact"}
        return sorted(ids)


def decisions(candidates: list[Candidate]) -> list[Decision]:
    """The proposals as decisions: identical labels grouped (largest groups first), then the
    other pairs in their order. "Jean Martin" named by 3 participants is one decision, not 2."""
    groups: dict[str, list[Candidate]] = {}
    others: list[Decision] = []
    for cand in candidates:
        if cand.kind == "contact" and normalise(cand.a_label) == normalise(cand.b_label):
            groups.setdefault(normalise(cand.a_label), []).append(cand)
        else:
            others.append(Decision(cand.a_label, (cand,)))
    same = [Decision(group[0].a_label, tuple(group)) for group in groups.values()]
    same.sort(key=lambda d: (-len(d.contact_ids), normalise(d.label)))
    return same + others


def _agreement(row_a: dict, row_b: dict) -> tuple[float, list[str]]:
    """Bonus or penalty from the other fields; the evidence a facilitator reads."""
    bonus, evidence = 0.0, []
    for name, plus, minus in (("organisation", 6, -8), ("city", 5, -20), ("region", 3, -6), ("circle", 4, 0)):
        va, vb = normalise(row_a.get(name) or ""), normalise(row_b.get(name) or "")
        if va and vb:
            if va == vb:
                bonus += plus
                evidence.append(f"{name}=")
            elif minus:
                bonus += minus
                evidence.append(f"{name}≠")
    return bonus, evidence


MAX_BLOCK = 300  # labels sharing one key beyond this: the key is too common to mean anything
MAX_PAIRS = 20_000  # pairs refined in Python, best prefilter scores first
MAX_CANDIDATES = 1_000  # proposals kept for the facilitator, best first
# Initials comparisons per search: labels built to share words in groups just under MAX_BLOCK, each
# with single letters, made 907k Python comparisons for 300 labels (33 s for a console's Réseau).
MAX_INITIAL_COMPARISONS = 50_000


def contact_candidates(
    contacts: pd.DataFrame,
    *,
    threshold: float = 85.0,
    prefilter: int = 70,
    decided: set | None = None,
    nodes: dict[int, str] | None = None,
) -> list[Candidate]:
    """Pairs of contacts of different participants that may be one person, best first.

    Bounded whatever the labels: identical labels (after normalisation) are proposed as a chain,
    not every pair; other labels are compared only inside blocks sharing a word's first three
    letters (a block over MAX_BLOCK labels is skipped), at most MAX_PAIRS pairs are refined and
    MAX_CANDIDATES proposed.

    Parameters
    ----------
    contacts : rows with id, participant_id, label, circle, organisation, region, city
    threshold : final score (name + agreement) to propose a pair
    prefilter : rapidfuzz token_sort_ratio cut-off before the finer score
    decided : (a_id, b_id) pairs already confirmed or rejected: never proposed again
    nodes : resolve() of the confirmed merges: a pair already one node is never proposed
    """
    decided = decided or set()
    nodes = nodes or {}
    if len(contacts) < 2:
        return []
    rows = contacts.to_dict("records")
    norms = [normalise(r["label"]) for r in rows]
    owners = [r["participant_id"] for r in rows]
    members: dict[str, list[int]] = {}
    for idx, norm in enumerate(norms):
        members.setdefault(norm, []).append(idx)
    unique = list(members)
    pairs: set[tuple[int, int]] = set()
    # Identical labels: each joined to the first of its kind from another participant (confirming
    # them one after the other joins them all: merges are transitive).
    for group in members.values():
        for idx in group[1:]:
            first = next((g for g in group if owners[g] != owners[idx]), None)
            if first is not None:
                pairs.add((min(first, idx), max(first, idx)))
    similar = _similar_labels(unique, prefilter=prefilter)
    similar |= {(u, v, 100) for u, v in _initial_pairs(unique)}
    for u, v, _score in sorted(similar, key=lambda t: (-t[2], t[0], t[1]))[:MAX_PAIRS]:
        # One pair per pair of labels: the first contacts of each from different participants.
        pick = next(((i, j) for i in members[unique[u]] for j in members[unique[v]] if owners[i] != owners[j]), None)
        if pick:
            pairs.add((min(pick), max(pick)))
    out = []
    for i, j in pairs:
        if owners[i] == owners[j]:
            continue  # nobody lists the same person twice on purpose
        a, b = sorted((i, j), key=lambda k: rows[k]["id"])
        key = (rows[a]["id"], rows[b]["id"])
        if key in decided or (key[0] in nodes and nodes.get(key[0]) == nodes.get(key[1])):
            continue
        base = name_score(norms[a], norms[b])
        bonus, evidence = _agreement(rows[a], rows[b])
        score = min(100.0, base + bonus)
        if score >= threshold:
            evidence.insert(0, f"name {base:.0f}")
            out.append(Candidate("contact", key[0], key[1], rows[a]["label"], rows[b]["label"], round(score, 1), evidence))
    out.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return out[:MAX_CANDIDATES]


def _blocks(labels: list[str]) -> list[list[int]]:
    """Indices of labels sharing the first three letters of a word, each block at most MAX_BLOCK."""
    by_key: dict[str, list[int]] = {}
    for idx, norm in enumerate(labels):
        for key in {tok[:3] for tok in _tokens(norm) if len(tok) >= 3}:
            by_key.setdefault(key, []).append(idx)
    return [group for group in by_key.values() if 1 < len(group) <= MAX_BLOCK]


def _similar_labels(labels: list[str], *, prefilter: int) -> set[tuple[int, int, int]]:
    """(i, j, score) of label pairs at or above `prefilter`, compared inside blocks only (C speed)."""
    found: set[tuple[int, int, int]] = set()
    for group in _blocks(labels):
        texts = [labels[i] for i in group]
        matrix = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=prefilter, dtype=np.uint8)
        for x, y in zip(*np.nonzero(np.triu(matrix, k=1)), strict=True):
            i, j = group[int(x)], group[int(y)]
            found.add((min(i, j), max(i, j), int(matrix[x, y])))
    return found


def _initial_blocks(norms: list[str]) -> list[tuple[list[int], list[int]]]:
    """For each surname-like token of a label with an initial: (those labels, every label holding
    the token), rarest tokens first; a very common token (> MAX_BLOCK) explains nothing."""
    by_token: dict[str, list[int]] = {}
    for idx, norm in enumerate(norms):
        toks = _tokens(norm)
        if any(len(t) == 1 for t in toks):
            for tok in toks:
                if len(tok) > 2:
                    by_token.setdefault(tok, []).append(idx)
    full_by_token: dict[str, list[int]] = {}
    for idx, norm in enumerate(norms):
        for tok in _tokens(norm):
            if tok in by_token:
                full_by_token.setdefault(tok, []).append(idx)
    # Rarest tokens first: a surname shared by two labels explains more than one shared by 300,
    # and the budget goes where it finds the most.
    ordered = sorted(by_token.items(), key=lambda kv: (len(full_by_token.get(kv[0], [])), kv[0]))
    return [(short, full_by_token.get(tok, [])) for tok, short in ordered if len(full_by_token.get(tok, [])) <= MAX_BLOCK]


def _initial_pairs(norms: list[str]) -> set[tuple[int, int]]:
    """Pairs token_sort_ratio misses but initials explain ('m dupont' ~ 'dupont marie'):
    grouped by shared surname-like token, compared only inside a group, within a budget."""
    pairs: set[tuple[int, int]] = set()
    budget = MAX_INITIAL_COMPARISONS
    for short_ones, group in _initial_blocks(norms):
        for i, j in ((i, j) for i in short_ones for j in group if i != j):
            pair = (min(i, j), max(i, j))
            if pair in pairs:
                continue
            budget -= 1
            if budget < 0:
                return pairs
            if initials_score(norms[i], norms[j]) > 0:
                pairs.add(pair)
                if len(pairs) >= MAX_PAIRS:
                    return pairs
    return pairs


def participant_candidates(
    contacts: pd.DataFrame, participants: pd.DataFrame, *, threshold: float = 90.0, decided: set | None = None
) -> list[Candidate]:
    """Contacts whose label looks like another participant's display name."""
    decided = decided or set()
    if contacts.empty or participants.empty:
        return []
    names = [normalise(n) for n in participants["display_name"]]
    pids = participants["id"].tolist()
    out = []
    rows = contacts.to_dict("records")
    norms = [normalise(r["label"]) for r in rows]
    matrix = process.cdist(norms, names, scorer=fuzz.token_sort_ratio, score_cutoff=60, dtype=np.uint8, workers=-1)
    for i, j in zip(*np.nonzero(matrix), strict=True):
        row, pid = rows[int(i)], int(pids[int(j)])
        if row["participant_id"] == pid or (row["id"], pid) in decided:
            continue
        score = name_score(norms[int(i)], names[int(j)])
        if score >= threshold and len(names[int(j)]) > 2:
            out.append(
                Candidate(
                    "participant",
                    int(row["id"]),
                    pid,
                    row["label"],
                    participants.iloc[int(j)]["display_name"],
                    round(score, 1),
                    [f"name {score:.0f}"],
                )
            )
    out.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return out


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve(contacts: pd.DataFrame, merges: pd.DataFrame) -> dict[int, str]:
    """Node key for every contact: 'c<smallest id of its confirmed group>' or 'p<participant id>'
    when the facilitator confirmed that the contact is a participant of the room."""
    uf = _UnionFind()
    ids = [int(i) for i in contacts["id"]] if not contacts.empty else []
    for cid in ids:
        uf.find(cid)
    as_participant: dict[int, int] = {}
    if not merges.empty:
        confirmed = merges[merges["status"] == "confirmed"]
        for m in confirmed.itertuples():
            if m.kind == "contact" and m.a_id in uf.parent and m.b_id in uf.parent:
                uf.union(int(m.a_id), int(m.b_id))
        for m in confirmed.itertuples():
            if m.kind == "participant" and m.a_id in uf.parent:
                as_participant[uf.find(int(m.a_id))] = int(m.b_id)
    out = {}
    for cid in ids:
        root = uf.find(cid)
        out[cid] = f"p{as_participant[root]}" if root in as_participant else f"c{root}"
    return out
