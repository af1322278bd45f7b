"""Reading a bundle back: size bounds, the ZIP, workshop.json's types and references, then one
transaction that creates the workshop (or extends one); refused with a reason otherwise."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import zipfile

from workshop import config, security, store
from workshop.engine import Database
from workshop.errors import ImportRefused, InvalidInput
from workshop.export.payload import FORMAT, FORMAT_VERSION, READABLE_VERSIONS
from workshop.model import CIRCLES, FLOWS, IMPORTABLE_LEVELS, LANGUAGES, Workshop


def read_bundle(data: bytes) -> dict:
    """Open a bundle (or a bare workshop.json) and validate its payload; ImportRefused otherwise."""
    if len(data) > config.MAX_IMPORT_BYTES:
        raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
    raw: bytes
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                try:
                    info = zf.getinfo("workshop.json")
                except KeyError:
                    raise ImportRefused("imp.no_json") from None
                if info.file_size > config.MAX_IMPORT_BYTES:
                    raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
                with zf.open(info) as fh:
                    raw = fh.read(config.MAX_IMPORT_BYTES + 1)
                if len(raw) > config.MAX_IMPORT_BYTES:
                    raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise ImportRefused("imp.not_zip") from exc
    elif data.lstrip()[:1] == b"{":
        raw = data
    else:
        raise ImportRefused("imp.not_zip")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused("imp.bad_json") from None
    return validate_payload(doc)


def _need(cond: bool, where: str) -> None:
    if not cond:
        raise ImportRefused("imp.structure", where=where)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def validate_payload(doc: object) -> dict:
    """Check types and references of a workshop.json; returns it unchanged when sound."""
    _need(isinstance(doc, dict), "root")
    if isinstance(doc.get("format_version"), str) and doc["format_version"].strip().isdigit():
        doc = {**doc, "format_version": int(doc["format_version"])}  # "1" written by a hand-made tool
    if doc.get("format") != FORMAT or doc.get("format_version") not in READABLE_VERSIONS:
        found = doc.get("format_version") if doc.get("format") == FORMAT else doc.get("format")
        raise ImportRefused("imp.version", found=str(found)[:20], expected=FORMAT_VERSION)
    _need(doc.get("level") in IMPORTABLE_LEVELS, "level")
    _check_workshop(doc.get("workshop"))
    lists = ("participants", "contacts", "ideas", "themes", "votes", "collectifs", "merges")
    for name in lists:
        _need(isinstance(doc.get(name), list) and all(isinstance(x, dict) for x in doc[name]), name)
        for row in doc[name]:
            for stamp in ("created_at", "joined_at"):
                _need(row.get(stamp) is None or isinstance(row[stamp], str), f"{name}.{stamp}")
    pids = _check_participants(doc["participants"])
    cids = _check_contacts(doc["contacts"], pids)
    tids = _check_ideas(doc, pids)
    _check_votes(doc["votes"], pids, tids)
    _check_collectifs(doc["collectifs"], pids, cids, tids)
    _check_merges(doc["merges"], pids, cids)
    _check_ties(doc, cids)
    return doc


def _check_workshop(w: object) -> None:
    """The workshop's own row: title, language, votes, privacy, retention."""
    _need(isinstance(w, dict), "workshop")
    for key in ("title", "question"):
        _need(isinstance(w.get(key), str), f"workshop.{key}")
    _need(w.get("language") in LANGUAGES, "workshop.language")
    _need(_is_int(w.get("vote_dots")) and 1 <= w["vote_dots"] <= 20, "workshop.vote_dots")
    _need(isinstance(w.get("show_labels"), bool) and isinstance(w.get("anonymous"), bool), "workshop.privacy")
    _need(isinstance(w.get("settings", {}), dict), "workshop.settings")
    _need(w.get("retention_date") is None or isinstance(w.get("retention_date"), str), "workshop.retention_date")
    if isinstance(w.get("retention_date"), str):
        try:
            dt.date.fromisoformat(w["retention_date"])
        except ValueError:
            _need(False, "workshop.retention_date")


def _check_participants(rows: list[dict]) -> set:
    """Participants' names, skills and flags; returns their ids."""
    pids = _ids(rows, "participants")
    for p in rows:
        _need(isinstance(p.get("display_name"), str) and 0 < len(p["display_name"]) <= 80, "participants.display_name")
        for key in ("skills_offered", "skills_sought"):
            _need(isinstance(p.get(key), list) and all(isinstance(s, str) for s in p[key]), f"participants.{key}")
        _need(isinstance(p.get("show_name"), bool) and isinstance(p.get("blocked"), bool), "participants.flags")
        _need(
            p.get("token_hash") is None or (isinstance(p["token_hash"], str) and len(p["token_hash"]) == 64),
            "participants.token_hash",
        )
    return pids


def _check_contacts(rows: list[dict], pids: set) -> set:
    """Contacts belong to a participant and use the catalogue's circles, flows and scales; returns their ids."""
    cids = _ids(rows, "contacts")
    for c in rows:
        _need(_ref(c.get("participant_id"), pids), "contacts.participant_id")
        _need(c.get("circle") in CIRCLES, "contacts.circle")
        _need(isinstance(c.get("flows"), list) and all(f in FLOWS for f in c["flows"]), "contacts.flows")
        for key in ("label", "region", "city", "organisation", "sector"):
            _need(isinstance(c.get(key, ""), str), f"contacts.{key}")
        _need(c.get("strength") in (1, 2, 3) and c.get("trust") in (1, 2, 3), "contacts.scales")
        _need(isinstance(c.get("dormant"), bool), "contacts.dormant")
        _need(c.get("last_contact_year") is None or _is_int(c["last_contact_year"]), "contacts.last_contact_year")
        _need(isinstance(c.get("skills", []), list) and all(isinstance(s, str) for s in c.get("skills", [])), "contacts.skills")
    return cids


def _check_ideas(doc: dict, pids: set) -> set:
    """Themes and the ideas in them; returns the themes' ids."""
    tids = _ids(doc["themes"], "themes")
    for th in doc["themes"]:
        _need(isinstance(th.get("label"), str) and isinstance(th.get("renamed", True), bool), "themes")
    _ids(doc["ideas"], "ideas")
    for i in doc["ideas"]:
        _need(_ref(i.get("participant_id"), pids) and isinstance(i.get("text"), str), "ideas")
        _need(i.get("theme_id") is None or _ref(i.get("theme_id"), tids), "ideas.theme_id")
        _need(isinstance(i.get("tags", []), list) and all(isinstance(x, str) for x in i.get("tags", [])), "ideas.tags")
        _need(isinstance(i.get("hidden", False), bool), "ideas.hidden")
    return tids


def _check_votes(votes: list[dict], pids: set, tids: set) -> None:
    """Dots of a participant on a theme, once per pair."""
    seen_votes = set()
    for v in votes:
        _need(_ref(v.get("participant_id"), pids) and _ref(v.get("theme_id"), tids), "votes")
        _need(_is_int(v.get("dots")) and 0 <= v["dots"] <= 20, "votes.dots")
        key = (v["participant_id"], v["theme_id"])
        _need(key not in seen_votes, "votes.duplicate")
        seen_votes.add(key)


def _check_collectifs(rows: list[dict], pids: set, cids: set, tids: set) -> None:
    """Collectifs: their theme, members, contacts and next steps."""
    _ids(rows, "collectifs")
    for col in rows:
        _need(isinstance(col.get("name"), str), "collectifs.name")
        _need(col.get("theme_id") is None or _ref(col.get("theme_id"), tids), "collectifs.theme_id")
        _need(isinstance(col.get("members"), list) and all(_ref(m, pids) for m in col["members"]), "collectifs.members")
        _need(len(set(col["members"])) == len(col["members"]), "collectifs.members")
        _need(isinstance(col.get("contacts"), list) and all(_ref(c, cids) for c in col["contacts"]), "collectifs.contacts")
        _need(len(set(col["contacts"])) == len(col["contacts"]), "collectifs.contacts")
        _need(isinstance(col.get("next_steps"), list), "collectifs.next_steps")
        for s in col["next_steps"]:
            _need(isinstance(s, dict) and isinstance(s.get("text"), str), "collectifs.next_steps")
            _need(s.get("participant_id") is None or _ref(s.get("participant_id"), pids), "collectifs.next_steps.participant_id")
            _need(isinstance(s.get("owner", ""), str) and isinstance(s.get("due_date", ""), str), "collectifs.next_steps")


def _check_merges(merges: list[dict], pids: set, cids: set) -> None:
    """Decisions on 'same person?' pairs."""
    for m in merges:
        _need(m.get("kind") in ("contact", "participant") and m.get("status") in ("confirmed", "rejected"), "merges")
        _need(_ref(m.get("a_id"), cids), "merges.a_id")
        _need(_ref(m.get("b_id"), (cids if m["kind"] == "contact" else pids)), "merges.b_id")
        _need(isinstance(m.get("score", 0), (int, float)) and not isinstance(m.get("score", 0), bool), "merges.score")


def _check_ties(doc: dict, cids: set) -> None:
    """Ties (format 2): two different contacts of the participant who stated them, each pair once."""
    ties = doc.get("ties", [])
    _need(isinstance(ties, list) and all(isinstance(x, dict) for x in ties), "ties")
    owner = {c["id"]: c["participant_id"] for c in doc["contacts"]}
    seen = set()
    for tie in ties:
        a, b, pid = tie.get("contact_a"), tie.get("contact_b"), tie.get("participant_id")
        _need(_ref(a, cids) and _ref(b, cids) and a != b, "ties.contacts")
        _need(_is_int(pid) and owner[a] == pid and owner[b] == pid, "ties.participant_id")
        key = (pid, min(a, b), max(a, b))
        _need(key not in seen, "ties.duplicate")
        seen.add(key)


def _ref(value: object, ids: set) -> bool:
    """A reference to a known id (unhashable or boolean values are not ids)."""
    return _is_int(value) and value in ids


def _ids(items: list, where: str) -> set:
    ids = [x.get("id") for x in items]
    _need(all(_is_int(i) for i in ids), f"{where}.id")
    _need(len(set(ids)) == len(ids), f"{where}.id")
    return set(ids)


def import_bundle(
    db: Database, data: bytes, *, keep_links: bool = False, previous_id: int | None = None, into: int | None = None
) -> tuple[Workshop, str]:
    """Create a workshop from a bundle (or extend `into`), all in one transaction."""
    doc = read_bundle(data)
    token = security.new_token()
    try:
        workshop_id = store.insert_payload(
            db,
            doc,
            facilitator_token=token,
            keep_links=keep_links and doc["level"] == "full",
            previous_id=previous_id,
            into=into,
        )
    except InvalidInput as exc:
        raise ImportRefused("imp.structure", where=exc.message("en")) from exc
    except (TypeError, ValueError, KeyError, sqlite3.ProgrammingError, sqlite3.InterfaceError) as exc:
        # A value of the wrong type that the structure check let through: still all or nothing.
        raise ImportRefused("imp.structure", where=type(exc).__name__) from exc
    return store.get_workshop(db, workshop_id), token
