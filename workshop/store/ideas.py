"""Ideas: posting, editing, hiding and deleting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from workshop import validation
from workshop.engine import Database
from workshop.errors import NotFound
from workshop.model import Participant
from workshop.store.base import change_one, insert_row, json_dumps, json_loads, now_iso, query_one, query_rows, write
from workshop.store.contacts import admit_row
from workshop.store.participants import reread_participant
from workshop.store.rounds import require_open


def clean_idea_tags(tags: Iterable[str] | None) -> list[str]:
    return validation.clean_skills(tags)


def add_idea(
    db: Database,
    participant: Participant,
    *,
    submission_id: str,
    text: str,
    tags: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    theme_id: int | None = None,
) -> int:
    """Post an idea; `theme_id`: a named theme its author chose (an anchor the grouping keeps).
    A theme deleted or merged meanwhile refuses the whole post (the form keeps the text)."""
    text = validation.clean_idea(text)
    clean_tags = clean_idea_tags(tags)
    submission_id = validation.clean_text(submission_id, field="field.submission", max_len=64)
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        existing = admit_row(db, participant, "ideas", submission_id, "ideas", "ideas_per_participant")
        if existing is not None:
            return existing
        new_id = insert_row(
            db,
            "INSERT INTO ideas (workshop_id, participant_id, text, tags, submission_id, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?)",
            [participant.workshop_id, participant.id, text, json_dumps(clean_tags), submission_id, stamp, stamp],
        )
        if theme_id is not None:
            if (
                isinstance(theme_id, bool)
                or not isinstance(theme_id, int)
                or not query_one(db, "SELECT 1 FROM themes WHERE id = ? AND workshop_id = ?", [theme_id, participant.workshop_id])
            ):
                raise NotFound("err.theme_gone")
            db.conn.execute("INSERT INTO idea_themes (idea_id, theme_id, manual, chosen) VALUES (?,?,1,1)", [new_id, theme_id])
        return new_id


def update_idea(db: Database, participant: Participant, idea_id: int, *, text: str, tags: Iterable[str] | None = None) -> None:
    text = validation.clean_idea(text)
    clean_tags = clean_idea_tags(tags)
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        require_open(db, participant.workshop_id, "ideas", rehearsal=participant.rehearsal)
        change_one(
            db,
            "UPDATE ideas SET text = ?, tags = ?, updated_at = ? WHERE id = ? AND participant_id = ?",
            [text, json_dumps(clean_tags), now_iso(), idea_id, participant.id],
        )


def withdraw_idea(db: Database, participant: Participant, idea_id: int) -> None:
    with write(db, participant.workshop_id):
        reread_participant(db, participant)
        change_one(db, "DELETE FROM ideas WHERE id = ? AND participant_id = ?", [idea_id, participant.id])


def ideas_of(db: Database, participant_id: int) -> list[dict]:
    rows = query_rows(db, "SELECT * FROM ideas WHERE participant_id = ? ORDER BY id", [participant_id])
    for row in rows:
        row["tags"] = json_loads(row["tags"])
        row["hidden"] = bool(row["hidden"])
    return rows


def ideas_frame(db: Database, workshop_id: int, *, include_hidden: bool = False) -> pd.DataFrame:
    """Ideas of the room with their theme (blocked participants' ideas left out)."""
    sql = (
        "SELECT i.id, i.participant_id, p.display_name AS author, i.text, i.tags, i.hidden, i.created_at,"
        " it.theme_id, it.manual, it.chosen, it.doubtful FROM ideas i JOIN participants p ON p.id = i.participant_id"
        " LEFT JOIN idea_themes it ON it.idea_id = i.id WHERE i.workshop_id = ? AND p.blocked = 0"
    )
    if not include_hidden:
        sql += " AND i.hidden = 0"
    rows = query_rows(db, sql + " ORDER BY i.id", [workshop_id])
    columns = [
        "id",
        "participant_id",
        "author",
        "text",
        "tags",
        "hidden",
        "created_at",
        "theme_id",
        "manual",
        "chosen",
        "doubtful",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["tags"] = frame["tags"].map(json_loads)
        frame["hidden"] = frame["hidden"].astype(bool)
        frame["chosen"] = frame["chosen"].fillna(0).astype(bool)
        frame["doubtful"] = frame["doubtful"].fillna(0).astype(bool)
    return frame


def set_idea_hidden(db: Database, workshop_id: int, idea_id: int, *, hidden: bool) -> None:
    with write(db, workshop_id):
        change_one(db, "UPDATE ideas SET hidden = ? WHERE id = ? AND workshop_id = ?", [int(hidden), idea_id, workshop_id])


def delete_idea(db: Database, workshop_id: int, idea_id: int) -> None:
    with write(db, workshop_id):
        change_one(db, "DELETE FROM ideas WHERE id = ? AND workshop_id = ?", [idea_id, workshop_id])
