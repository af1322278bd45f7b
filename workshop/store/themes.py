"""Themes: the grouping of ideas, manual moves, merges, and storing a clustering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlite_utils import Database

from workshop import validation
from workshop.errors import NotFound
from workshop.model import LIMITS
from workshop.store.base import _insert, _one, _rows, now_iso, write
from workshop.store.workshops import get_workshop


def themes_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    """Themes with their visible idea count and dots received."""
    rows = _rows(
        db,
        "SELECT t.id, t.label, t.renamed, t.created_at,"
        " (SELECT count(*) FROM idea_themes it JOIN ideas i ON i.id = it.idea_id"
        "   JOIN participants p ON p.id = i.participant_id"
        "   WHERE it.theme_id = t.id AND i.hidden = 0 AND p.blocked = 0) AS ideas,"
        " (SELECT CAST(coalesce(sum(v.dots), 0) AS BIGINT) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.theme_id = t.id AND p.blocked = 0) AS votes"
        " FROM themes t WHERE t.workshop_id = ? ORDER BY t.id",
        [workshop_id],
    )
    columns = ["id", "label", "renamed", "created_at", "ideas", "votes"]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["renamed"] = frame["renamed"].astype(bool)
    return frame


def _theme_in(db: Database, workshop_id: int, theme_id: int) -> None:
    if not _one(db, "SELECT 1 FROM themes WHERE id = ? AND workshop_id = ?", [theme_id, workshop_id]):
        raise NotFound("err.not_found")


def _idea_in(db: Database, workshop_id: int, idea_id: int) -> None:
    if not _one(db, "SELECT 1 FROM ideas WHERE id = ? AND workshop_id = ?", [idea_id, workshop_id]):
        raise NotFound("err.not_found")


def create_theme(db: Database, workshop_id: int, label: str, *, renamed: bool = True) -> int:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        new_id = _insert(
            db,
            "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,?,?)",
            [workshop_id, label, int(renamed), now_iso()],
        )
        return new_id


def rename_theme(db: Database, workshop_id: int, theme_id: int, label: str) -> None:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute("UPDATE themes SET label = ?, renamed = 1 WHERE id = ?", [label, theme_id])


def delete_theme(db: Database, workshop_id: int, theme_id: int) -> None:
    """Remove a theme; its ideas go back to 'to sort'."""
    with write(db, workshop_id):
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute("DELETE FROM themes WHERE id = ?", [theme_id])


def merge_themes(db: Database, workshop_id: int, into_id: int, other_ids: Iterable[int]) -> None:
    """Move every idea and vote of the other themes into one, then drop the others."""
    others = [t for t in other_ids if t != into_id]
    with write(db, workshop_id):
        _theme_in(db, workshop_id, into_id)
        for other in others:
            _theme_in(db, workshop_id, other)
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
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute(
            "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,1)"
            " ON CONFLICT (idea_id) DO UPDATE SET theme_id = excluded.theme_id, manual = 1",
            [idea_id, theme_id],
        )


def save_clustering(
    db: Database,
    workshop_id: int,
    *,
    new_themes: Mapping[str, Iterable[int]],
    placements: Mapping[int, int],
    relabel: Mapping[int, str] | None = None,
) -> dict[str, int]:
    """Store a clustering result in one transaction: new themes with their ideas, ideas placed
    into existing themes, and fresh automatic labels for themes the facilitator never renamed."""
    created: dict[str, int] = {}
    with write(db, workshop_id):
        for theme_id in placements.values():
            _theme_in(db, workshop_id, theme_id)
        for idea_id, theme_id in placements.items():
            _idea_in(db, workshop_id, idea_id)
            db.conn.execute(
                "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,0) ON CONFLICT (idea_id) DO NOTHING",
                [idea_id, theme_id],
            )
        for label, idea_ids in new_themes.items():
            label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
            new_id = _insert(
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
