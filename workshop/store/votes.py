"""Votes: a participant's dots, within the workshop's allowance."""

from __future__ import annotations

from collections.abc import Mapping

from workshop.engine import Database
from workshop.errors import InvalidInput
from workshop.model import Participant
from workshop.store.base import query_rows, write
from workshop.store.participants import reread_participant
from workshop.store.rounds import require_open
from workshop.store.themes import theme_in
from workshop.store.workshops import get_workshop


def cast_votes(db: Database, participant: Participant, allocation: Mapping[int, int]) -> None:
    """Replace the participant's dots with this allocation (at most the workshop's dots in all)."""
    clean: dict[int, int] = {}
    for theme_id, dots in allocation.items():
        if isinstance(dots, bool) or not isinstance(dots, int) or dots < 0:
            raise InvalidInput("err.invalid", field="field.dots")
        if dots:
            clean[int(theme_id)] = dots
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "vote", rehearsal=participant.rehearsal)
        budget = get_workshop(db, participant.workshop_id).vote_dots
        if sum(clean.values()) > budget:
            raise InvalidInput("err.too_many_dots", max=budget)
        for theme_id in clean:
            theme_in(db, participant.workshop_id, theme_id)
        db.conn.execute("DELETE FROM votes WHERE participant_id = ?", [participant.id])
        db.conn.executemany(
            "INSERT INTO votes (participant_id, theme_id, workshop_id, dots) VALUES (?,?,?,?)",
            [(participant.id, t, participant.workshop_id, d) for t, d in clean.items()],
        )


def votes_of(db: Database, participant_id: int) -> dict[int, int]:
    return {
        r["theme_id"]: r["dots"]
        for r in query_rows(db, "SELECT theme_id, dots FROM votes WHERE participant_id = ?", [participant_id])
    }
