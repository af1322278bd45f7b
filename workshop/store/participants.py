"""Participants: joining, personal links, skills, suspension, 'delete my data' across a series."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

import pandas as pd

from workshop import security, validation
from workshop.engine import Database
from workshop.errors import AccessDenied, InvalidInput, NotFound, RoundClosed, SlowDown
from workshop.model import LIMITS, Participant, Workshop
from workshop.store.base import change_one, erase_traces, json_dumps, json_loads, now_iso, query_one, query_rows, write
from workshop.store.workshops import get_workshop, workshop_by_code


def _participant(row: Mapping) -> Participant:
    return Participant(
        id=row["id"],
        workshop_id=row["workshop_id"],
        display_name=row["display_name"],
        skills_offered=json_loads(row["skills_offered"]),
        skills_sought=json_loads(row["skills_sought"]),
        blocked=bool(row["blocked"]),
        joined_at=row["joined_at"],
        show_name=bool(row["show_name"]),
        rehearsal=bool(row["rehearsal"]),
    )


def join(
    db: Database, code: str, display_name: str, *, token: str, now: dt.datetime | None = None, rehearsal: bool = False
) -> Participant:
    """Join a workshop by code. The caller makes the token (kept in its session), so a
    double submit with the same token returns the same participant instead of a second one.
    `rehearsal`: a simulated person of the console's rehearsal (joins a locked room too)."""
    name = validation.clean_name(display_name)
    workshop = workshop_by_code(db, code)
    token_hash = security.hash_participant_token(token)
    with write(db, workshop.id):
        existing = query_one(db, "SELECT * FROM participants WHERE token_hash = ?", [token_hash])
        if existing:
            if existing["workshop_id"] != workshop.id:
                raise AccessDenied("err.link")
            return _participant(existing)
        room = query_one(db, "SELECT join_locked, settings FROM workshops WHERE id = ?", [workshop.id])
        if not rehearsal and room["join_locked"]:
            raise RoundClosed("err.join_locked")
        count = query_one(db, "SELECT count(*) AS n FROM participants WHERE workshop_id = ?", [workshop.id])["n"]
        if count >= LIMITS["participants_per_workshop"]:
            raise InvalidInput("err.room_full", max=LIMITS["participants_per_workshop"])
        if not rehearsal:
            _within_join_limits(db, workshop.id, validation.join_limits(json.loads(room["settings"] or "{}")), now)
        db.conn.execute(  # show_name 0: a name appears in pseudonymised exports only if its owner says so
            "INSERT INTO participants (workshop_id, display_name, token_hash, joined_at, show_name, rehearsal) VALUES (?,?,?,?,0,?)",
            [workshop.id, name, token_hash, now_iso(now), int(rehearsal)],
        )
    return participant_by_token(db, token)[1]


def _within_join_limits(db: Database, workshop_id: int, limits: dict[str, int], now: dt.datetime | None) -> None:
    """Inside the join's write (one room's joins take turns): the facilitator's cap and joins per
    minute, counted in the database so that they hold however many servers share it."""
    people = query_one(db, "SELECT count(*) AS n FROM participants WHERE workshop_id = ? AND rehearsal = 0", [workshop_id])["n"]
    if people >= limits["max_participants"]:
        raise InvalidInput("err.room_full", max=limits["max_participants"])
    since = now_iso((now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=60))
    recent = query_one(
        db,
        "SELECT count(*) AS n FROM participants WHERE workshop_id = ? AND rehearsal = 0 AND joined_at >= ?",
        [workshop_id, since],
    )["n"]
    if recent >= limits["joins_per_minute"]:
        raise SlowDown("err.join_busy")


def joins_per_minute(db: Database, workshop_id: int, *, minutes: int = 10, now: dt.datetime | None = None) -> list[int]:
    """Joins in each of the last `minutes` minutes, oldest first (the console's flood watch)."""
    end = now or dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(minutes=minutes)
    rows = query_rows(
        db,
        "SELECT joined_at FROM participants WHERE workshop_id = ? AND rehearsal = 0 AND joined_at >= ?",
        [workshop_id, now_iso(start)],
    )
    counts = [0] * minutes
    for row in rows:
        at = dt.datetime.fromisoformat(row["joined_at"])
        counts[min(minutes - 1, max(0, int((at - start).total_seconds() // 60)))] += 1
    return counts


def remove_joined_between(db: Database, workshop_id: int, start: str, end: str) -> int:
    """A flood undone: the participants who joined between two ISO times, with everything they
    added (as "delete my data" does); returns how many."""
    with write(db, workshop_id):
        people = [
            r["id"]
            for r in query_rows(
                db,
                "SELECT id FROM participants WHERE workshop_id = ? AND rehearsal = 0 AND joined_at >= ? AND joined_at <= ?",
                [workshop_id, start, end],
            )
        ]
        _remove_people(db, workshop_id, people)
    if people:
        erase_traces(db, rewrite=False)
    return len(people)


def participant_by_token(db: Database, token: str, *, allow_blocked: bool = False) -> tuple[Workshop, Participant]:
    """Who this personal link belongs to; refuses unknown, deleted and (unless `allow_blocked`,
    for erasing their own data) suspended participants."""
    if not token or not isinstance(token, str) or len(token) > 100:
        raise AccessDenied("err.link")
    row = query_one(db, "SELECT * FROM participants WHERE token_hash = ?", [security.hash_participant_token(token)])
    if not row:
        raise AccessDenied("err.link")
    if row["blocked"] and not allow_blocked:
        raise AccessDenied("err.blocked")
    return get_workshop(db, row["workshop_id"]), _participant(row)


def get_participant(db: Database, workshop_id: int, participant_id: int) -> Participant:
    row = query_one(db, "SELECT * FROM participants WHERE id = ? AND workshop_id = ?", [participant_id, workshop_id])
    if not row:
        raise NotFound("err.not_found")
    return _participant(row)


def reread_participant(db: Database, participant: Participant) -> Participant:
    """Re-read the participant inside a write: blocked or deleted since the page loaded?"""
    row = query_one(db, "SELECT * FROM participants WHERE id = ?", [participant.id])
    if not row or row["workshop_id"] != participant.workshop_id:
        raise AccessDenied("err.link")
    if row["blocked"]:
        raise AccessDenied("err.blocked")
    return _participant(row)


def set_own_skills(
    db: Database, participant: Participant, *, offered: Iterable[str], sought: Iterable[str], show_name: bool | None = None
) -> Participant:
    offered_clean = validation.clean_skills(offered)
    sought_clean = validation.clean_skills(sought)
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        db.conn.execute(
            "UPDATE participants SET skills_offered = ?, skills_sought = ?, show_name = COALESCE(?, show_name) WHERE id = ?",
            [json_dumps(offered_clean), json_dumps(sought_clean), None if show_name is None else int(show_name), participant.id],
        )
    return get_participant(db, participant.workshop_id, participant.id)


def skill_suggestions(db: Database, workshop_id: int, *, limit: int = 60) -> list[str]:
    """Skills participants gave as their own, most frequent first (suggestions for the next
    person). Contacts' skills are never shown to others: they describe third parties."""
    counts: dict[str, tuple[int, str]] = {}
    rows = query_rows(
        db,
        "SELECT skills_offered AS s FROM participants WHERE workshop_id = ?"
        " UNION ALL SELECT skills_sought FROM participants WHERE workshop_id = ?",
        [workshop_id] * 2,
    )
    for row in rows:
        for skill in json_loads(row["s"]):
            key = str(skill).casefold()
            n, label = counts.get(key, (0, str(skill)))
            counts[key] = (n + 1, label)
    ranked = sorted(counts.values(), key=lambda item: (-item[0], item[1].casefold()))
    return [label for _, label in ranked[:limit]]


def set_blocked(db: Database, workshop_id: int, participant_id: int, *, blocked: bool) -> None:
    with write(db, workshop_id):
        change_one(
            db,
            "UPDATE participants SET blocked = ? WHERE id = ? AND workshop_id = ?",
            [int(blocked), participant_id, workshop_id],
        )


def delete_participant(db: Database, participant: Participant) -> None:
    """'Delete my data': the participant, their contacts, ideas, votes, memberships and merges, in
    this workshop and in every earlier workshop of the series their link was carried from."""
    with write(db, participant.workshop_id):
        if not query_one(
            db, "SELECT 1 FROM participants WHERE id = ? AND workshop_id = ?", [participant.id, participant.workshop_id]
        ):
            raise NotFound("err.not_found")
        for person in _copies_of(db, participant.id):
            contact_ids = [r["id"] for r in query_rows(db, "SELECT id FROM contacts WHERE participant_id = ?", [person["id"]])]
            delete_merges(db, person["workshop_id"], contact_ids)
            db.conn.execute(
                "DELETE FROM merges WHERE workshop_id = ? AND kind = 'participant' AND b_id = ?",
                [person["workshop_id"], person["id"]],
            )
            db.conn.execute("DELETE FROM participants WHERE id = ?", [person["id"]])
            if person["workshop_id"] != participant.workshop_id:
                db.conn.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [person["workshop_id"]])
    # SQLite: secure_delete zeroed the freed pages; the WAL still holds earlier images of them until
    # a checkpoint copies the pages back and truncates it (readers still open may delay part of it).
    erase_traces(db, rewrite=False)


def remove_rehearsal(db: Database, workshop_id: int) -> int:
    """Remove the rehearsal's simulated people and everything they left: contacts, ideas, votes,
    memberships, next steps (cascades), merge decisions on their contacts, and the automatic
    themes their ideas alone made. Returns how many people went; one transaction."""
    with write(db, workshop_id):
        people = [
            r["id"] for r in query_rows(db, "SELECT id FROM participants WHERE workshop_id = ? AND rehearsal = 1", [workshop_id])
        ]
        _remove_people(db, workshop_id, people)
    if people:
        erase_traces(db, rewrite=False)
    return len(people)


def _remove_people(db: Database, workshop_id: int, people: list[int]) -> None:
    """Inside a write: these participants and everything they left (contacts, ties, ideas, votes,
    memberships, next steps by cascade), merge decisions on their contacts, and the automatic
    themes their ideas alone made."""
    if not people:
        return
    marks = ",".join("?" * len(people))
    contact_ids = [r["id"] for r in query_rows(db, f"SELECT id FROM contacts WHERE participant_id IN ({marks})", people)]
    delete_merges(db, workshop_id, contact_ids)
    db.conn.execute(
        f"DELETE FROM merges WHERE workshop_id = ? AND kind = 'participant' AND b_id IN ({marks})", [workshop_id, *people]
    )
    emptied = [
        r["id"]
        for r in query_rows(
            db,
            "SELECT t.id FROM themes t WHERE t.workshop_id = ? AND t.renamed = 0 AND EXISTS (SELECT 1 FROM idea_themes it"
            " JOIN ideas i ON i.id = it.idea_id WHERE it.theme_id = t.id) AND NOT EXISTS (SELECT 1 FROM idea_themes it"
            f" JOIN ideas i ON i.id = it.idea_id WHERE it.theme_id = t.id AND i.participant_id NOT IN ({marks}))",
            [workshop_id, *people],
        )
    ]
    db.conn.execute(f"DELETE FROM participants WHERE id IN ({marks})", people)
    for theme_id in emptied:
        db.conn.execute("DELETE FROM themes WHERE id = ? AND workshop_id = ?", [theme_id, workshop_id])


def _copies_of(db: Database, participant_id: int) -> list[dict]:
    """The participant and every row it was copied from (import keeping links), oldest last."""
    rows = query_rows(
        db,
        "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.original_id FROM participant_copies c JOIN chain"
        " ON c.copy_id = chain.id) SELECT p.id, p.workshop_id FROM participants p JOIN chain ON chain.id = p.id",
        [participant_id],
    )
    return sorted(rows, key=lambda r: -r["id"])


def delete_merges(db: Database, workshop_id: int, contact_ids: list[int]) -> None:
    for cid in contact_ids:
        db.conn.execute(
            "DELETE FROM merges WHERE workshop_id = ? AND (a_id = ? OR (kind = 'contact' AND b_id = ?))",
            [workshop_id, cid, cid],
        )


def participants_frame(db: Database, workshop_id: int, *, include_blocked: bool = True) -> pd.DataFrame:
    sql = (
        "SELECT p.id, p.display_name, p.skills_offered, p.skills_sought, p.show_name, p.blocked, p.joined_at, p.rehearsal,"
        " (SELECT count(*) FROM contacts c WHERE c.participant_id = p.id) AS contacts,"
        " (SELECT count(*) FROM ideas i WHERE i.participant_id = p.id) AS ideas"
        " FROM participants p WHERE p.workshop_id = ?"
    )
    if not include_blocked:
        sql += " AND p.blocked = 0"
    frame = pd.DataFrame(query_rows(db, sql + " ORDER BY p.id", [workshop_id]))
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "id",
                "display_name",
                "skills_offered",
                "skills_sought",
                "show_name",
                "blocked",
                "joined_at",
                "rehearsal",
                "contacts",
                "ideas",
            ]
        )
    for col in ("skills_offered", "skills_sought"):
        frame[col] = frame[col].map(json_loads)
    frame["show_name"] = frame["show_name"].astype(bool)
    frame["blocked"] = frame["blocked"].astype(bool)
    frame["rehearsal"] = frame["rehearsal"].astype(bool)
    return frame
