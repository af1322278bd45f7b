"""Themes: the grouping of ideas, manual moves, merges, and storing a clustering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from workshop import validation
from workshop.engine import Database
from workshop.errors import InvalidInput, NotFound
from workshop.model import LIMITS
from workshop.store.base import insert_row, now_iso, query_one, query_rows, write
from workshop.store.workshops import get_workshop


def themes_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    """Themes with their visible idea count and dots received."""
    rows = query_rows(
        db,
        "SELECT t.id, t.label, t.renamed, t.created_at,"
        " (SELECT count(*) FROM idea_themes it JOIN ideas i ON i.id = it.idea_id"
        "   JOIN participants p ON p.id = i.participant_id"
        "   WHERE it.theme_id = t.id AND i.hidden = 0 AND p.blocked = 0) AS ideas,"
        " (SELECT CAST(coalesce(sum(v.dots), 0) AS BIGINT) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.theme_id = t.id AND p.blocked = 0) AS votes,"
        " (SELECT count(*) FROM idea_themes it WHERE it.theme_id = t.id AND it.chosen = 1) AS chosen,"
        " (SELECT count(*) FROM idea_themes it WHERE it.theme_id = t.id AND it.doubtful = 1) AS to_check"
        " FROM themes t WHERE t.workshop_id = ? ORDER BY t.id",
        [workshop_id],
    )
    columns = ["id", "label", "renamed", "created_at", "ideas", "votes", "chosen", "to_check"]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["renamed"] = frame["renamed"].astype(bool)
    return frame


def theme_in(db: Database, workshop_id: int, theme_id: int) -> None:
    if not query_one(db, "SELECT 1 FROM themes WHERE id = ? AND workshop_id = ?", [theme_id, workshop_id]):
        raise NotFound("err.not_found")


def _idea_in(db: Database, workshop_id: int, idea_id: int) -> None:
    if not query_one(db, "SELECT 1 FROM ideas WHERE id = ? AND workshop_id = ?", [idea_id, workshop_id]):
        raise NotFound("err.not_found")


def create_theme(db: Database, workshop_id: int, label: str, *, renamed: bool = True) -> int:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        new_id = insert_row(
            db,
            "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,?,?)",
            [workshop_id, label, int(renamed), now_iso()],
        )
        return new_id


MAX_NAMED_THEMES = 40  # a day's tracks, with room to spare


def name_themes(db: Database, workshop_id: int, names: Iterable[str]) -> list[int]:
    """The facilitator's own themes, typed or pasted one per line before or during the ideas round:
    new named themes for names not already there (case and spaces ignored); blank lines skipped.
    All or nothing: one name too long, or too many themes, refuses the whole list."""
    cleaned = []
    for name in names:
        label = validation.clean_text(name, field="field.theme", max_len=LIMITS["theme"], required=False)
        if label and label.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(label)
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        existing = {
            r["label"].casefold() for r in query_rows(db, "SELECT label FROM themes WHERE workshop_id = ?", [workshop_id])
        }
        fresh = [label for label in cleaned if label.casefold() not in existing]
        named = query_one(db, "SELECT count(*) AS n FROM themes WHERE workshop_id = ? AND renamed = 1", [workshop_id])["n"]
        if named + len(fresh) > MAX_NAMED_THEMES:
            raise InvalidInput("err.too_many_themes", max=MAX_NAMED_THEMES)
        return [
            insert_row(
                db,
                "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,1,?)",
                [workshop_id, label, now_iso()],
            )
            for label in fresh
        ]


def confirm_placement(db: Database, workshop_id: int, idea_id: int) -> None:
    """The facilitator agrees with a placement marked "to check": it becomes theirs (kept for good)."""
    with write(db, workshop_id):
        _idea_in(db, workshop_id, idea_id)
        db.conn.execute("UPDATE idea_themes SET doubtful = 0, manual = 1 WHERE idea_id = ?", [idea_id])


def rename_theme(db: Database, workshop_id: int, theme_id: int, label: str) -> None:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        theme_in(db, workshop_id, theme_id)
        db.conn.execute("UPDATE themes SET label = ?, renamed = 1 WHERE id = ?", [label, theme_id])


def delete_theme(db: Database, workshop_id: int, theme_id: int) -> None:
    """Remove a theme; its ideas go back to 'to sort'."""
    with write(db, workshop_id):
        theme_in(db, workshop_id, theme_id)
        db.conn.execute("DELETE FROM themes WHERE id = ?", [theme_id])


def merge_themes(db: Database, workshop_id: int, into_id: int, other_ids: Iterable[int]) -> None:
    """Move every idea and vote of the other themes into one, then drop the others."""
    others = [t for t in other_ids if t != into_id]
    with write(db, workshop_id):
        theme_in(db, workshop_id, into_id)
        for other in others:
            theme_in(db, workshop_id, other)
            db.conn.execute("UPDATE idea_themes SET theme_id = ?, manual = 1 WHERE theme_id = ?", [into_id, other])
            db.conn.execute(
                "INSERT INTO votes (participant_id, theme_id, workshop_id, dots)"
                " SELECT participant_id, ?, workshop_id, dots FROM votes WHERE theme_id = ? AND true"
                " ON CONFLICT (participant_id, theme_id) DO UPDATE SET dots = votes.dots + excluded.dots",
                [into_id, other],
            )
            db.conn.execute("UPDATE collectifs SET theme_id = ? WHERE theme_id = ?", [into_id, other])
            db.conn.execute("DELETE FROM themes WHERE id = ?", [other])
        db.conn.execute("UPDATE themes SET renamed = 1 WHERE id = ?", [into_id])


def move_idea(db: Database, workshop_id: int, idea_id: int, theme_id: int | None) -> None:
    """The facilitator places an idea (None: back to 'to sort'); a manual placement is kept for good."""
    with write(db, workshop_id):
        _idea_in(db, workshop_id, idea_id)
        if theme_id is None:
            db.conn.execute("DELETE FROM idea_themes WHERE idea_id = ?", [idea_id])
            return
        theme_in(db, workshop_id, theme_id)
        db.conn.execute(
            "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,1)"
            " ON CONFLICT (idea_id) DO UPDATE SET theme_id = excluded.theme_id, manual = 1, doubtful = 0",
            [idea_id, theme_id],
        )


def save_clustering(
    db: Database,
    workshop_id: int,
    *,
    new_themes: Mapping[str, Iterable[int]],
    placements: Mapping[int, int],
    relabel: Mapping[int, str] | None = None,
    doubtful: Iterable[int] = (),
) -> dict[str, int]:
    """Store a clustering result in one transaction: new themes with their ideas, ideas placed
    into existing themes (those in `doubtful` marked "to check"), and fresh automatic labels for
    themes the facilitator never renamed. An idea already placed (by a participant's choice or a
    concurrent grouping) keeps its theme: no idea is ever in two."""
    created: dict[str, int] = {}
    doubtful = set(doubtful)
    with write(db, workshop_id):
        db.conn.execute("UPDATE workshops SET grouped_at = ? WHERE id = ?", [now_iso(), workshop_id])
        for theme_id in placements.values():
            theme_in(db, workshop_id, theme_id)
        for idea_id, theme_id in placements.items():
            _idea_in(db, workshop_id, idea_id)
            db.conn.execute(
                "INSERT INTO idea_themes (idea_id, theme_id, manual, doubtful) VALUES (?,?,0,?) ON CONFLICT (idea_id) DO NOTHING",
                [idea_id, theme_id, int(idea_id in doubtful)],
            )
        for label, idea_ids in new_themes.items():
            label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
            new_id = insert_row(
                db,
                "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,0,?)",
                [workshop_id, label, now_iso()],
            )
            created[label] = new_id
            for idea_id in idea_ids:
                _idea_in(db, workshop_id, idea_id)
                db.conn.execute(
                    "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,0) ON CONFLICT (idea_id) DO NOTHING",
                    [idea_id, new_id],
                )
        for theme_id, label in (relabel or {}).items():
            label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
            db.conn.execute(
                "UPDATE themes SET label = ? WHERE id = ? AND workshop_id = ? AND renamed = 0",
                [label, theme_id, workshop_id],
            )
    return created


def reset_auto_themes(db: Database, workshop_id: int) -> None:
    """Forget automatic placements and themes the facilitator never touched (a fresh clustering).
    A theme the facilitator renamed keeps its ideas: renaming it said "this group is right"."""
    with write(db, workshop_id):
        db.conn.execute(
            "DELETE FROM idea_themes WHERE manual = 0 AND idea_id IN (SELECT id FROM ideas WHERE workshop_id = ?)"
            " AND theme_id NOT IN (SELECT id FROM themes WHERE workshop_id = ? AND renamed = 1)",
            [workshop_id, workshop_id],
        )
        db.conn.execute(
            "DELETE FROM themes WHERE workshop_id = ? AND renamed = 0"
            " AND id NOT IN (SELECT theme_id FROM idea_themes)"
            " AND id NOT IN (SELECT theme_id FROM collectifs WHERE theme_id IS NOT NULL)"
            " AND id NOT IN (SELECT theme_id FROM votes)",
            [workshop_id],
        )
