"""What the wall reads: the room by its code, its pulse every few seconds, and each view's data
once per data version for every open wall."""

from __future__ import annotations

import datetime as dt

from workshop import config, i18n, regions_map, store
from workshop import wall as walls
from workshop.model import Round
from workshop.ui.gate import room_by_code  # noqa: F401 - the wall's door
from workshop.ui.network_view import network_analysis
from workshop.ui.readings import per_version, wall_cards
from workshop.ui.session import database, get_db

seconds_left = store.seconds_left


def pulse(workshop_id: int) -> tuple[int, str, Round | None]:
    """The look the console's live counters take every few seconds, on one connection: the data
    version, what the wall shows (look_of) and the current round (the wall's own: wall_pulse)."""
    with get_db() as db:
        version, view, settings = store.version_and_view(db, workshop_id)
        return version, look_of(view, settings), store.current_round(db, workshop_id)


look_of = walls.look_of


def wall_pulse(workshop_id: int) -> walls.Pulse:
    """What one tick of the wall's clock reads, on one connection: the room and its current round."""
    with get_db() as db:
        return walls.Pulse(room=store.get_workshop(db, workshop_id), current=store.current_round(db, workshop_id))


def pulse_of(room) -> walls.Pulse:
    """The pulse of a room just read (the page's full run): only its current round is read."""
    with get_db() as db:
        return walls.Pulse(room=room, current=store.current_round(db, room.id))


def fresh_since(*, now: dt.datetime | None = None) -> str:
    """The moment after which arrivals count as new on the wall (ISO, like the rows' stamps)."""
    return store.now_iso((now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=config.NEW_WINDOW_SECONDS))


def fresh_counts(workshop_id: int, *, since: str) -> dict:
    """Participants, contacts and ideas that arrived since `since`."""
    with get_db() as db:
        return store.recent(db, workshop_id, since=since)


@per_version()
def activity(db, workshop_id: int, anonymous: bool) -> dict:
    """What the counters view draws besides the numbers: arrival times and the latest arrivals."""
    with store.snapshot(db):
        contacts = store.contacts_frame(db, workshop_id)
        ideas = store.ideas_frame(db, workshop_id)
        opened = store.rounds(db, workshop_id)["contacts"].opened_at
    return {
        "contacts": contacts["created_at"].tolist(),
        "ideas": ideas["created_at"].tolist() if not ideas.empty else [],
        "opened": opened,
        "arrivals": walls.latest_arrivals(contacts, anonymous=anonymous),
    }


@per_version()
def newest_ideas(db, workshop_id: int) -> list[dict]:
    """The newest ideas, as many as the ideas view's pages hold."""
    frame = store.ideas_frame(db, workshop_id)
    if frame.empty:
        return []
    newest = frame.sort_values("id", ascending=False).head(walls.PER_PAGE["ideas"] * walls.IDEA_PAGES)
    return newest[["id", "text", "author", "created_at"]].to_dict("records")


@per_version(max_entries=16)
def reach(db, workshop_id: int) -> dict[str, int]:
    """Participants reaching each region (the map view)."""
    return regions_map.participants_reaching(store.contacts_frame(db, workshop_id))


@per_version()
def themes(db, workshop_id: int):
    """The themes with their ideas and dots (the ranking view)."""
    return store.themes_frame(db, workshop_id)


@per_version()
def collectifs(db, workshop_id: int) -> list[dict]:
    """The collectifs with their members, contacts and next steps."""
    return store.collectifs(db, workshop_id)


def story(workshop_id: int, version: int, *, anonymous: bool, show_labels: bool, lang: str) -> list[walls.Slide]:
    """The room's findings at one data version, said in `lang` (from cached parts: telling them
    costs little)."""
    path = database()
    shared = network_analysis(path, workshop_id, version, "{}")
    cards = [dict(card, help=card["help"][anonymous]) for card in wall_cards(path, workshop_id, version, lang)]
    slides = walls.story(shared.analysis, shared.room, cards, anonymous=anonymous, show_labels=show_labels)
    return walls.told(slides, lambda words: i18n.say(words, lang))
