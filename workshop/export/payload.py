"""workshop.json, the bundle's source of truth, at three privacy levels: 'full', 'pseudonymised'
(keyed pseudonyms for people who did not choose to appear, contacts as node ids, no field that
could single a contact out) and 'aggregate' (counts only)."""

from __future__ import annotations

import json

from workshop import resolve, rooms, security, store, validation
from workshop.engine import Database
from workshop.errors import InvalidInput
from workshop.model import CONTACT_FIELDS, EXPORT_LEVELS
from workshop.rooms import Reading

FORMAT = "thinkdo-workshop"
FORMAT_VERSION = 2  # 2: ties among contacts ("ties"); a bundle of version 1 still imports
READABLE_VERSIONS = (1, 2)
LEVELS = EXPORT_LEVELS


def participant_label(participant_id: int, name: str, show_name: bool, *, level: str, secret: str) -> str:
    """A participant as a level shows them: their name in 'full' or if they chose to appear,
    otherwise a stable keyed-HMAC pseudonym."""
    if level == "full" or show_name:
        return name
    return security.keyed_id(secret, f"participant:{participant_id}", prefix="P")


def node_id(key: str, level: str, secret: str) -> str:
    return key if level == "full" else security.keyed_id(secret, f"node:{key}", prefix=key[0])


# A contact is a third party: below the full level only generalised fields (circle, region,
# sector) stay; what could single them out (city, organisation, their skills) is dropped.
HIDDEN_CONTACT_FIELDS = {"city": "", "organisation": "", "skills": []}


def check_level(level: str) -> str:
    """`level` if it is one of LEVELS (a refusal naming the setting otherwise)."""
    if level not in LEVELS:
        raise InvalidInput("err.invalid", field="con.export_level")
    return level


def payload(db: Database, workshop_id: int, *, level: str = "full") -> dict:
    """workshop.json: the whole workshop at a privacy level (FORMAT_VERSION), one snapshot."""
    check_level(level)
    return payload_of(rooms.read(db, workshop_id), level=level)


def payload_of(reading: Reading, *, level: str) -> dict:
    """workshop.json from a reading of the room (what a bundle shares with its other files)."""
    rows, secret = reading.rows, reading.secret
    w = rows["workshop"]
    out: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "level": level,
        "exported_at": store.now_iso(),
        "workshop": {
            "code": w["code"],
            "title": w["title"],
            "language": w["language"],
            "question": w["question"],
            "retention_date": w["retention_date"],
            "created_at": w["created_at"],
            "vote_dots": w["vote_dots"],
            "show_labels": bool(w["show_labels"]),
            "anonymous": bool(w["anonymous"]),
            "settings": validation.clean_view_settings(json.loads(w["settings"] or "{}")),
        },
    }
    room = reading.room
    if level == "aggregate":
        analysis = reading.analysis
        out["aggregate"] = {
            "counters": reading.counters,
            "reach": {k: len(v) for k, v in analysis.collective_reach.items()},
            "reach_by_circle": analysis.collective_reach["circle"],
            "reach_by_region": analysis.collective_reach["region"],
            "reach_by_sector": analysis.collective_reach["sector"],
            "sleeping_capital": analysis.sleeping_capital,
            "flows": analysis.flow_counts,
            "diversity": analysis.tie_diversity["room"],
            "bridges": len(analysis.bridge_contacts),
            # Ties among contacts as counts only: who knows whom stays out of this level.
            "ties": len(rows["ties"]),
            "census_participants": int(analysis.holes_median["participants"]),
            "themes": [
                {"label": th["label"], "ideas": int(th["ideas"]), "votes": int(th["votes"])}
                for th in reading.themes.to_dict("records")
            ],
        }
        return out
    people = {
        p["id"]: participant_label(p["id"], p["display_name"], p["show_name"], level=level, secret=secret)
        for p in rows["participants"]
    }
    node_of = resolve.resolve(room.contacts, room.merges)
    out["participants"] = [
        {
            "id": p["id"],
            "display_name": people[p["id"]],
            "skills_offered": p["skills_offered"],
            "skills_sought": p["skills_sought"],
            "show_name": p["show_name"],
            "blocked": p["blocked"],
            "joined_at": p["joined_at"],
            **({"token_hash": p["token_hash"]} if level == "full" else {}),
        }
        for p in rows["participants"]
    ]
    out["contacts"] = [
        {
            "id": c["id"],
            "participant_id": c["participant_id"],
            "node": (node := node_id(node_of.get(c["id"], f"c{c['id']}"), level, secret)),
            "label": c["label"] if level == "full" else node,
            **{k: c[k] for k in (*CONTACT_FIELDS, "created_at") if k != "label"},
            **(HIDDEN_CONTACT_FIELDS if level != "full" else {}),
        }
        for c in rows["contacts"]
    ]
    out["ideas"] = [
        {k: i[k] for k in ("id", "participant_id", "text", "tags", "hidden", "created_at", "theme_id")} for i in rows["ideas"]
    ]
    out["themes"] = [{"id": th["id"], "label": th["label"], "renamed": bool(th["renamed"])} for th in rows["themes"]]
    out["votes"] = rows["votes"]
    out["collectifs"] = [
        {
            "id": c["id"],
            "name": c["name"],
            "theme_id": c["theme_id"],
            "members": [m["id"] for m in c["members"]],
            "contacts": [x["id"] for x in c["contacts"]],
            "next_steps": [{k: s[k] for k in ("participant_id", "text", "due_date", "owner")} for s in c["next_steps"]],
        }
        for c in rows["collectifs"]
    ]
    if level != "full":
        for col in out["collectifs"]:
            for step in col["next_steps"]:
                step["owner"] = people.get(step["participant_id"], step["owner"]) if step["participant_id"] else step["owner"]
    out["merges"] = rows["merges"]
    # Between contact ids: at the pseudonymised level those ids lead only to pseudonymous nodes.
    out["ties"] = [{k: tie[k] for k in ("participant_id", "contact_a", "contact_b")} for tie in rows["ties"]]
    return out
