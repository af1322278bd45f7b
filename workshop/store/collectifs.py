"""Collectifs: membership, mobilised contacts, next steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from workshop import validation
from workshop.engine import Database
from workshop.errors import AccessDenied, NotFound
from workshop.model import LIMITS, Participant
from workshop.store.base import change_one, insert_row, now_iso, query_one, query_rows, write
from workshop.store.contacts import contact_row
from workshop.store.participants import reread_participant
from workshop.store.rounds import require_open
from workshop.store.themes import theme_in
from workshop.store.workshops import get_workshop, iso_date


def create_collectif(db: Database, workshop_id: int, *, name: str, theme_id: int | None = None) -> int:
    name = validation.clean_text(name, field="field.collectif", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        if theme_id is not None:
            theme_in(db, workshop_id, theme_id)
        new_id = insert_row(
            db,
            "INSERT INTO collectifs (workshop_id, theme_id, name, created_at) VALUES (?,?,?,?)",
            [workshop_id, theme_id, name, now_iso()],
        )
        return new_id


def delete_collectif(db: Database, workshop_id: int, collectif_id: int) -> None:
    with write(db, workshop_id):
        change_one(db, "DELETE FROM collectifs WHERE id = ? AND workshop_id = ?", [collectif_id, workshop_id])


def _collectif_in(db: Database, workshop_id: int, collectif_id: int) -> None:
    if not query_one(db, "SELECT 1 FROM collectifs WHERE id = ? AND workshop_id = ?", [collectif_id, workshop_id]):
        raise NotFound("err.not_found")


def set_membership(db: Database, participant: Participant, collectif_id: int, *, member: bool) -> None:
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "collectifs", rehearsal=participant.rehearsal)
        _collectif_in(db, participant.workshop_id, collectif_id)
        if member:
            db.conn.execute(
                "INSERT INTO collectif_members (collectif_id, participant_id, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                [collectif_id, participant.id, now_iso()],
            )
        else:
            db.conn.execute(
                "DELETE FROM collectif_members WHERE collectif_id = ? AND participant_id = ?",
                [collectif_id, participant.id],
            )
            db.conn.execute(
                "DELETE FROM collectif_contacts WHERE collectif_id = ?"
                " AND contact_id IN (SELECT id FROM contacts WHERE participant_id = ?)",
                [collectif_id, participant.id],
            )


def set_mobilised_contacts(db: Database, participant: Participant, collectif_id: int, contact_ids: Iterable[int]) -> None:
    """Which of their own contacts a member could mobilise for this collectif (replaces the list)."""
    try:
        ids = sorted({int(c) for c in contact_ids})
    except (TypeError, ValueError):
        raise AccessDenied("err.not_yours") from None  # not one of their contacts' ids
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "collectifs", rehearsal=participant.rehearsal)
        if not query_one(
            db,
            "SELECT 1 FROM collectif_members m JOIN collectifs c ON c.id = m.collectif_id"
            " WHERE m.collectif_id = ? AND m.participant_id = ? AND c.workshop_id = ?",
            [collectif_id, participant.id, participant.workshop_id],
        ):
            raise AccessDenied("err.not_member")
        own = {r["id"] for r in query_rows(db, "SELECT id FROM contacts WHERE participant_id = ?", [participant.id])}
        if not set(ids) <= own:
            raise AccessDenied("err.not_yours")
        db.conn.execute(
            "DELETE FROM collectif_contacts WHERE collectif_id = ?"
            " AND contact_id IN (SELECT id FROM contacts WHERE participant_id = ?)",
            [collectif_id, participant.id],
        )
        db.conn.executemany(
            "INSERT INTO collectif_contacts (collectif_id, contact_id) VALUES (?,?)", [(collectif_id, c) for c in ids]
        )


def add_next_step(
    db: Database,
    participant: Participant,
    collectif_id: int,
    *,
    submission_id: str,
    text: str,
    due_date: dt.date | str | None = None,
    owner: str = "",
) -> int:
    text = validation.clean_text(text, field="field.next_step", max_len=LIMITS["next_step"])
    owner = validation.clean_text(owner, field="field.owner", max_len=LIMITS["name"], required=False)
    due = iso_date(due_date) if due_date else ""
    with write(db, participant.workshop_id):
        existing = query_one(db, "SELECT id FROM next_steps WHERE submission_id = ?", [submission_id])
        if existing:
            return existing["id"]
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "collectifs", rehearsal=participant.rehearsal)
        _collectif_in(db, participant.workshop_id, collectif_id)
        new_id = insert_row(
            db,
            "INSERT INTO next_steps (collectif_id, participant_id, text, due_date, owner, submission_id, created_at)"
            " VALUES (?,?,?,?,?,?,?)",
            [collectif_id, participant.id, text, due, owner or participant.display_name, submission_id, now_iso()],
        )
        return new_id


def collectifs(db: Database, workshop_id: int) -> list[dict]:
    """Each collectif with its theme, members, next steps and mobilised contacts (full rows)."""
    out = []
    for c in query_rows(
        db,
        "SELECT c.id, c.name, c.theme_id, t.label AS theme, c.created_at FROM collectifs c"
        " LEFT JOIN themes t ON t.id = c.theme_id WHERE c.workshop_id = ? ORDER BY c.id",
        [workshop_id],
    ):
        c["members"] = query_rows(
            db,
            "SELECT p.id, p.display_name FROM collectif_members m JOIN participants p ON p.id = m.participant_id"
            " WHERE m.collectif_id = ? AND p.blocked = 0 ORDER BY m.joined_at, p.id",
            [c["id"]],
        )
        c["next_steps"] = query_rows(
            db,
            "SELECT id, participant_id, text, due_date, owner, created_at FROM next_steps WHERE collectif_id = ? ORDER BY id",
            [c["id"]],
        )
        c["contacts"] = [
            contact_row(r)
            for r in query_rows(
                db,
                "SELECT ct.* FROM collectif_contacts cc JOIN contacts ct ON ct.id = cc.contact_id"
                " JOIN participants p ON p.id = ct.participant_id"
                " WHERE cc.collectif_id = ? AND p.blocked = 0 ORDER BY ct.id",
                [c["id"]],
            )
        ]
        out.append(c)
    return out
