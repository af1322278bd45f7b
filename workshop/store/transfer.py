"""Transfer: a workshop's rows out (export) and in (import, one transaction)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from workshop import security, validation
from workshop.engine import Database
from workshop.errors import ImportRefused, NotFound
from workshop.model import CONTACT_FIELDS, LIMITS, ROUNDS
from workshop.store.base import insert_row, json_dumps, json_loads, now_iso, query_one, query_rows, snapshot, write
from workshop.store.collectifs import collectifs
from workshop.store.contacts import clean_contact, contact_row
from workshop.store.ideas import clean_idea_tags
from workshop.store.workshops import get_workshop


def insert_payload(
    db: Database,
    payload: Mapping,
    *,
    facilitator_token: str,
    keep_links: bool = False,
    previous_id: int | None = None,
    into: int | None = None,
) -> int:
    """Write a validated workshop payload (see export.read_bundle) as a new workshop, or append its
    rows to workshop `into`, in ONE transaction: nothing is half-imported. Returns the workshop id.
    `keep_links`: a participant's link moves here from workshop `previous_id` (or `into`), or comes
    along when no workshop of this database has it (a room moved to another server); a link that
    belongs to any other workshop is never taken: that participant gets a new one."""
    created = dt.datetime.now(dt.UTC)
    _within_limits(db, payload, into=into)
    with write(db, None):
        if into is None:
            workshop_id = _insert_workshop(
                db, payload["workshop"], created, facilitator_token=facilitator_token, previous_id=previous_id
            )
        else:
            get_workshop(db, into)
            workshop_id = into
        # Links move only from the workshop the importer runs (the series' previous one, or the one
        # extended): a bundle's token hashes must not take over another room's participants.
        movable = {w for w in (previous_id, into) if w is not None}
        pmap = _insert_participants(db, workshop_id, payload["participants"], created, movable=movable if keep_links else None)
        cmap = _insert_contacts(db, workshop_id, payload["contacts"], pmap, created)
        tmap = _insert_ideas(db, workshop_id, payload, pmap, created)
        for v in payload["votes"]:
            db.conn.execute(
                "INSERT INTO votes (participant_id, theme_id, workshop_id, dots) VALUES (?,?,?,?)",
                [pmap[v["participant_id"]], tmap[v["theme_id"]], workshop_id, int(v["dots"])],
            )
        _insert_collectifs(db, workshop_id, payload["collectifs"], pmap, cmap, tmap, created)
        _insert_decisions(db, workshop_id, payload, pmap, cmap, created)
        db.conn.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [workshop_id])
    return workshop_id


def _insert_workshop(db: Database, w: Mapping, created: dt.datetime, *, facilitator_token: str, previous_id: int | None) -> int:
    """The imported workshop under a new code, its rounds closed, a retention date not in the past."""
    for _ in range(20):
        code = security.new_code()
        if not query_one(db, "SELECT 1 FROM workshops WHERE code = ?", [code]):
            break
    retention = w.get("retention_date") or (created.date() + dt.timedelta(days=90)).isoformat()
    if retention < created.date().isoformat():
        retention = (created.date() + dt.timedelta(days=90)).isoformat()
    title = validation.clean_text(w["title"], field="field.title", max_len=LIMITS["title"])
    question = validation.clean_text(
        w["question"], field="field.question", max_len=LIMITS["question"], required=False, multiline=True
    )
    settings = validation.clean_view_settings(w.get("settings", {}))
    workshop_id = insert_row(
        db,
        "INSERT INTO workshops (code, title, language, question, retention_date, created_at, facilitator_hash,"
        " secret, vote_dots, show_labels, anonymous, settings, previous_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            code,
            title,
            w["language"],
            question,
            retention,
            now_iso(created),
            security.hash_facilitator_token(facilitator_token),
            security.new_token(),
            w["vote_dots"],
            int(w["show_labels"]),
            int(w["anonymous"]),
            json.dumps(settings, ensure_ascii=False),
            previous_id,
        ],
    )
    db.conn.executemany("INSERT INTO rounds (workshop_id, name) VALUES (?, ?)", [(workshop_id, r) for r in ROUNDS])
    return workshop_id


def _insert_participants(
    db: Database, workshop_id: int, rows: list, created: dt.datetime, *, movable: set | None
) -> dict[int, int]:
    """Participants, each with its link moved from a `movable` workshop (None: new links for all);
    returns the bundle's ids to the new ones."""
    pmap: dict[int, int] = {}
    for p in rows:
        token_hash = p.get("token_hash") if movable is not None else None
        original = (
            query_one(db, "SELECT id, workshop_id FROM participants WHERE token_hash = ?", [token_hash]) if token_hash else None
        )
        if original and original["workshop_id"] not in movable:
            token_hash, original = None, None  # someone else's participant: a new link here, theirs untouched
        if token_hash:
            # The link now leads to the new workshop: the old participant gets an unusable hash.
            db.conn.execute(
                "UPDATE participants SET token_hash = ? WHERE token_hash = ?",
                [security.hash_participant_token(security.new_token()), token_hash],
            )
        new_id = insert_row(
            db,
            "INSERT INTO participants (workshop_id, display_name, token_hash, skills_offered, skills_sought, show_name,"
            " blocked, joined_at) VALUES (?,?,?,?,?,?,?,?)",
            [
                workshop_id,
                validation.clean_name(p["display_name"]),
                token_hash or security.hash_participant_token(security.new_token()),
                json_dumps(validation.clean_skills(p["skills_offered"])),
                json_dumps(validation.clean_skills(p["skills_sought"])),
                int(p["show_name"]),
                int(p["blocked"]),
                p.get("joined_at") or now_iso(created),
            ],
        )
        pmap[p["id"]] = new_id
        if original:
            db.conn.execute("INSERT INTO participant_copies (copy_id, original_id) VALUES (?, ?)", [new_id, original["id"]])
    return pmap


def _insert_contacts(db: Database, workshop_id: int, rows: list, pmap: dict, created: dt.datetime) -> dict[int, int]:
    """Contacts, cleaned as typed ones are; returns the bundle's ids to the new ones."""
    cmap: dict[int, int] = {}
    for c in rows:
        values = clean_contact({k: c.get(k) for k in CONTACT_FIELDS})
        stamp = c.get("created_at") or now_iso(created)
        cols = ["workshop_id", "participant_id", *values, "created_at", "updated_at"]
        cmap[c["id"]] = insert_row(
            db,
            f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [workshop_id, pmap[c["participant_id"]], *values.values(), stamp, stamp],
        )
    return cmap


def _insert_ideas(db: Database, workshop_id: int, payload: Mapping, pmap: dict, created: dt.datetime) -> dict[int, int]:
    """Themes, then ideas placed in them by hand; returns the bundle's theme ids to the new ones."""
    tmap: dict[int, int] = {}
    for th in payload["themes"]:
        tmap[th["id"]] = insert_row(
            db,
            "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,?,?)",
            [
                workshop_id,
                validation.clean_text(th["label"], field="field.theme", max_len=LIMITS["theme"]),
                int(th.get("renamed", True)),
                now_iso(created),
            ],
        )
    for i in payload["ideas"]:
        stamp = i.get("created_at") or now_iso(created)
        new_id = insert_row(
            db,
            "INSERT INTO ideas (workshop_id, participant_id, text, tags, hidden, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
            [
                workshop_id,
                pmap[i["participant_id"]],
                validation.clean_idea(i["text"]),
                json_dumps(clean_idea_tags(i.get("tags"))),
                int(i.get("hidden", False)),
                stamp,
                stamp,
            ],
        )
        if i.get("theme_id") is not None:
            db.conn.execute("INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,1)", [new_id, tmap[i["theme_id"]]])
    return tmap


def _insert_collectifs(
    db: Database, workshop_id: int, rows: list, pmap: dict, cmap: dict, tmap: dict, created: dt.datetime
) -> None:
    """Collectifs with their members, contacts and next steps."""
    for col in rows:
        new_col = insert_row(
            db,
            "INSERT INTO collectifs (workshop_id, theme_id, name, created_at) VALUES (?,?,?,?)",
            [
                workshop_id,
                tmap.get(col.get("theme_id")),
                validation.clean_text(col["name"], field="field.collectif", max_len=LIMITS["theme"]),
                now_iso(created),
            ],
        )
        for pid in col["members"]:
            db.conn.execute(
                "INSERT INTO collectif_members (collectif_id, participant_id, joined_at) VALUES (?,?,?)",
                [new_col, pmap[pid], now_iso(created)],
            )
        for cid in col["contacts"]:
            db.conn.execute("INSERT INTO collectif_contacts (collectif_id, contact_id) VALUES (?,?)", [new_col, cmap[cid]])
        for step in col["next_steps"]:
            db.conn.execute(
                "INSERT INTO next_steps (collectif_id, participant_id, text, due_date, owner, created_at) VALUES (?,?,?,?,?,?)",
                [
                    new_col,
                    pmap.get(step.get("participant_id")),
                    validation.clean_text(step["text"], field="field.next_step", max_len=LIMITS["next_step"]),
                    step.get("due_date") or "",
                    validation.clean_text(step.get("owner", ""), field="field.owner", max_len=LIMITS["name"], required=False),
                    now_iso(created),
                ],
            )


def _insert_decisions(db: Database, workshop_id: int, payload: Mapping, pmap: dict, cmap: dict, created: dt.datetime) -> None:
    """'Same person?' decisions and ties among contacts (a bundle of format 1 has no ties)."""
    for m in payload["merges"]:
        a = cmap[m["a_id"]]
        b = cmap[m["b_id"]] if m["kind"] == "contact" else pmap[m["b_id"]]
        if m["kind"] == "contact":
            a, b = sorted((a, b))
        db.conn.execute(
            "INSERT INTO merges (workshop_id, kind, a_id, b_id, status, score, decided_at) VALUES (?,?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            [workshop_id, m["kind"], a, b, m["status"], float(m.get("score", 0)), now_iso(created)],
        )
    for tie in payload.get("ties", []):
        a, b = sorted((cmap[tie["contact_a"]], cmap[tie["contact_b"]]))
        db.conn.execute(
            "INSERT INTO ties (workshop_id, participant_id, contact_a, contact_b, created_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            [workshop_id, pmap[tie["participant_id"]], a, b, now_iso(created)],
        )


def _within_limits(db: Database, payload: Mapping, *, into: int | None) -> None:
    """An import obeys the room's limits as typing does: participants per workshop, contacts and
    ideas per participant (a bundle cannot smuggle 170,000 contacts under one person)."""
    already = 0
    if into is not None:
        already = query_one(db, "SELECT count(*) AS n FROM participants WHERE workshop_id = ?", [into])["n"]
    if already + len(payload["participants"]) > LIMITS["participants_per_workshop"]:
        raise ImportRefused("imp.too_many_participants", max=LIMITS["participants_per_workshop"])
    for table, limit in (
        ("contacts", "contacts_per_participant"),
        ("ideas", "ideas_per_participant"),
        ("ties", "ties_per_participant"),
    ):
        per: dict = {}
        for row in payload.get(table, []):
            per[row["participant_id"]] = per.get(row["participant_id"], 0) + 1
        if per and max(per.values()) > LIMITS[limit]:
            raise ImportRefused(f"imp.too_many_{table}", max=LIMITS[limit])


def workshop_rows(db: Database, workshop_id: int) -> dict:
    """Every row of a workshop, as plain dicts (what export serialises), read in one snapshot."""
    with snapshot(db):
        return _workshop_rows(db, workshop_id)


def _workshop_rows(db: Database, workshop_id: int) -> dict:
    w = query_one(db, "SELECT * FROM workshops WHERE id = ?", [workshop_id])
    if not w:
        raise NotFound("err.no_workshop")
    participants = query_rows(db, "SELECT * FROM participants WHERE workshop_id = ? ORDER BY id", [workshop_id])
    for p in participants:
        p["skills_offered"], p["skills_sought"] = json_loads(p["skills_offered"]), json_loads(p["skills_sought"])
        p["show_name"], p["blocked"] = bool(p["show_name"]), bool(p["blocked"])
    contacts = [contact_row(r) for r in query_rows(db, "SELECT * FROM contacts WHERE workshop_id = ? ORDER BY id", [workshop_id])]
    ideas = query_rows(
        db,
        "SELECT i.*, it.theme_id FROM ideas i LEFT JOIN idea_themes it ON it.idea_id = i.id WHERE i.workshop_id = ? ORDER BY i.id",
        [workshop_id],
    )
    for i in ideas:
        i["tags"], i["hidden"] = json_loads(i["tags"]), bool(i["hidden"])
    cols = collectifs(db, workshop_id)
    return {
        "workshop": dict(w),
        "rounds": query_rows(db, "SELECT name, is_open, opened_at, ends_at FROM rounds WHERE workshop_id = ?", [workshop_id]),
        "participants": participants,
        "contacts": contacts,
        "ideas": ideas,
        "themes": query_rows(db, "SELECT id, label, renamed FROM themes WHERE workshop_id = ? ORDER BY id", [workshop_id]),
        "votes": query_rows(
            db,
            "SELECT participant_id, theme_id, dots FROM votes WHERE workshop_id = ? ORDER BY theme_id, participant_id",
            [workshop_id],
        ),
        "collectifs": cols,
        "merges": query_rows(
            db, "SELECT kind, a_id, b_id, status, score FROM merges WHERE workshop_id = ? ORDER BY id", [workshop_id]
        ),
        "ties": query_rows(
            db, "SELECT participant_id, contact_a, contact_b FROM ties WHERE workshop_id = ? ORDER BY id", [workshop_id]
        ),
    }


def previous_workshop(db: Database, workshop_id: int) -> int | None:
    row = query_one(db, "SELECT previous_id FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return row["previous_id"]
