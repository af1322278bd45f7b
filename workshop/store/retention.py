"""Retention: deleting workshops deliberately, and what is past its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from workshop.engine import Database
from workshop.store.base import change_one, erase_traces, query_rows, write


def delete_workshop(db: Database, workshop_id: int, *, vacuum: bool = True) -> None:
    """Delete a workshop and everything in it, then VACUUM so no free page keeps its text."""
    with write(db, None):
        change_one(db, "DELETE FROM workshops WHERE id = ?", [workshop_id], missing="err.no_workshop")
    if vacuum:
        erase_traces(db, rewrite=True)


def expired_workshops(db: Database, *, today: dt.date | None = None) -> list[int]:
    day = (today or dt.date.today()).isoformat()
    return [r["id"] for r in query_rows(db, "SELECT id FROM workshops WHERE retention_date < ?", [day])]


def purge(db: Database, workshop_ids: Iterable[int]) -> int:
    """Delete these workshops, then VACUUM and checkpoint so no page keeps their text."""
    ids = list(workshop_ids)
    for workshop_id in ids:
        delete_workshop(db, workshop_id, vacuum=False)
    if ids:
        erase_traces(db, rewrite=True)
    return len(ids)


def purge_expired(db: Database, *, today: dt.date | None = None) -> int:
    """Delete every workshop past its retention date; returns how many (callers back up first)."""
    return purge(db, expired_workshops(db, today=today))


def workshops_list(db: Database) -> list[dict]:
    return query_rows(db, "SELECT id, code, title, created_at, retention_date FROM workshops ORDER BY id")
