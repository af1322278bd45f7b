"""What pages show, read once per (database, workshop, data version) for every open tab and
returned as plain records."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from workshop import config, i18n, links, network, resolve, rooms, store
from workshop import wall as walls
from workshop.ui.session import _db_at, database, t


def per_version(*, max_entries: int = 32) -> Callable:
    """Decorator for a page's reading: `read(db, workshop_id, *args)` is called as
    `read(workshop_id, version, *args)` and computed once per (database, workshop, data version,
    args) for every open tab, on a pooled connection to the database the cache is keyed on."""

    def decorate(read: Callable) -> Callable:
        @functools.wraps(read)  # Streamlit keys the cache on the wrapped function's name and source
        def on_database(path: str, workshop_id: int, version: int, *args):
            del version  # part of the cache key only
            with _db_at(path) as conn:
                return read(conn, workshop_id, *args)

        cached = st.cache_data(max_entries=max_entries, show_spinner=False)(on_database)

        @functools.wraps(read)
        def call(workshop_id: int, version: int, *args):
            return cached(database(), workshop_id, version, *args)

        return call

    return decorate


@st.cache_resource(max_entries=24, show_spinner=False)
def room_at(path: str, workshop_id: int, version: int) -> network.Room:
    """The room (participants, contacts, merges) at one data version, shared read-only by the
    network views, the merge proposals and the console's panels."""
    del version  # part of the cache key only
    with _db_at(path) as conn:
        return rooms.load(conn, workshop_id)


@st.cache_data(max_entries=32, show_spinner=False)
def theme_cards(path: str, workshop_id: int, version: int) -> list[dict]:
    """Themes with their representative ideas, once per version for every phone and wall."""
    del version  # part of the cache key only
    with _db_at(path) as conn:
        return rooms.theme_cards(conn, workshop_id)


@st.cache_data(max_entries=32, show_spinner=False)
def wall_cards(path: str, workshop_id: int, version: int, lang: str) -> list[dict]:
    """The wall's theme cards (with who in the room can help each, said in `lang`), once per
    version and language."""
    cards = walls.cards_with_help(
        theme_cards(path, workshop_id, version), room_at(path, workshop_id, version), circle_words=i18n.circle_words()
    )
    return [dict(card, help={anonymous: i18n.say(words, lang) for anonymous, words in card["help"].items()}) for card in cards]


@st.cache_data(ttl=30, max_entries=64, show_spinner=False)
def skill_suggestions(path: str, workshop_id: int) -> list[str]:
    """What others typed, refreshed at most every 30 s: it scans the whole room, and a
    participant's rerun must stay cheap."""
    with _db_at(path) as conn:
        return store.skill_suggestions(conn, workshop_id)


@st.cache_data(ttl=5, max_entries=64, show_spinner=False)
def named_themes(path: str, workshop_id: int) -> dict[int, str]:
    """The facilitator's named themes a participant may pick for an idea, read at most every 5 s
    (200 phones redraw their form; the list changes a few times a day)."""
    with _db_at(path) as conn:
        frame = store.themes_frame(conn, workshop_id)
    return {int(r.id): str(r.label) for r in frame.itertuples() if r.renamed}


@st.cache_data(max_entries=16, show_spinner=False)
def merge_candidates(path: str, workshop_id: int, version: int) -> list:
    """ "Same person?" proposals, best first, at one data version: all pairs of labels is the
    costliest read of the console (about 1.5 s for a 200-person room), so once per version."""
    room = room_at(path, workshop_id, version)
    contacts, people, merges = room.contacts, room.participants, room.merges
    decided_c = {(m.a_id, m.b_id) for m in merges.itertuples() if m.kind == "contact"}
    decided_p = {(m.a_id, m.b_id) for m in merges.itertuples() if m.kind == "participant"}
    cands = resolve.contact_candidates(contacts, decided=decided_c, nodes=resolve.resolve(contacts, merges))
    cands += resolve.participant_candidates(contacts, people, decided=decided_p)
    return sorted(cands, key=lambda c: (-c.score, c.kind, c.a_id, c.b_id))


def merge_decisions(path: str, workshop_id: int, version: int) -> list[resolve.Decision]:
    """The proposals as the facilitator decides them: identical labels grouped, then pairs."""
    return resolve.decisions(merge_candidates(path, workshop_id, version))


@st.cache_data(ttl=30, show_spinner=False)
def _candidates() -> list[tuple[str, str]]:
    """This laptop's addresses as (address, kind), read again every 30 s (the Wi-Fi may change)."""
    from workshop import addresses

    return [(c.address, c.kind) for c in addresses.local_interfaces()]


def address_choices(workshop) -> dict[str, str]:
    """The join addresses the facilitator may pick, base URL -> label, the current one first; empty
    when this laptop offers only one (nothing to choose)."""
    port = config.port()
    found = {f"http://{address}:{port}": f"{address} — {t(f'addr.{kind}')}" for address, kind in _candidates()}
    if len(found) < 2:
        return {}
    current = links.base_url(workshop)
    return {current: found.get(current, f"{current} — {t('addr.current')}"), **found}


@per_version(max_entries=64)
def room_counters(db, workshop_id: int) -> dict:
    """The room's counters at one data version, once for every open wall and console."""
    return store.counters(db, workshop_id)
