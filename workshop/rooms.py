"""A workshop's room read from the store in one place, and the use cases that read it and write
back. The analysis modules (network, themes) take this data in and return data; what one answer
reads comes from one snapshot, so its parts agree while the room keeps writing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workshop import census, network, store, themes
from workshop.engine import Database
from workshop.model import Workshop
from workshop.network import Room


def load(db: Database, workshop_id: int) -> Room:
    """Participants (not blocked), contacts, merge decisions, ties among contacts and census
    cards as of one moment."""
    with store.snapshot(db):
        return Room(
            participants=store.participants_frame(db, workshop_id, include_blocked=False),
            contacts=store.contacts_frame(db, workshop_id),
            merges=store.merges_frame(db, workshop_id),
            ties=store.ties_frame(db, workshop_id),
            census=store.census_frame(db, workshop_id),
        )


def my_place(db: Database, workshop_id: int, participant_id: int) -> dict:
    """A participant's ego view of the room (network.my_place on the room as it is now)."""
    return network.my_place(load(db, workshop_id), participant_id)


def census_of(db: Database, participant_id: int) -> census.Census:
    """Where a participant's "Qui se connaît ?" stands (their contacts, ties and cards at one moment)."""
    with store.snapshot(db):
        contacts = store.contacts_of(db, participant_id)
        ties, cards = store.ties_of(db, participant_id), store.census_cards(db, participant_id)
    return census.census(contacts, ties, cards)


def contact_partners(db: Database, participant_id: int, contact_id: int) -> tuple[list[dict], list[int]]:
    """For a contact's dialog: the participant's other census contacts and those tied to it."""
    with store.snapshot(db):
        contacts, ties = store.contacts_of(db, participant_id), store.ties_of(db, participant_id)
    return census.partners(contact_id, contacts, ties)


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
    # Exact: the bundle's PDF, GEXF, tables and picture all read this one analysis.
    analysis = network.analyse(now, exact=True)
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
        w = store.get_workshop(db, workshop_id)
        themes_df, ideas = store.themes_frame(db, workshop_id), store.ideas_frame(db, workshop_id)
    if w.settings.get("wall_sure_only") and not ideas.empty:  # placements still to check stay off the wall
        ideas = ideas[~ideas["doubtful"]]
        themes_df = themes_df.assign(ideas=themes_df["ideas"] - themes_df["to_check"])
    return themes.cards(themes_df, ideas, language=w.language, k=k)


def cluster_workshop(db: Database, workshop_id: int, *, n_themes: int | None = None, fresh: bool = False) -> dict:
    """Group the workshop's ideas. First time (or fresh=True): automatic themes nobody touched are
    forgotten; when themes remain (named by the facilitator, or holding ideas someone placed) the
    grouping is guided by them (themes.guide: their names and ideas anchor it, a block that fits
    none becomes an extra theme), else the room's ideas become new themes. Later: new ideas go
    to their nearest theme. Manual work is never undone. Deterministic: same ideas, same themes."""
    if fresh:
        store.reset_auto_themes(db, workshop_id)
    current = store.themes_frame(db, workshop_id)
    if (fresh or current.empty) and not current.empty and n_themes is None:
        return _guided(db, workshop_id, current)
    if fresh or current.empty:
        return _cluster_unplaced(db, workshop_id, n_themes=n_themes)
    return place_new_ideas(db, workshop_id)


def _language(db: Database, workshop_id: int) -> str:
    return store.get_workshop(db, workshop_id).language


def _guided(db: Database, workshop_id: int, current) -> dict:
    """The room's free ideas assigned among the themes there are, extra themes proposed."""
    ideas = store.ideas_frame(db, workshop_id)
    free = ideas[ideas["theme_id"].isna()] if not ideas.empty else ideas
    if free.empty:
        return {"created": 0, "placed": 0}
    language = _language(db, workshop_id)
    names = {int(t["id"]): str(t["label"]) for t in current.to_dict("records")}
    anchors: dict[int, list[int]] = {}
    for row, theme_id in enumerate(ideas["theme_id"].tolist()):
        if theme_id == theme_id and theme_id is not None and int(theme_id) in names:  # placed ideas stay where they are
            anchors.setdefault(int(theme_id), []).append(row)
    texts = ideas["text"].tolist()
    labels = themes.guide(texts, names=names, anchors=anchors, language=language)
    free_rows = set(np.flatnonzero(ideas["theme_id"].isna().to_numpy()).tolist())
    ids = ideas["id"].astype(int).tolist()
    placements = {ids[r]: labels[r] for r in free_rows if labels[r] > 0}
    extra_rows = sorted(r for r in free_rows if labels[r] < 0)
    new_themes: dict[str, list[int]] = {}
    if extra_rows:
        words = themes.theme_labels(texts, labels, language=language)
        for r in extra_rows:
            new_themes.setdefault(themes.unique_label(labels[r], words), []).append(ids[r])
    created = store.save_clustering(db, workshop_id, new_themes=new_themes, placements=placements)
    themes.prepare_placements(texts, language=language)
    return {"created": len(created), "placed": len(placements) + len(extra_rows)}


def _cluster_unplaced(db: Database, workshop_id: int, *, n_themes: int | None) -> dict:
    ideas = store.ideas_frame(db, workshop_id)
    unplaced = ideas[ideas["theme_id"].isna()] if not ideas.empty else ideas
    if unplaced.empty:
        return {"created": 0, "placed": 0}
    groups = themes.new_themes(
        unplaced["id"].tolist(), unplaced["text"].tolist(), n_themes=n_themes, language=_language(db, workshop_id)
    )
    created = store.save_clustering(db, workshop_id, new_themes=groups, placements={})
    themes.prepare_placements(ideas["text"].tolist(), language=_language(db, workshop_id))
    return {"created": len(created), "placed": len(unplaced)}


def place_new_ideas(db: Database, workshop_id: int) -> dict:
    """Put every idea without a theme into its nearest theme, never leaving one unsorted; those
    placed with little margin are marked "to check" for the console."""
    ideas = store.ideas_frame(db, workshop_id)
    if ideas.empty or ideas["theme_id"].isna().sum() == 0:
        return {"created": 0, "placed": 0, "to_check": 0}
    if not ideas["theme_id"].notna().any():
        return _cluster_unplaced(db, workshop_id, n_themes=None)
    found = themes.placements(ideas, language=_language(db, workshop_id))
    doubtful = [idea_id for idea_id, (_, doubt) in found.items() if doubt]
    store.save_clustering(db, workshop_id, new_themes={}, placements={i: t for i, (t, _) in found.items()}, doubtful=doubtful)
    return {"created": 0, "placed": len(found), "to_check": len(doubtful)}


def post_idea(db: Database, participant, *, submission_id: str, text: str, tags=None, theme_id: int | None = None) -> int:
    """A participant's idea, placed at once: in the theme its author chose, else (once the room
    has themes) in its nearest theme, marked "to check" when another is nearly as near."""
    idea_id = store.add_idea(db, participant, submission_id=submission_id, text=text, tags=tags, theme_id=theme_id)
    if theme_id is None and store.get_workshop(db, participant.workshop_id).grouped_at:
        place_new_ideas(db, participant.workshop_id)
    return idea_id


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
