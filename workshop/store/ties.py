"""Ties among a participant's contacts ("Qui se connaît ?"): stated by the participant, between two
of their own contacts, one row per unordered pair; census cards say which pairs were asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from workshop import validation
from workshop.engine import Database
from workshop.errors import InvalidInput, NotFound
from workshop.model import LIMITS, Participant
from workshop.store.base import now_iso, query_one, query_rows, write
from workshop.store.participants import reread_participant
from workshop.store.rounds import require_open


def census_contact_ids(db: Database, participant_id: int) -> list[int]:
    """The contacts the census covers: the participant's most recent ones (LIMITS), oldest first."""
    rows = query_rows(
        db,
        "SELECT id FROM contacts WHERE participant_id = ? ORDER BY id DESC LIMIT ?",
        [participant_id, LIMITS["census_contacts"]],
    )
    return sorted(int(r["id"]) for r in rows)


def _clean_ids(values: Iterable, *, field: str) -> set[int]:
    """A list of contact ids from a page (bounded: a census card never shows more)."""
    values = list(values or [])
    if len(values) > LIMITS["census_contacts"] or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise InvalidInput("err.invalid", field=field)
    return set(values)


def record_ties(
    db: Database,
    participant: Participant,
    contact_id: int,
    *,
    knows: Iterable[int],
    shown: Iterable[int],
    submission_id: str,
    now: dt.datetime | None = None,
) -> None:
    """One census card answered: among the contacts `shown` beside `contact_id`, those in `knows`
    know it and the others do not (a tie stated before and now untapped goes). The same
    submission id twice changes nothing; every id must be one of the participant's census contacts."""
    knows, shown = _clean_ids(knows, field="field.ties"), _clean_ids(shown, field="field.ties")
    submission_id = validation.clean_text(submission_id, field="field.submission", max_len=64)
    if contact_id in shown or contact_id in knows:
        raise InvalidInput("err.tie_self")  # before the write: nothing to lock for a refusal
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        card = query_one(db, "SELECT participant_id, submission_id FROM census_cards WHERE contact_id = ?", [contact_id])
        if card and card["participant_id"] == participant.id and card["submission_id"] == submission_id:
            return  # a replay of the answer already stored
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "contacts", rehearsal=participant.rehearsal)
        _answer(db, participant, contact_id, knows, shown, submission_id, stamp)


def record_census(
    db: Database,
    participant: Participant,
    answers: Iterable[tuple[int, Iterable[int], Iterable[int]]],
    *,
    submission_prefix: str,
    now: dt.datetime | None = None,
) -> None:
    """Several cards answered at once, (contact_id, knows, shown) each, in one transaction (the
    demo room and the rehearsal: a participant's whole census; the phone sends one card)."""
    cleaned = [(cid, _clean_ids(k, field="field.ties"), _clean_ids(s, field="field.ties")) for cid, k, s in answers]
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "contacts", rehearsal=participant.rehearsal)
        for cid, knows, shown in cleaned:
            _answer(db, participant, cid, knows, shown, f"{submission_prefix}-{cid}"[:64], stamp)


def _answer(
    db: Database, participant: Participant, contact_id: int, knows: set[int], shown: set[int], submission_id: str, stamp: str
) -> None:
    """Inside a write: one card's answer checked against the participant's census and stored."""
    if contact_id in shown or contact_id in knows:
        raise InvalidInput("err.tie_self")
    if not knows <= shown:
        raise InvalidInput("err.invalid", field="field.ties")
    mine = set(_rows_ids(db, participant.id))
    if contact_id not in mine or not shown <= mine:
        raise NotFound("err.tie_contact_gone")
    census = set(census_contact_ids(db, participant.id))
    if contact_id not in census or not shown <= census:
        raise InvalidInput("err.tie_outside_census", max=LIMITS["census_contacts"])
    for other in sorted(shown):
        a, b = sorted((contact_id, other))
        if other in knows:
            db.conn.execute(
                "INSERT INTO ties (workshop_id, participant_id, contact_a, contact_b, created_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT DO NOTHING",
                [participant.workshop_id, participant.id, a, b, stamp],
            )
        else:
            db.conn.execute(
                "DELETE FROM ties WHERE participant_id = ? AND contact_a = ? AND contact_b = ?", [participant.id, a, b]
            )
    count = query_one(db, "SELECT count(*) AS n FROM ties WHERE participant_id = ?", [participant.id])["n"]
    if count > LIMITS["ties_per_participant"]:
        raise InvalidInput("err.too_many_ties", max=LIMITS["ties_per_participant"])
    upto = max([*shown, card_upto(db, contact_id)], default=0)
    db.conn.execute(
        "INSERT INTO census_cards (contact_id, participant_id, workshop_id, upto, submission_id, answered_at)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT (contact_id) DO UPDATE SET upto = excluded.upto,"
        " submission_id = excluded.submission_id, answered_at = excluded.answered_at",
        [contact_id, participant.id, participant.workshop_id, upto, submission_id, stamp],
    )


def _rows_ids(db: Database, participant_id: int) -> list[int]:
    return [int(r["id"]) for r in query_rows(db, "SELECT id FROM contacts WHERE participant_id = ?", [participant_id])]


def card_upto(db: Database, contact_id: int) -> int:
    row = query_one(db, "SELECT upto FROM census_cards WHERE contact_id = ?", [contact_id])
    return int(row["upto"]) if row else 0


def ties_of(db: Database, participant_id: int) -> list[tuple[int, int]]:
    """The pairs of contacts a participant said know each other, (smaller id, larger id)."""
    rows = query_rows(
        db, "SELECT contact_a, contact_b FROM ties WHERE participant_id = ? ORDER BY contact_a, contact_b", [participant_id]
    )
    return [(int(r["contact_a"]), int(r["contact_b"])) for r in rows]


def census_cards(db: Database, participant_id: int) -> dict[int, int]:
    """Answered cards: contact id -> the highest contact id its card had been asked about."""
    rows = query_rows(db, "SELECT contact_id, upto FROM census_cards WHERE participant_id = ?", [participant_id])
    return {int(r["contact_id"]): int(r["upto"]) for r in rows}


def ties_frame(db: Database, workshop_id: int, *, include_blocked: bool = False) -> pd.DataFrame:
    """Every tie of the workshop (participant_id, contact_a, contact_b), suspended people's left out."""
    sql = "SELECT t.participant_id, t.contact_a, t.contact_b FROM ties t JOIN participants p ON p.id = t.participant_id WHERE t.workshop_id = ?"
    if not include_blocked:
        sql += " AND p.blocked = 0"
    rows = query_rows(db, sql + " ORDER BY t.id", [workshop_id])
    return pd.DataFrame(rows, columns=["participant_id", "contact_a", "contact_b"])


def census_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    """Who answered which census card (participant_id, contact_id): a participant who answered
    says something about their contacts' ties, even "none"."""
    rows = query_rows(
        db, "SELECT participant_id, contact_id FROM census_cards WHERE workshop_id = ? ORDER BY contact_id", [workshop_id]
    )
    return pd.DataFrame(rows, columns=["participant_id", "contact_id"])
