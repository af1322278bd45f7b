"""Rounds: open and close, timers, the marker idle phones poll."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from workshop.engine import Database
from workshop.errors import InvalidInput, NotFound, RoundClosed
from workshop.model import ROUNDS, Round
from workshop.store.base import now_iso, query_one, query_rows, write
from workshop.store.workshops import get_workshop


def rounds(db: Database, workshop_id: int) -> dict[str, Round]:
    rows = query_rows(db, "SELECT * FROM rounds WHERE workshop_id = ?", [workshop_id])
    found = {
        r["name"]: Round(r["name"], bool(r["is_open"]), r["ends_at"], r["opened_at"], int(r["planned_minutes"])) for r in rows
    }
    return {name: found.get(name, Round(name, False, None, None)) for name in ROUNDS}


def room_marker(db: Database, workshop_id: int) -> str:
    """What an idle phone watches (one indexed read): the rounds' state, and while the collectifs
    round is open the data version too (members and next steps change on other phones)."""
    rows = query_rows(
        db,
        "SELECT w.version, r.name, r.is_open, r.opened_at FROM workshops w"
        " LEFT JOIN rounds r ON r.workshop_id = w.id WHERE w.id = ? ORDER BY r.name",
        [workshop_id],
    )
    if not rows:
        raise NotFound("err.no_workshop")
    state = ",".join(f"{r['name']}:{r['is_open']}:{r['opened_at'] or ''}" for r in rows if r["name"])
    collectifs_open = any(r["name"] == "collectifs" and r["is_open"] for r in rows)
    state = f"{state}|{rows[0]['version'] if collectifs_open else ''}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]  # opaque: a phone only compares it


def current_round(db: Database, workshop_id: int) -> Round | None:
    """The most recently opened round that is still open (what the projector announces)."""
    return latest_open(rounds(db, workshop_id))


def latest_open(all_rounds: Mapping[str, Round]) -> Round | None:
    """The current round among already-read rounds (no query)."""
    open_rounds = [r for r in all_rounds.values() if r.is_open]
    return max(open_rounds, key=lambda r: (r.opened_at or "", ROUNDS.index(r.name)), default=None)


def set_round(
    db: Database,
    workshop_id: int,
    name: str,
    *,
    is_open: bool,
    minutes: float | None = None,
    now: dt.datetime | None = None,
) -> Round:
    """Open (optionally with a countdown) or close a round."""
    if name not in ROUNDS:
        raise InvalidInput("err.invalid", field="field.round")
    if minutes is not None and not (0 < minutes <= 600):
        raise InvalidInput("err.invalid", field="field.timer")
    moment = now or dt.datetime.now(dt.UTC)
    ends = now_iso(moment + dt.timedelta(minutes=minutes)) if (is_open and minutes) else None
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        db.conn.execute(
            "INSERT INTO rounds (workshop_id, name, is_open, opened_at, ends_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT (workshop_id, name) DO UPDATE SET is_open = excluded.is_open,"
            " opened_at = CASE WHEN excluded.is_open = 1 THEN excluded.opened_at ELSE rounds.opened_at END,"
            " ends_at = excluded.ends_at",
            [workshop_id, name, int(is_open), now_iso(moment), ends],
        )
        if is_open and minutes:
            db.conn.execute(
                "UPDATE rounds SET planned_minutes = ? WHERE workshop_id = ? AND name = ?", [round(minutes), workshop_id, name]
            )
    return rounds(db, workshop_id)[name]


def plan_timers(db: Database, workshop_id: int, minutes: Mapping[str, int]) -> None:
    """Set the timers the console proposes for each round (0: none), as a template carries them."""
    clean = {}
    for name, value in minutes.items():
        if name not in ROUNDS or isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 600:
            raise InvalidInput("err.invalid", field="field.timer")
        clean[name] = value
    with write(db, workshop_id):
        for name, value in clean.items():
            db.conn.execute(
                "UPDATE rounds SET planned_minutes = ? WHERE workshop_id = ? AND name = ?", [value, workshop_id, name]
            )


def seconds_left(round_: Round | None, *, now: dt.datetime | None = None) -> int | None:
    """Seconds until a round's timer ends (0 when over), None without a timer."""
    if not round_ or not round_.is_open or not round_.ends_at:
        return None
    ends = dt.datetime.fromisoformat(round_.ends_at)
    moment = now or dt.datetime.now(dt.UTC)
    return max(0, int((ends - moment).total_seconds()))


def require_open(db: Database, workshop_id: int, name: str, *, rehearsal: bool = False) -> None:
    """Refuse a participant's entry outside its round; the rehearsal's simulated people are exempt
    (they fill the room before the facilitator opens anything)."""
    if rehearsal:
        return
    row = query_one(db, "SELECT is_open FROM rounds WHERE workshop_id = ? AND name = ?", [workshop_id, name])
    if not row or not row["is_open"]:
        raise RoundClosed("err.round_closed", round=f"round.{name}")
