"""A room nobody can fill: the facilitator's join cap and joins per minute, counted in the database
(so they hold across servers sharing it), and a wave of arrivals removed in one action."""

from __future__ import annotations

import datetime as dt

import pytest

from workshop import store, validation
from workshop.errors import InvalidInput, SlowDown
from workshop.model import JOIN_LIMITS

T0 = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def test_defaults_and_bounds_of_the_join_limits():
    assert validation.join_limits({}) == {key: default for key, (default, _, _) in JOIN_LIMITS.items()}
    kept = validation.clean_view_settings({"max_participants": 40, "joins_per_minute": 5, "net_view": "full"})
    assert kept == {"max_participants": 40, "net_view": "full"}  # 5 per minute is below the floor: dropped


def test_a_flood_of_joins_is_slowed_then_capped(db):
    w, _ = store.create_workshop(db, title="Salle")
    store.update_view_settings(db, w.id, joins_per_minute=10, max_participants=25)
    for i in range(10):
        store.join(db, w.code, f"P{i}", token=f"tok-flood-{i:04d}-padpadpad", now=T0 + dt.timedelta(seconds=i))
    with pytest.raises(SlowDown) as caught:
        store.join(db, w.code, "Encore", token="tok-flood-late-padpadpad", now=T0 + dt.timedelta(seconds=30))
    assert caught.value.key == "err.join_busy"
    assert "réessayez dans quelques secondes" in caught.value.message("fr")
    # The same person pressing again is not a new join, and a minute later the door is open again.
    assert store.join(db, w.code, "P0", token="tok-flood-0000-padpadpad", now=T0 + dt.timedelta(seconds=31)).display_name == "P0"
    for i in range(10, 25):
        store.join(db, w.code, f"P{i}", token=f"tok-flood-{i:04d}-padpadpad", now=T0 + dt.timedelta(minutes=i))
    with pytest.raises(InvalidInput) as caught:
        store.join(db, w.code, "Dernier", token="tok-flood-last-padpadpad", now=T0 + dt.timedelta(hours=2))
    assert caught.value.key == "err.room_full" and caught.value.params == {"max": 25}
    assert len(store.participants_frame(db, w.id)) == 25
    # Rehearsal people are not counted against the room and are not slowed.
    store.join(db, w.code, "Répétition", token="tok-rehearsal-padpadpad", now=T0 + dt.timedelta(hours=2), rehearsal=True)


def test_joins_per_minute_and_a_wave_removed_with_what_it_added(db):
    w, _ = store.create_workshop(db, title="Salle")
    store.set_round(db, w.id, "contacts", is_open=True)
    early = store.join(db, w.code, "Ana", token="tok-early-padpadpadpad", now=T0 - dt.timedelta(minutes=5))
    store.add_contact(db, early, submission_id="e1", label="Zoé", circle="hobby")
    wave = [
        store.join(db, w.code, f"Bot{i}", token=f"tok-bot-{i:03d}-padpadpad", now=T0 + dt.timedelta(minutes=8, seconds=i))
        for i in range(30)
    ]
    store.add_contact(db, wave[0], submission_id="b1", label="Spam", circle="hobby")
    assert store.joins_per_minute(db, w.id, now=T0 + dt.timedelta(minutes=9, seconds=59)) == [0] * 8 + [30, 0]
    gone = store.remove_joined_between(
        db, w.id, store.now_iso(T0 + dt.timedelta(minutes=7)), store.now_iso(T0 + dt.timedelta(minutes=10))
    )
    assert gone == 30
    assert store.participants_frame(db, w.id)["display_name"].tolist() == ["Ana"]
    assert store.contacts_frame(db, w.id)["label"].tolist() == ["Zoé"]
