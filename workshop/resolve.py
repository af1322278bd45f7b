"""Contact resolution: which labels written by different participants name the same person.

Candidates come from rapidfuzz (all pairs in C, on normalised labels), refined with an
initials-aware name score and agreement on circle, organisation, region and city. Only the
facilitator's confirmed merges ever join two contacts into one node.
"""

from __future__ import annotations

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
    text = unicodedata.normalize("NFKD", str(label).translate(_LIGATURES).casefold())
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


def contact_candidates(
    contacts: pd.DataFrame, *, threshold: float = 85.0, prefilter: int = 70, decided: set | None = None
) -> list[Candidate]:
    """Pairs of contacts of different participants that may be one person, best first.

    Parameters
    ----------
    contacts : rows with id, participant_id, label, circle, organisation, region, city
    threshold : final score (name + agreement) to propose a pair
    prefilter : rapidfuzz token_sort_ratio cut-off for the all-pairs pass
    decided : (a_id, b_id) pairs already confirmed or rejected: never proposed again
    """
    decided = decided or set()
    if len(contacts) < 2:
        return []
    rows = contacts.to_dict("records")
    norms = [normalise(r["label"]) for r in rows]
    # All pairs at C speed, uint8 to keep 3,000 x 3,000 at 9 MB; then a sparse refinement.
    matrix = process.cdist(norms, norms, scorer=fuzz.token_sort_ratio, score_cutoff=prefilter, dtype=np.uint8, workers=-1)
    ii, jj = np.nonzero(np.triu(matrix, k=1))
    pairs = set(zip(ii.tolist(), jj.tolist(), strict=True))
    pairs |= _initial_pairs(norms)
    owners = [r["participant_id"] for r in rows]
    out = []
    for i, j in pairs:
        if owners[i] == owners[j]:
            continue  # nobody lists the same person twice on purpose
        a, b = sorted((i, j), key=lambda k: rows[k]["id"])
        key = (rows[a]["id"], rows[b]["id"])
        if key in decided:
            continue
        base = name_score(norms[a], norms[b])
        bonus, evidence = _agreement(rows[a], rows[b])
        score = min(100.0, base + bonus)
        if score >= threshold:
            evidence.insert(0, f"name {base:.0f}")
            out.append(Candidate("contact", key[0], key[1], rows[a]["label"], rows[b]["label"], round(score, 1), evidence))
    out.sort(key=lambda c: (-c.score, c.a_id, c.b_id))
    return out


def _initial_pairs(norms: list[str]) -> set[tuple[int, int]]:
    """Pairs token_sort_ratio misses but initials explain ('m dupont' ~ 'dupont marie'):
    grouped by shared surname-like token, compared only inside a group."""
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
    pairs = set()
    for tok, short_ones in by_token.items():
        group = full_by_token.get(tok, [])
        if len(group) > 400:  # a very common token explains nothing
            continue
        for i in short_ones:
            for j in group:
                if i != j and initials_score(norms[i], norms[j]) > 0:
                    pairs.add((min(i, j), max(i, j)))
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
