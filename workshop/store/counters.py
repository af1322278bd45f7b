"""Counters: the room's totals and what is new (console and projector)."""

from __future__ import annotations

from workshop.engine import Database
from workshop.store.base import query_one


def counters(db: Database, workshop_id: int) -> dict:
    """Room counters for the console and projector (blocked participants and hidden ideas left out)."""
    row = query_one(
        db,
        "SELECT"
        " (SELECT count(*) FROM participants WHERE workshop_id = :w AND blocked = 0) AS participants,"
        " (SELECT count(*) FROM contacts c JOIN participants p ON p.id = c.participant_id"
        "   WHERE c.workshop_id = :w AND p.blocked = 0) AS contacts,"
        " (SELECT count(*) FROM ideas i JOIN participants p ON p.id = i.participant_id"
        "   WHERE i.workshop_id = :w AND i.hidden = 0 AND p.blocked = 0) AS ideas,"
        " (SELECT count(DISTINCT v.participant_id) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.workshop_id = :w AND p.blocked = 0) AS voters,"
        " (SELECT CAST(coalesce(sum(v.dots), 0) AS BIGINT) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.workshop_id = :w AND p.blocked = 0) AS dots,"
        " (SELECT count(*) FROM participants p WHERE p.workshop_id = :w AND p.blocked = 0"
        "   AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.participant_id = p.id)"
        "   AND NOT EXISTS (SELECT 1 FROM ideas i WHERE i.participant_id = p.id)) AS silent,"
        " (SELECT count(*) FROM collectifs WHERE workshop_id = :w) AS collectifs,"
        " (SELECT count(*) FROM themes WHERE workshop_id = :w) AS themes",
        {"w": workshop_id},
    )
    return dict(row)


def recent(db: Database, workshop_id: int, *, since: str) -> dict:
    """How many contacts and ideas arrived since an ISO time (the 'what's new' highlight)."""
    row = query_one(
        db,
        "SELECT (SELECT count(*) FROM contacts WHERE workshop_id = :w AND created_at >= :s) AS contacts,"
        " (SELECT count(*) FROM ideas WHERE workshop_id = :w AND created_at >= :s AND hidden = 0) AS ideas,"
        " (SELECT count(*) FROM participants WHERE workshop_id = :w AND joined_at >= :s) AS participants",
        {"w": workshop_id, "s": since},
    )
    return dict(row)
