"""Rehearse and reuse: a rehearsal fills the real workshop and goes in one click leaving no row;
a template carries the facilitator's preparation, and nobody's data, into a new workshop."""

from __future__ import annotations

import json

import pytest

from workshop import demo, export, rooms, store, templates
from workshop.errors import InvalidInput

TABLES = (
    "participants",
    "contacts",
    "ideas",
    "themes",
    "idea_themes",
    "votes",
    "collectifs",
    "collectif_members",
    "collectif_contacts",
    "next_steps",
    "merges",
    "participant_copies",
)


def query_rows(db) -> dict[str, int]:
    """Rows per table in the whole database (not only this workshop's: nothing may stay anywhere)."""
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_rehearsal_fills_a_closed_locked_room_and_goes_in_one_click(db, room):
    wid = room["workshop"].id
    store.add_contact(db, room["alice"], submission_id="real-1", label="Marie D.", circle="family")
    store.set_round(db, wid, "contacts", is_open=False)
    store.update_workshop(db, wid, join_locked=True)
    before, counters_before = query_rows(db), store.counters(db, wid)
    version = store.version(db, wid)

    assert demo.rehearse(db, wid, participants=12) == 12
    people = store.participants_frame(db, wid)
    assert int(people["rehearsal"].sum()) == 12 and len(people) == 12 + counters_before["participants"]
    filled = store.counters(db, wid)
    assert filled["contacts"] > counters_before["contacts"] + 12 * 8 and filled["ideas"] >= 12
    rooms.cluster_workshop(db, wid)  # the facilitator tries the grouping on the rehearsal's ideas
    store.decide_merge(db, wid, kind="contact", a_id=_contact_ids(db, wid)[0], b_id=_contact_ids(db, wid)[1], status="rejected")
    assert store.version(db, wid) > version

    assert store.remove_rehearsal(db, wid) == 12
    assert query_rows(db) == before  # no contact, idea, theme, vote or merge of theirs left anywhere
    assert store.counters(db, wid) == counters_before
    bundle = export.bundle(db, wid, level="full")
    assert b"rehearsal-" not in bundle  # nothing of theirs in the export either
    assert store.remove_rehearsal(db, wid) == 0  # a second click does nothing


def _contact_ids(db, wid) -> list[int]:
    return [int(i) for i in store.contacts_frame(db, wid).sort_values("id")["id"]]


def test_a_named_theme_survives_the_rehearsal_and_real_ideas_keep_theirs(db, room):
    wid = room["workshop"].id
    demo.rehearse(db, wid, participants=5, seed=3)
    named = store.create_theme(db, wid, "Mobilité", renamed=True)
    store.remove_rehearsal(db, wid)
    assert store.themes_frame(db, wid)["id"].tolist() == [named]


@pytest.mark.slow_on_postgresql
@pytest.mark.parametrize("size", [0, 201, True, "12"])
def test_rehearsal_size_is_bounded_with_a_clear_message(db, room, size):
    with pytest.raises(InvalidInput) as err:
        demo.rehearse(db, room["workshop"].id, participants=size)
    assert "200" in err.value.message("fr") and "participants fictifs" in err.value.message("fr")
    assert int(store.participants_frame(db, room["workshop"].id)["rehearsal"].sum()) == 0


def test_a_template_round_trips_the_preparation_and_nobodys_data(db, room):
    wid = room["workshop"].id
    store.update_workshop(db, wid, question="Quels cas d'usage ?", show_labels=True, vote_dots=7)
    store.update_view_settings(db, wid, color_by="region")
    store.set_round(db, wid, "contacts", is_open=True, minutes=12)
    store.plan_timers(db, wid, {"vote": 5})
    store.create_theme(db, wid, "Mobilité", renamed=True)
    store.create_theme(db, wid, "Alimentation", renamed=True)
    store.create_theme(db, wid, "thème automatique", renamed=False)
    store.add_idea(db, room["alice"], submission_id="i1", text="Une idée de la salle")

    saved = templates.to_json(templates.from_workshop(db, wid))
    assert b"Une id\xc3\xa9e" not in saved and b"Alice" not in saved  # nobody's data
    new, token = templates.start(db, templates.from_json(saved), title="Deuxième journée")
    assert new.id != wid and token and new.title == "Deuxième journée"
    assert (new.question, new.show_labels, new.vote_dots, new.settings["color_by"]) == ("Quels cas d'usage ?", True, 7, "region")
    planned = {name: r.planned_minutes for name, r in store.rounds(db, new.id).items()}
    assert planned == {"contacts": 12, "ideas": 0, "vote": 5, "collectifs": 0}
    assert not any(r.is_open for r in store.rounds(db, new.id).values())
    assert sorted(store.themes_frame(db, new.id)["label"]) == ["Alimentation", "Mobilité"]
    assert store.counters(db, new.id)["participants"] == 0 and store.counters(db, new.id)["ideas"] == 0


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b'{"format": "thinkdo-template", "version": 1}',  # no title
        b'{"format": "other", "version": 1, "title": "x"}',
        b'{"format": "thinkdo-template", "version": 1, "title": "x", "timers": {"contacts": 9999}}',
        b'{"format": "thinkdo-template", "version": 1, "title": "x", "theme_names": ["t"], "language": "xx"}',
        json.dumps({"format": "thinkdo-template", "version": 1, "title": "x", "theme_names": ["t"] * 41}).encode(),
        json.dumps({"format": "thinkdo-template", "version": 1, "title": "x", "theme_names": ["t" * 500]}).encode(),
        b"{" + b" " * 70_000 + b"}",
    ],
)
@pytest.mark.slow_on_postgresql
def test_a_bad_template_is_refused_and_creates_nothing(db, data):
    before = len(store.workshops_list(db))
    with pytest.raises(InvalidInput):
        templates.start(db, templates.from_json(data))
    assert len(store.workshops_list(db)) == before


def test_duplicate_and_emoji_theme_names_in_a_template(db):
    raw = {"format": "thinkdo-template", "version": 1, "title": "Jour 2", "theme_names": ["Mobilité", "Mobilité", "🚲", " "]}
    template = templates.from_json(json.dumps(raw).encode())
    assert template.theme_names == ["Mobilité", "🚲"]
