"""Contact resolution: names that must and must not be proposed as the same person."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from workshop import resolve, store
from workshop.errors import NotFound


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("  DUPONT-Hélène ", "dupont helene"),
        ("Œuvrard Ægir", "oeuvrard aegir"),
        ("M. Dupont", "m dupont"),
        ("Straße", "strasse"),
        ("O'Brien,  Zoé", "o brien zoe"),
    ],
)
def test_normalise(raw, expected):
    assert resolve.normalise(raw) == expected


def frame(rows):
    base = {"circle": "other", "organisation": "", "region": "", "city": ""}
    return pd.DataFrame([{**base, "id": i + 1, "participant_id": i + 1, **r} for i, r in enumerate(rows)])


MATCH = [
    ({"label": "Marie Dupont"}, {"label": "DUPONT Marie"}),
    ({"label": "Marie Dupont"}, {"label": "M. Dupont"}),
    ({"label": "Hélène Lefèvre"}, {"label": "helene lefevre"}),
    ({"label": "Jean-Pierre Roux"}, {"label": "Jean Pierre Roux"}),
    ({"label": "Œuvrard Anaïs"}, {"label": "Anais Oeuvrard"}),
    ({"label": "Thomas Dumont", "city": "Lyon"}, {"label": "T. Dumont", "city": "Lyon"}),
    ({"label": "Sophie Garnier", "organisation": "Officience"}, {"label": "Sophie Garnier ", "organisation": "officience"}),
]
NO_MATCH = [
    ({"label": "Marie Dupont"}, {"label": "Marie Durand"}),
    ({"label": "Marie Dupont", "city": "Lyon"}, {"label": "Marie Dupont", "city": "Brest"}),  # homonyms
    ({"label": "Jean Martin"}, {"label": "Paul Martin"}),
    ({"label": "A. Dupont"}, {"label": "P. Dupont"}),  # ("M." may be "Monsieur": not a first name)
    ({"label": "AB"}, {"label": "CD"}),
]


@pytest.mark.parametrize("a,b", MATCH)
def test_pairs_that_must_match(a, b):
    cands = resolve.contact_candidates(frame([a, b]))
    assert [(c.a_id, c.b_id) for c in cands] == [(1, 2)], cands


@pytest.mark.parametrize("a,b", NO_MATCH)
def test_pairs_that_must_not_match(a, b):
    assert resolve.contact_candidates(frame([a, b])) == []


def test_same_participant_never_proposed():
    rows = frame([{"label": "Marie Dupont"}, {"label": "Marie Dupont"}])
    rows["participant_id"] = 1
    assert resolve.contact_candidates(rows) == []


def test_decided_pairs_not_proposed_again():
    rows = frame([{"label": "Marie Dupont"}, {"label": "DUPONT Marie"}])
    assert resolve.contact_candidates(rows, decided={(1, 2)}) == []


def test_evidence_explains_the_score():
    rows = frame(
        [
            {"label": "Marie Dupont", "city": "Lyon", "organisation": "Acme"},
            {"label": "M. Dupont", "city": "Lyon", "organisation": "ACME"},
        ]
    )
    (cand,) = resolve.contact_candidates(rows)
    assert cand.evidence[0] == "name 90" and "organisation=" in cand.evidence and "city=" in cand.evidence
    assert cand.score == 100.0


def test_participant_candidates():
    contacts = frame([{"label": "Camille Roux"}, {"label": "Zed"}])
    people = pd.DataFrame({"id": [1, 7], "display_name": ["Ana", "camille roux"]})
    cands = resolve.participant_candidates(contacts, people)
    assert [(c.kind, c.a_id, c.b_id) for c in cands] == [("participant", 1, 7)]


def test_resolve_union_find_and_participants():
    contacts = frame([{"label": "a"}, {"label": "b"}, {"label": "c"}, {"label": "d"}])
    merges = pd.DataFrame(
        [
            {"kind": "contact", "a_id": 1, "b_id": 2, "status": "confirmed"},
            {"kind": "contact", "a_id": 2, "b_id": 3, "status": "confirmed"},
            {"kind": "contact", "a_id": 3, "b_id": 4, "status": "rejected"},
            {"kind": "participant", "a_id": 4, "b_id": 9, "status": "confirmed"},
        ]
    )
    assert resolve.resolve(contacts, merges) == {1: "c1", 2: "c1", 3: "c1", 4: "p9"}


def test_three_thousand_labels_run_all_pairs():
    """Scale check (the timing itself is reported by bench/network.py, not asserted)."""
    rng = np.random.default_rng(0)
    firsts = ["Marie", "Jean", "Hélène", "Pierre", "Sophie", "Nicolas", "Camille", "Thomas", "Léa", "Hugo"]
    lasts = [f"Nom{i}" for i in range(300)]
    rows = [{"label": f"{rng.choice(firsts)} {rng.choice(lasts)}"} for _ in range(3000)]
    started = time.perf_counter()
    cands = resolve.contact_candidates(frame(rows))
    assert time.perf_counter() - started < 60
    assert cands and all(c.score >= 85 for c in cands)


def test_identical_labels_are_one_chain_not_every_pair():
    """Jean Martin written by 5 participants: 4 proposals (confirming them joins all five)."""
    rows = frame([{"label": "Jean Martin"} for _ in range(5)])
    rows["participant_id"] = range(1, 6)
    cands = resolve.contact_candidates(rows)
    assert [(c.a_id, c.b_id) for c in cands] == [(1, 2), (1, 3), (1, 4), (1, 5)]


def test_pairs_already_one_node_are_never_proposed():
    """Jean Martin (1) ≈ Jean Martin (3) and J. Martin (2) ≈ Jean Martin (3) confirmed: the pair
    1 ≈ 2 is implied (one node already) and never proposed, even though nobody decided it."""
    rows = frame([{"label": "Jean Martin"}, {"label": "J. Martin"}, {"label": "Jean Martin"}])
    assert {(c.a_id, c.b_id) for c in resolve.contact_candidates(rows)} == {(1, 2), (1, 3)}
    merges = pd.DataFrame(
        [
            {"kind": "contact", "a_id": 1, "b_id": 3, "status": "confirmed"},
            {"kind": "contact", "a_id": 2, "b_id": 3, "status": "confirmed"},
        ]
    )
    nodes = resolve.resolve(rows, merges)
    assert resolve.contact_candidates(rows, decided={(1, 3), (2, 3)}, nodes=nodes) == []
    assert [(c.a_id, c.b_id) for c in resolve.contact_candidates(rows, decided={(1, 3), (2, 3)})] == [(1, 2)]


def test_thousands_of_near_identical_labels_stay_bounded():
    """8 fake participants × 500 near-identical labels (the attack): the search compares blocks
    only, returns at most MAX_CANDIDATES, and a real pair among the noise is still found."""
    noise = [{"label": f"Jean Martin {i}{chr(97 + i % 26)}"} for i in range(4000)]
    real = [{"label": "Hélène Dupont"}, {"label": "DUPONT Hélène"}]
    rows = frame(noise + real)
    rows["participant_id"] = [i % 8 + 1 for i in range(4000)] + [20, 21]
    cands = resolve.contact_candidates(rows)
    assert len(cands) <= resolve.MAX_CANDIDATES
    assert (4001, 4002) in {(c.a_id, c.b_id) for c in cands}


def test_identical_labels_are_one_decision_and_pairs_stay_pairs():
    contacts = frame(
        [
            {"label": "Jean Martin"},
            {"label": "jean  MARTIN"},
            {"label": "Jean Martin"},
            {"label": "Paul Girard"},
            {"label": "Paul Girard"},
            {"label": "Marie Dupont"},
            {"label": "M. Dupont"},
        ]
    )
    todo = resolve.decisions(resolve.contact_candidates(contacts))
    assert [(d.same_label, d.contact_ids) for d in todo] == [(True, [1, 2, 3]), (True, [4, 5]), (False, [6, 7])]
    assert len(todo[0].candidates) == 2  # a chain: confirming the group confirms 2 pairs


def test_a_confirmed_group_is_one_node_and_leaves_the_queue(db):
    w, _ = store.create_workshop(db, title="Résolution")
    store.set_round(db, w.id, "contacts", is_open=True)
    ids = []
    for n, name in enumerate(["Alice", "Bob", "Carla"]):
        person = store.join(db, w.code, name, token=f"tok-resolve-{n}-0000000000")
        ids.append(store.add_contact(db, person, submission_id=f"s{n}", label="Jean Martin", circle="clients"))
    contacts = store.contacts_frame(db, w.id)
    group = resolve.decisions(resolve.contact_candidates(contacts))[0]
    pairs = [{"kind": c.kind, "a_id": c.a_id, "b_id": c.b_id, "score": c.score} for c in group.candidates]
    # All or nothing: one unknown contact and no pair of the group is recorded.
    with pytest.raises(NotFound):
        store.decide_merges(db, w.id, [*pairs, {"kind": "contact", "a_id": ids[0], "b_id": 999_999}], status="confirmed")
    assert store.merges_frame(db, w.id).empty
    assert store.decide_merges(db, w.id, pairs, status="confirmed") == 2
    merges = store.merges_frame(db, w.id)
    nodes = resolve.resolve(contacts, merges)
    assert len({nodes[i] for i in ids}) == 1
    decided = {(m.a_id, m.b_id) for m in merges.itertuples()}
    assert resolve.contact_candidates(contacts, decided=decided, nodes=nodes) == []


def test_labels_built_to_defeat_the_blocking_cost_a_bounded_number_of_comparisons(monkeypatch):
    """One participant's 500 labels sharing words in groups just under MAX_BLOCK, each with single
    letters (the crafted attack: 907k comparisons for 300 labels): the initials comparisons stop
    at MAX_INITIAL_COMPARISONS, and a real pair among them is still found."""
    calls = 0
    score = resolve.initials_score

    def counted(a, b):
        nonlocal calls
        calls += 1
        return score(a, b)

    monkeypatch.setattr(resolve, "initials_score", counted)
    words = [f"mot{k:02d}" for k in range(12)]
    crafted = [
        {"label": f"{' '.join(words[(i + s) % 12] for s in range(6))} {chr(97 + i % 26)} {chr(98 + i % 20)}"} for i in range(500)
    ]
    real = [{"label": "M. Dupont"}, {"label": "Marie Dupont"}]
    rows = frame(crafted + real)
    rows["participant_id"] = [1] * 500 + [20, 21]
    cands = resolve.contact_candidates(rows)
    assert calls <= resolve.MAX_INITIAL_COMPARISONS + 1000  # the budget, plus the final scoring of found pairs
    assert (501, 502) in {(c.a_id, c.b_id) for c in cands}
