"""Ties among a participant's contacts ("Qui se connaît ?"): the store on both engines, the census
cards as data, and what deletion leaves behind."""

from __future__ import annotations

import pytest

from workshop import census, export, store
from workshop.errors import AccessDenied, InvalidInput, NotFound, RoundClosed
from workshop.model import LIMITS


def add(db, person, labels, *, prefix="c"):
    return [
        store.add_contact(db, person, submission_id=f"{prefix}-{person.id}-{i}", label=lab, circle="hobby")
        for i, lab in enumerate(labels)
    ]


def test_ties_recorded_once_per_pair_and_replaced_by_the_next_answer(db, room):
    alice = room["alice"]
    a, b, c, d = add(db, alice, ["Ana", "Ben", "Cléo", "Dan"])
    store.record_ties(db, alice, a, knows=[b, c], shown=[b, c, d], submission_id="t1")
    assert store.ties_of(db, alice.id) == [(a, b), (a, c)]
    # The same submission again changes nothing, even with other values (a replayed request).
    store.record_ties(db, alice, a, knows=[d], shown=[b, c, d], submission_id="t1")
    assert store.ties_of(db, alice.id) == [(a, b), (a, c)]
    # From the other side the pair is the same row; an untapped chip removes a tie said before.
    store.record_ties(db, alice, c, knows=[a, d], shown=[a, b, d], submission_id="t2")
    assert store.ties_of(db, alice.id) == [(a, b), (a, c), (c, d)]
    store.record_ties(db, alice, b, knows=[], shown=[a], submission_id="t3")
    assert store.ties_of(db, alice.id) == [(a, c), (c, d)]
    assert store.census_cards(db, alice.id) == {a: d, c: d, b: a}
    frame = store.ties_frame(db, room["workshop"].id)
    assert frame.to_dict("records") == [
        {"participant_id": alice.id, "contact_a": a, "contact_b": c},
        {"participant_id": alice.id, "contact_a": c, "contact_b": d},
    ]


def test_a_write_bumps_the_rooms_version(db, room):
    alice = room["alice"]
    a, b, _ = add(db, alice, ["Ana", "Ben", "Cléo"])
    before = store.version(db, room["workshop"].id)
    store.record_ties(db, alice, a, knows=[b], shown=[b], submission_id="v1")
    assert store.version(db, room["workshop"].id) == before + 1


def test_bad_ties_refused_with_nothing_written(db, room):
    alice, bob = room["alice"], room["bob"]
    a, b, c = add(db, alice, ["Ana", "Ben", "Cléo"])
    (z,) = add(db, bob, ["Zoé"], prefix="z")
    cases = [
        (dict(contact_id=a, knows=[a], shown=[a, b]), InvalidInput, "err.tie_self"),
        (dict(contact_id=a, knows=[z], shown=[z]), NotFound, "err.tie_contact_gone"),  # another participant's contact
        (dict(contact_id=z, knows=[a], shown=[a]), NotFound, "err.tie_contact_gone"),
        (dict(contact_id=a, knows=[999_999], shown=[999_999]), NotFound, "err.tie_contact_gone"),
        (dict(contact_id=a, knows=[b], shown=[c]), InvalidInput, "err.invalid"),  # tapped what was not shown
        (dict(contact_id=a, knows=["1"], shown=["1"]), InvalidInput, "err.invalid"),
        (dict(contact_id=a, knows=[], shown=list(range(1, 40))), InvalidInput, "err.invalid"),
    ]
    for n, (args, error, key) in enumerate(cases):
        with pytest.raises(error) as caught:
            store.record_ties(db, alice, args.pop("contact_id"), submission_id=f"bad{n}", **args)
        assert caught.value.key == key, args
    assert store.ties_of(db, alice.id) == [] and store.census_cards(db, alice.id) == {}
    # A deleted contact: its ties go with it, and it cannot be tied again.
    store.record_ties(db, alice, a, knows=[b, c], shown=[b, c], submission_id="ok")
    store.delete_contact(db, alice, b)
    assert store.ties_of(db, alice.id) == [(a, c)]
    with pytest.raises(NotFound):
        store.record_ties(db, alice, c, knows=[b], shown=[b], submission_id="gone")
    # Closed round, suspended participant.
    store.set_round(db, room["workshop"].id, "contacts", is_open=False)
    with pytest.raises(RoundClosed):
        store.record_ties(db, alice, c, knows=[a], shown=[a], submission_id="closed")
    store.set_round(db, room["workshop"].id, "contacts", is_open=True)
    store.set_blocked(db, room["workshop"].id, alice.id, blocked=True)
    with pytest.raises(AccessDenied):
        store.record_ties(db, alice, c, knows=[a], shown=[a], submission_id="blocked")
    assert store.ties_frame(db, room["workshop"].id).empty  # a suspended person's ties leave the room's graph
    assert len(store.ties_frame(db, room["workshop"].id, include_blocked=True)) == 1


def test_census_covers_the_most_recent_contacts_only(db, room):
    """500 contacts: the census asks about the 30 most recent (435 pairs), never the older ones."""
    alice = room["alice"]
    ids = add(db, alice, [f"P{i}" for i in range(LIMITS["census_contacts"] + 5)])
    old, recent = ids[0], ids[-LIMITS["census_contacts"] :]
    assert store.census_contact_ids(db, alice.id) == recent
    with pytest.raises(InvalidInput) as caught:
        store.record_ties(db, alice, recent[0], knows=[old], shown=[old], submission_id="old")
    assert caught.value.key == "err.tie_outside_census"
    contacts = store.contacts_of(db, alice.id)
    state = census.census(contacts, [], {})
    assert (state.covered, state.left_out, state.pairs) == (30, 5, 435)
    # Every pair of the 30 tied, one card each: exactly the bound, no more.
    for i, a in enumerate(recent[:-1]):
        store.record_ties(db, alice, a, knows=recent[i + 1 :], shown=recent[i + 1 :], submission_id=f"all{i}")
    assert len(store.ties_of(db, alice.id)) == LIMITS["ties_per_participant"] == 435
    state = census.census(store.contacts_of(db, alice.id), store.ties_of(db, alice.id), store.census_cards(db, alice.id))
    assert state.card is None and state.asked == 435 and state.ties == 435


@pytest.mark.sqlite_only  # the bound is the store's logic; 5,000 writes on PostgreSQL cost 8 s of the inner loop
def test_five_thousand_submissions_from_one_phone_stay_bounded(db, room):
    alice = room["alice"]
    a, b, c = add(db, alice, ["Ana", "Ben", "Cléo"])
    for n in range(5000):
        store.record_ties(db, alice, a, knows=[b] if n % 2 else [b, c], shown=[b, c], submission_id=f"flood{n}")
    assert store.ties_of(db, alice.id) == [(a, b)]
    assert store.census_cards(db, alice.id) == {a: c}


def contacts(*ids):
    return [{"id": i, "label": f"C{i}"} for i in ids]


def test_census_cards_ask_each_pair_once():
    people = contacts(1, 2, 3, 4)
    state = census.census(people, [], {})
    assert state.offered and state.card.contact["id"] == 1 and [c["id"] for c in state.card.choices] == [2, 3, 4]
    assert state.card.left == 3  # the last contact has nothing left to ask
    cards = {1: 4}
    state = census.census(people, [(1, 3)], cards)
    assert state.card.contact["id"] == 2 and [c["id"] for c in state.card.choices] == [3, 4]
    assert (state.asked, state.pairs, state.ties) == (3, 6, 1)
    cards |= {2: 4, 3: 4}
    assert census.census(people, [(1, 3)], cards).card is None
    # A contact added later: the first card still open asks it with the others, once each.
    people = contacts(1, 2, 3, 4, 7)
    state = census.census(people, [(1, 3)], cards)
    assert state.card.contact["id"] == 1 and [c["id"] for c in state.card.choices] == [7] and state.card.left == 4
    # Pre-ticked: ties said before (a series import, an edit) show as known.
    state = census.census(contacts(1, 2, 3), [(1, 3)], {})
    assert state.card.known == [3]
    assert not census.census(contacts(1, 2), [], {}).offered


def test_the_contact_dialog_edits_every_partner():
    people = contacts(1, 2, 3)
    others, known = census.partners(2, people, [(1, 2), (1, 3)])
    assert [c["id"] for c in others] == [1, 3] and known == [1]
    assert census.partners(99, people, []) == ([], [])


def test_delete_my_data_and_the_bundle_leave_no_tie(db, room):
    alice, bob = room["alice"], room["bob"]
    a, b, c = add(db, alice, ["Ana", "Ben", "Cléo"])
    x, y, _ = add(db, bob, ["Xavier", "Yann", "Zoé"], prefix="b")
    store.record_ties(db, alice, a, knows=[b, c], shown=[b, c], submission_id="a1")
    store.record_ties(db, bob, x, knows=[y], shown=[y], submission_id="b1")
    bundle = export.read_bundle(export.bundle(db, room["workshop"].id))
    assert {(t["contact_a"], t["contact_b"]) for t in bundle["ties"]} == {(a, b), (a, c), (x, y)}
    store.delete_participant(db, alice)
    assert store.ties_frame(db, room["workshop"].id, include_blocked=True).to_dict("records") == [
        {"participant_id": bob.id, "contact_a": x, "contact_b": y}
    ]
    assert store.census_cards(db, alice.id) == {}
    bundle = export.read_bundle(export.bundle(db, room["workshop"].id))
    assert [(t["participant_id"], t["contact_a"], t["contact_b"]) for t in bundle["ties"]] == [(bob.id, x, y)]


def test_bundles_of_format_one_still_import_and_bad_ties_are_refused(db, room):
    import json

    from workshop.errors import ImportRefused

    alice = room["alice"]
    a, b, c = add(db, alice, ["Ana", "Ben", "Cléo"])
    (z,) = add(db, room["bob"], ["Zoé"], prefix="z")
    store.record_ties(db, alice, a, knows=[b], shown=[b, c], submission_id="x")
    doc = export.payload(db, room["workshop"].id, level="full")
    assert doc["format_version"] == 2 and doc["ties"] == [{"participant_id": alice.id, "contact_a": a, "contact_b": b}]
    old = {k: v for k, v in doc.items() if k != "ties"} | {"format_version": 1}
    imported, _ = export.import_bundle(db, json.dumps(old).encode())
    assert store.ties_frame(db, imported.id).empty and len(store.contacts_frame(db, imported.id)) == 4
    again, _ = export.import_bundle(db, json.dumps(doc).encode())
    (tie,) = store.ties_frame(db, again.id).to_dict("records")
    labels = store.contacts_frame(db, again.id).set_index("id")["label"]
    assert (labels[tie["contact_a"]], labels[tie["contact_b"]]) == ("Ana", "Ben")
    for bad, where in (
        ([{"participant_id": alice.id, "contact_a": a, "contact_b": z}], "ties.participant_id"),  # someone else's contact
        ([{"participant_id": alice.id, "contact_a": a, "contact_b": a}], "ties.contacts"),
        ([{"participant_id": alice.id, "contact_a": a, "contact_b": b}] * 2, "ties.duplicate"),
        ("many", "ties"),
    ):
        with pytest.raises(ImportRefused) as caught:
            export.import_bundle(db, json.dumps(doc | {"ties": bad}).encode())
        assert where in caught.value.message("en")
    # The aggregate level counts ties and names nobody.
    aggregate = export.payload(db, room["workshop"].id, level="aggregate")
    assert "ties" not in aggregate and aggregate["aggregate"]["ties"] == 1
