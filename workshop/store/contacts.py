"""Contacts: the people a participant maps (third parties: cleaned, owned, deletable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from workshop import validation
from workshop.engine import Database
from workshop.errors import AccessDenied, InvalidInput, NotFound
from workshop.model import CONTACT_FIELDS, LIMITS, Participant
from workshop.store.base import change_one, insert_row, json_dumps, json_loads, now_iso, query_one, query_rows, write
from workshop.store.participants import delete_merges, reread_participant
from workshop.store.rounds import require_open


def clean_contact(fields: Mapping) -> dict:
    """Validate a contact's fields; defaults for what the participant left out."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise InvalidInput("err.invalid", field=", ".join(sorted(unknown)))
    dormant = bool(fields.get("dormant", False))
    return {
        "label": validation.clean_label(fields.get("label")),
        "circle": validation.clean_circle(fields.get("circle")),
        "strength": validation.clean_scale(fields.get("strength", 2), field="field.strength"),
        "trust": validation.clean_scale(fields.get("trust", 2), field="field.trust"),
        "dormant": int(dormant),
        "last_contact_year": validation.clean_year(fields.get("last_contact_year")),
        "flows": json_dumps(validation.clean_flows(fields.get("flows"))),
        "region": validation.clean_place(fields.get("region"), "field.region"),
        "city": validation.clean_place(fields.get("city"), "field.city"),
        "organisation": validation.clean_place(fields.get("organisation"), "field.organisation"),
        "sector": validation.clean_place(fields.get("sector"), "field.sector"),
        "skills": json_dumps(validation.clean_skills(fields.get("skills"))),
    }


def admit_row(db: Database, participant: Participant, table: str, submission_id: str, round_name: str, limit: str) -> int | None:
    """Inside a write: the id already stored for this submission (a replay), or None once the
    participant, the round and the per-person limit allow a new row."""
    existing = query_one(db, f"SELECT id, participant_id FROM {table} WHERE submission_id = ?", [submission_id])
    if existing:
        if existing["participant_id"] != participant.id:
            raise AccessDenied("err.link")
        return existing["id"]
    reread_participant(db, participant)
    require_open(db, participant.workshop_id, round_name, rehearsal=participant.rehearsal)
    count = query_one(db, f"SELECT count(*) AS n FROM {table} WHERE participant_id = ?", [participant.id])["n"]
    if count >= LIMITS[limit]:
        raise InvalidInput(f"err.too_many_{table}", max=LIMITS[limit])
    return None


def add_contact(db: Database, participant: Participant, *, submission_id: str, now: dt.datetime | None = None, **fields) -> int:
    """Add one contact; the same submission id twice returns the first row's id."""
    values = clean_contact(fields)
    submission_id = validation.clean_text(submission_id, field="field.submission", max_len=64)
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        existing = admit_row(db, participant, "contacts", submission_id, "contacts", "contacts_per_participant")
        if existing is not None:
            return existing
        cols = ["workshop_id", "participant_id", *values, "submission_id", "created_at", "updated_at"]
        new_id = insert_row(
            db,
            f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [participant.workshop_id, participant.id, *values.values(), submission_id, stamp, stamp],
        )
        return new_id


def update_contact(db: Database, participant: Participant, contact_id: int, *, now: dt.datetime | None = None, **fields) -> None:
    """Edit one's own contact (only the owner can: the WHERE names the participant)."""
    current = contact(db, participant, contact_id)
    merged = {k: current[k] for k in CONTACT_FIELDS}
    merged.update(fields)
    values = clean_contact(merged)
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "contacts", rehearsal=participant.rehearsal)
        assignments = ", ".join(f"{k} = ?" for k in values)
        change_one(
            db,
            f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ? AND participant_id = ?",
            [*values.values(), now_iso(now), contact_id, participant.id],
        )


def delete_contact(db: Database, participant: Participant, contact_id: int) -> None:
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        delete_merges(db, participant.workshop_id, [contact_id])
        change_one(db, "DELETE FROM contacts WHERE id = ? AND participant_id = ?", [contact_id, participant.id])


def contact_row(row: Mapping) -> dict:
    out = dict(row)
    out["flows"] = json_loads(out.get("flows"))
    out["skills"] = json_loads(out.get("skills"))
    out["dormant"] = bool(out.get("dormant"))
    return out


def contact(db: Database, participant: Participant, contact_id: int) -> dict:
    row = query_one(db, "SELECT * FROM contacts WHERE id = ? AND participant_id = ?", [contact_id, participant.id])
    if not row:
        raise NotFound("err.not_found")
    return contact_row(row)


def contacts_of(db: Database, participant_id: int) -> list[dict]:
    return [
        contact_row(r) for r in query_rows(db, "SELECT * FROM contacts WHERE participant_id = ? ORDER BY id", [participant_id])
    ]


def contacts_frame(db: Database, workshop_id: int, *, include_blocked: bool = False) -> pd.DataFrame:
    """Every contact of the workshop with its owner's display name (blocked participants left out)."""
    sql = (
        "SELECT c.*, p.display_name AS owner FROM contacts c JOIN participants p ON p.id = c.participant_id"
        " WHERE c.workshop_id = ?"
    )
    if not include_blocked:
        sql += " AND p.blocked = 0"
    rows = [contact_row(r) for r in query_rows(db, sql + " ORDER BY c.id", [workshop_id])]
    columns = ["id", "workshop_id", "participant_id", *CONTACT_FIELDS, "created_at", "updated_at", "owner"]
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
