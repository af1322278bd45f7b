"""What the console reads and writes for its one workshop. Writes are the store's (and the
rooms' use cases') functions `fn(db, workshop_id, …)`, run by `ui.command`; reads are called
without a database in hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from workshop import demo, export, i18n, kit, links, network, rooms, store, templates, validation
from workshop.model import Workshop
from workshop.ui.messages import command
from workshop.ui.readings import per_version
from workshop.ui.session import get_db, on_db
from workshop.ui.wall_readings import pulse  # noqa: F401 - the console's live counters read the wall's pulse

# Writes, for ui.command(fn, workshop_id, …): each one transaction, the room's version bumped.
set_round = store.set_round
update_workshop = store.update_workshop
update_view_settings = store.update_view_settings
set_idea_hidden = store.set_idea_hidden
delete_idea = store.delete_idea
set_blocked = store.set_blocked
decide_merges = store.decide_merges
undo_merge = store.undo_merge
cluster_workshop = rooms.cluster_workshop
place_new_ideas = rooms.place_new_ideas
split_theme = rooms.split_theme
create_theme = store.create_theme
rename_theme = store.rename_theme
delete_theme = store.delete_theme
merge_themes = store.merge_themes
move_idea = store.move_idea
confirm_placement = store.confirm_placement
create_collectif = store.create_collectif
delete_collectif = store.delete_collectif
remove_rehearsal = store.remove_rehearsal
rehearse = demo.rehearse
REHEARSAL_MAX = demo.REHEARSAL_MAX

# Reads.


@dataclass(frozen=True)
class ConsoleLists:
    """The console's lists at one data version, read in one snapshot: a rerun of the console (a
    click, a typed letter) at the same version reads nothing again."""

    ideas: pd.DataFrame  # hidden ones too (moderation)
    participants: pd.DataFrame  # suspended ones too
    contacts: pd.DataFrame
    themes: pd.DataFrame

    @property
    def visible_ideas(self) -> pd.DataFrame:
        return self.ideas[self.ideas["hidden"] == 0] if not self.ideas.empty else self.ideas

    @property
    def active_participants(self) -> pd.DataFrame:
        return self.participants[self.participants["blocked"] == 0] if not self.participants.empty else self.participants


@per_version(max_entries=8)
def lists(db, workshop_id: int) -> ConsoleLists:
    """`lists(workshop_id, workshop.version)`: the console's frames for that version."""
    with store.snapshot(db):
        return ConsoleLists(
            ideas=store.ideas_frame(db, workshop_id, include_hidden=True),
            participants=store.participants_frame(db, workshop_id),
            contacts=store.contacts_frame(db, workshop_id),
            themes=store.themes_frame(db, workshop_id),
        )


version = on_db(store.version)
rounds = on_db(store.rounds)
joins_per_minute = on_db(store.joins_per_minute)
collectifs = on_db(store.collectifs)
compare_with_previous = on_db(rooms.compare_with_previous)
seconds_left = store.seconds_left
join_limits = validation.join_limits
poster, table_cards = kit.poster, kit.table_cards
join_url, projector_url, facilitator_url, is_loopback = (
    links.join_url,
    links.projector_url,
    links.facilitator_url,
    links.is_loopback,
)


def name_themes(workshop_id: int, lines: list[str]) -> int:
    """The day's themes typed by the facilitator, one per line; returns how many were added."""
    with get_db() as db:
        return store.name_themes(db, workshop_id, lines)


def remove_joined_in_last(workshop_id: int, *, minutes: int) -> int:
    """Everyone who joined in the last `minutes`, with all they added; returns how many left."""
    end = dt.datetime.now(dt.UTC)
    with get_db() as db:
        return store.remove_joined_between(
            db, workshop_id, store.now_iso(end - dt.timedelta(minutes=minutes)), store.now_iso(end)
        )


def delete_workshop(workshop_id: int) -> None:
    with get_db() as db:
        store.delete_workshop(db, workshop_id)


def template_json(workshop_id: int) -> bytes:
    """This workshop's preparation as a template file (nobody's data)."""
    with get_db() as db:
        return templates.to_json(templates.from_workshop(db, workshop_id))


def new_from_template(workshop: Workshop) -> tuple[Workshop, str]:
    """A new workshop prepared like this one; returns it and its facilitator link."""
    with get_db() as db:
        made, token = templates.start(db, templates.from_workshop(db, workshop.id), public_base_url=workshop.public_base_url)
    return made, links.facilitator_url(made, token)


def bundle(workshop_id: int, *, level: str, progress: Callable[[str], None], positions: dict | None) -> bytes:
    """The export ZIP at a privacy level, its steps reported to `progress`."""
    with get_db() as db:
        return export.bundle(db, workshop_id, level=level, progress=progress, positions=positions)


def import_bundle(data: bytes, *, keep_links: bool, previous_id: int) -> tuple[Workshop, str]:
    """A bundle imported as the next workshop of this one's series; returns it and its facilitator link."""
    with get_db() as db:
        made, token = export.import_bundle(db, data, keep_links=keep_links, previous_id=previous_id)
    return made, links.facilitator_url(made, token)


def theme_help(ideas, contacts, names: dict, *, lang: str) -> str:
    """Who in the room can help a theme (its ideas' tags and words matched to the contacts' skills)."""
    tags = sorted({tag for tag_list in ideas["tags"] for tag in tag_list}) if not ideas.empty else []
    texts = ideas["text"].tolist() if not ideas.empty else []
    needs = network.who_can_help(tags, contacts, texts=texts, circle_words=i18n.circle_words())
    return i18n.say(network.describe_help(needs, names), lang)


def act(w: Workshop, fn: Callable, *args, success: str | None = None, **kwargs) -> Callable[[], None]:
    """A console callback running the write `fn(db, w.id, …)` (one of the names above), reported."""
    return command(fn, w.id, *args, success=success, **kwargs)
