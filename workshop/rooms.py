"""A workshop's room read from the store in one place, and the use cases that read it and write
back. The analysis modules (network, themes) take this data in and return data; what one answer
reads comes from one snapshot, so its parts agree while the room keeps writing."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlite_utils import Database

from workshop import network, store, themes
from workshop.model import Workshop
from workshop.network import Room


def load(db: Database, workshop_id: int) -> Room:
    """Participants (not blocked), contacts and merge decisions as of one moment."""
    with store.snapshot(db):
        return Room(
            participants=store.participants_frame(db, workshop_id, include_blocked=False),
            contacts=store.contacts_frame(db, workshop_id),
            merges=store.merges_frame(db, workshop_id),
        )


def my_place(db: Database, workshop_id: int, participant_id: int) -> dict:
    """A participant's ego view of the room (network.my_place on the room as it is now)."""
    return network.my_place(load(db, workshop_id), participant_id)


@dataclass(frozen=True)
class Reading:
    """A workshop as of one moment and what is derived from it: everything a bundle, its report
    and the comparison with the previous workshop need, read once."""

    workshop: Workshop
    rows: dict  # every row as plain dicts (store.workshop_rows): what workshop.json serialises
    secret: str  # the workshop's pseudonym key
    room: Room
    analysis: network.Analysis
    counters: dict
    themes: pd.DataFrame  # store.themes_frame: id, label, ideas, votes
    cards: list[dict]  # themes.cards: representatives, texts, tags
    comparison: dict | None  # network.compare with the previous workshop, if any


def read(db: Database, workshop_id: int) -> Reading:
    """The whole workshop in one read snapshot, analysed once."""
    with store.snapshot(db):
        workshop = store.get_workshop(db, workshop_id)
        rows = store.workshop_rows(db, workshop_id)
        secret = store.workshop_secret(db, workshop_id)
        now = load(db, workshop_id)
        counters = store.counters(db, workshop_id)
        themes_df = store.themes_frame(db, workshop_id)
        ideas = store.ideas_frame(db, workshop_id)
        previous_id = store.previous_workshop(db, workshop_id)
        before = load(db, previous_id) if previous_id is not None else None
    analysis = network.analyse(now)
    comparison = network.compare(now, analysis, before, network.analyse(before)) if before is not None else None
    return Reading(
        workshop=workshop,
        rows=rows,
        secret=secret,
        room=now,
        analysis=analysis,
        counters=counters,
        themes=themes_df,
        cards=themes.cards(themes_df, ideas, language=workshop.language),
        comparison=comparison,
    )


def compare_with_previous(db: Database, workshop_id: int) -> dict | None:
    """Before/after for a workshop imported from (or following) another one; None if none."""
    with store.snapshot(db):
        previous_id = store.previous_workshop(db, workshop_id)
        if previous_id is None:
            return None
        now, before = load(db, workshop_id), load(db, previous_id)
    return network.compare(now, network.analyse(now), before, network.analyse(before))


# ---------------------------------------------------------------- themes


def theme_cards(db: Database, workshop_id: int, *, k: int = 3) -> list[dict]:
    """The workshop's themes as the wall shows them (themes.cards on one snapshot)."""
    with store.snapshot(db):
        language = store.get_workshop(db, workshop_id).language
        themes_df, ideas = store.themes_frame(db, workshop_id), store.ideas_frame(db, workshop_id)
    return themes.cards(themes_df, ideas, language=language, k=k)


def cluster_workshop(db: Database, workshop_id: int, *, n_themes: int | None = None, fresh: bool = False) -> dict:
    """Group the workshop's ideas. First time (or fresh=True): the ideas the facilitator has not
    placed become new themes. Later: new ideas only go to their nearest theme (or stay 'to
    sort'), never undoing manual work. Deterministic: same ideas, same themes."""
    if fresh:
        store.reset_auto_themes(db, workshop_id)
    if fresh or store.themes_frame(db, workshop_id).empty:
        return _cluster_unplaced(db, workshop_id, n_themes=n_themes)
    return place_new_ideas(db, workshop_id)


def _language(db: Database, workshop_id: int) -> str:
    return store.get_workshop(db, workshop_id).language


def _cluster_unplaced(db: Database, workshop_id: int, *, n_themes: int | None) -> dict:
    ideas = store.ideas_frame(db, workshop_id)
    unplaced = ideas[ideas["theme_id"].isna()] if not ideas.empty else ideas
    if unplaced.empty:
        return {"created": 0, "placed": 0}
    groups = themes.new_themes(
        unplaced["id"].tolist(), unplaced["text"].tolist(), n_themes=n_themes, language=_language(db, workshop_id)
    )
    created = store.save_clustering(db, workshop_id, new_themes=groups, placements={})
    return {"created": len(created), "placed": len(unplaced)}


def place_new_ideas(db: Database, workshop_id: int, *, margin: float = 0.05) -> dict:
    """Put each idea without a theme into the theme it is most similar to, when one stands out."""
    ideas = store.ideas_frame(db, workshop_id)
    if ideas.empty or ideas["theme_id"].isna().sum() == 0:
        return {"created": 0, "placed": 0}
    if not ideas["theme_id"].notna().any():
        return _cluster_unplaced(db, workshop_id, n_themes=None)
    placements = themes.placements(ideas, language=_language(db, workshop_id), margin=margin)
    store.save_clustering(db, workshop_id, new_themes={}, placements=placements)
    return {"created": 0, "placed": len(placements)}


def split_theme(db: Database, workshop_id: int, theme_id: int) -> int | None:
    """Split a theme in two by clustering its own ideas; returns the new theme's id."""
    ideas = store.ideas_frame(db, workshop_id)
    mine = ideas[ideas["theme_id"] == theme_id]
    if len(mine) < 2:
        return None
    labels, name = themes.split(mine["text"].tolist(), language=_language(db, workshop_id))
    new_id = store.create_theme(db, workshop_id, name, renamed=True)
    for idea_id, c in zip(mine["id"].tolist(), labels, strict=True):
        if c == 1:
            store.move_idea(db, workshop_id, int(idea_id), new_id)
    return new_id
