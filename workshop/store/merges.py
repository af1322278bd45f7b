"""Merges: the facilitator's decisions on candidate duplicate contacts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from workshop.engine import Database
from workshop.errors import InvalidInput, NotFound
from workshop.store.base import change_one, now_iso, query_one, query_rows, write
from workshop.store.participants import get_participant


def decide_merge(db: Database, workshop_id: int, *, kind: str, a_id: int, b_id: int, status: str, score: float = 0.0) -> None:
    """Record the facilitator's confirm or reject of a candidate pair (a < b for contact pairs)."""
    decide_merges(db, workshop_id, [{"kind": kind, "a_id": a_id, "b_id": b_id, "score": score}], status=status)


def decide_merges(db: Database, workshop_id: int, pairs: Iterable[Mapping], *, status: str) -> int:
    """Confirm or reject several pairs in one transaction (a group of identical labels): all or
    none. Returns how many pairs were recorded."""
    if status not in ("confirmed", "rejected"):
        raise InvalidInput("err.invalid", field="field.merge")
    pairs = list(pairs)
    if not pairs or len(pairs) > 2000:
        raise InvalidInput("err.invalid", field="field.merge")
    with write(db, workshop_id):
        for pair in pairs:
            kind, a_id, b_id = pair.get("kind"), int(pair.get("a_id", 0)), int(pair.get("b_id", 0))
            if kind not in ("contact", "participant"):
                raise InvalidInput("err.invalid", field="field.merge")
            if kind == "contact":
                a_id, b_id = sorted((a_id, b_id))
            for cid in [a_id, b_id] if kind == "contact" else [a_id]:
                if not query_one(db, "SELECT 1 FROM contacts WHERE id = ? AND workshop_id = ?", [cid, workshop_id]):
                    raise NotFound("err.not_found")
            if kind == "participant":
                get_participant(db, workshop_id, b_id)
            db.conn.execute(
                "INSERT INTO merges (workshop_id, kind, a_id, b_id, status, score, decided_at) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT (workshop_id, kind, a_id, b_id) DO UPDATE SET status = excluded.status,"
                " decided_at = excluded.decided_at",
                [workshop_id, kind, a_id, b_id, status, float(pair.get("score", 0.0)), now_iso()],
            )
    return len(pairs)


def undo_merge(db: Database, workshop_id: int, merge_id: int) -> None:
    with write(db, workshop_id):
        change_one(db, "DELETE FROM merges WHERE id = ? AND workshop_id = ?", [merge_id, workshop_id])


def merges_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    rows = query_rows(db, "SELECT * FROM merges WHERE workshop_id = ? ORDER BY id", [workshop_id])
    return pd.DataFrame(rows, columns=["id", "workshop_id", "kind", "a_id", "b_id", "status", "score", "decided_at"])
