"""All SQL of the product: every read and write of a workshop goes through here.

Writes run in one transaction each (engine.begin_write: BEGIN IMMEDIATE on SQLite, the room's
row locked first on PostgreSQL), bump the workshop's `version` (what live views poll), and are
idempotent where a person may submit twice (a UNIQUE submission id). The SQL is one dialect
that both engines run (engine.py spells it for PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlite_utils import Database

from workshop import config, engine, security, validation
from workshop import db as dbmod
from workshop.errors import AccessDenied, ImportRefused, InvalidInput, NotFound, RoundClosed, SlowDown, StorageError
from workshop.model import LIMITS, ROUNDS, Participant, Round, Workshop

# ---------------------------------------------------------------- helpers


def now_iso(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def _rows(db: Database, sql: str, params: Iterable | Mapping = ()) -> list[dict]:
    try:
        return list(db.query(sql, params if isinstance(params, Mapping) else list(params)))
    except Exception as exc:
        raise _as_storage_error(exc) from exc


def _one(db: Database, sql: str, params: Iterable | Mapping = ()) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def _insert(db: Database, sql: str, params: Iterable) -> int:
    """Run one INSERT and return the new row's id (RETURNING: the same on both engines)."""
    return db.conn.execute(sql + " RETURNING id", list(params)).fetchall()[0][0]


def _as_storage_error(exc: BaseException) -> BaseException:
    """A database failure as the message a page shows; anything else unchanged."""
    key = engine.error_key(exc)
    if key is None:
        return exc
    return InvalidInput(key, field="") if key == "err.invalid" else StorageError(key)


@contextmanager
def write(db: Database, workshop_id: int | None) -> Iterator[None]:
    """One write transaction; bumps the workshop's version so live views notice it. The bump
    comes first: on PostgreSQL it locks the room's row, so one room's writes take turns."""
    try:
        engine.begin_write(db)
    except Exception as exc:
        raise _as_storage_error(exc) from exc
    if not dbmod.same_file(db):
        # Deleted or replaced under us: a confirmed write would be lost at the next start.
        engine.end(db, commit=False)
        print(f"workshop: refusing writes, {db.file_path} was deleted or replaced", file=sys.stderr)
        raise StorageError("err.db_moved")
    try:
        if workshop_id is not None:
            db.conn.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [workshop_id])
        yield
        db.conn.execute("COMMIT")
    except BaseException as exc:
        # Roll back only if the transaction is still alive: a ROLLBACK after a
        # failed statement that already ended it would hide the real error.
        engine.end(db, commit=False)
        mapped = _as_storage_error(exc)
        if mapped is not exc:
            raise mapped from exc
        raise


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """Reads that must agree, in one read transaction: they all see the database as it was at
    the first of them, whatever is written meanwhile. Inside an open transaction (a snapshot
    already, or a write) it simply joins it."""
    if db.conn.in_transaction:
        yield
        return
    try:
        engine.begin_read(db)
    except Exception as exc:
        raise _as_storage_error(exc) from exc
    try:
        yield
    finally:
        engine.end(db, commit=True)


def _json_object(value: str | None) -> dict:
    try:
        out = json.loads(value or "{}")
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def _loads(value: str | None) -> list:
    try:
        out = json.loads(value or "[]")
    except ValueError:
        return []
    return out if isinstance(out, list) else []


def _dumps(values: Iterable) -> str:
    return json.dumps(list(values), ensure_ascii=False)


# ---------------------------------------------------------------- workshops

_WORKSHOP_COLUMNS = (
    "id, code, title, language, question, join_locked, retention_date, created_at, show_labels,"
    " anonymous, public_base_url, vote_dots, projector_view, version, settings"
)


def _workshop(row: Mapping) -> Workshop:
    return Workshop(
        id=row["id"],
        code=row["code"],
        title=row["title"],
        language=row["language"],
        question=row["question"],
        join_locked=bool(row["join_locked"]),
        retention_date=row["retention_date"],
        created_at=row["created_at"],
        show_labels=bool(row["show_labels"]),
        anonymous=bool(row["anonymous"]),
        public_base_url=row["public_base_url"],
        vote_dots=row["vote_dots"],
        projector_view=row["projector_view"],
        version=row["version"],
        settings=validation.clean_view_settings(_json_object(row["settings"])),
    )


def create_workshop(
    db: Database,
    *,
    title: str,
    language: str = "fr",
    question: str = "",
    retention_days: int = 90,
    public_base_url: str = "",
    token: str | None = None,
    now: dt.datetime | None = None,
    settings: Mapping | None = None,
) -> tuple[Workshop, str]:
    """Create a workshop; returns it with the facilitator token (only its argon2 hash is stored)."""
    title = validation.clean_text(title, field="field.title", max_len=LIMITS["title"])
    question = validation.clean_text(question, field="field.question", max_len=LIMITS["question"], required=False, multiline=True)
    if language not in ("fr", "en"):
        raise InvalidInput("err.invalid", field="field.language")
    if not isinstance(retention_days, int) or not 1 <= retention_days <= 3650:
        raise InvalidInput("err.retention")
    base_url = clean_base_url(public_base_url)
    token = token or security.new_token()
    created = now or dt.datetime.now(dt.UTC)
    retention = (created.date() + dt.timedelta(days=retention_days)).isoformat()
    with write(db, None):
        for _ in range(20):
            code = security.new_code()
            if not _one(db, "SELECT 1 FROM workshops WHERE code = ?", [code]):
                break
        new_id = _insert(
            db,
            "INSERT INTO workshops (code, title, language, question, retention_date, created_at,"
            " facilitator_hash, secret, public_base_url, settings) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                code,
                title,
                language,
                question,
                retention,
                now_iso(created),
                security.hash_facilitator_token(token),
                security.new_token(),
                base_url,
                json.dumps(validation.clean_view_settings(dict(settings or {})), ensure_ascii=False),
            ],
        )
        workshop_id = new_id
        db.conn.executemany("INSERT INTO rounds (workshop_id, name) VALUES (?, ?)", [(workshop_id, r) for r in ROUNDS])
    return get_workshop(db, workshop_id), token


def clean_base_url(url: object) -> str:
    url = validation.clean_text(url, field="field.base_url", max_len=200, required=False)
    if url and not (url.startswith("http://") or url.startswith("https://")):
        raise InvalidInput("err.base_url")
    return url.rstrip("/")


def get_workshop(db: Database, workshop_id: int) -> Workshop:
    row = _one(db, f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return _workshop(row)


def workshop_by_code(db: Database, code: str) -> Workshop:
    code = validation.clean_code(code)
    row = _one(db, f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE code = ?", [code])
    if not row:
        raise NotFound("err.no_workshop")
    return _workshop(row)


def workshop_secret(db: Database, workshop_id: int) -> str:
    """The key export pseudonyms are made with: the workshop's secret keyed with the master key
    kept outside the database (config.pseudonym_master)."""
    row = _one(db, "SELECT secret FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    key_dir = Path(db.file_path).parent if engine.of(db) == engine.SQLITE else config.data_dir()
    return security.pseudonym_key(config.pseudonym_master(key_dir), row["secret"])


def authenticate_facilitator(
    db: Database, code: str, token: str, *, client: str = "local", limiter: security.RateLimiter | None = None
) -> Workshop:
    """The workshop if the token is its facilitator token; the refusal says nothing more.

    With a `limiter`: a client past its failure limit is told to wait (SlowDown) after a wrong
    token, but the right token always gets in (checking it costs microseconds). A legacy argon2
    hash is checked only when the client is under its limit, the attempt counted first.
    """
    try:
        code = validation.clean_code(code)
    except InvalidInput:
        raise AccessDenied("err.facilitator") from None
    row = _one(db, "SELECT id, facilitator_hash FROM workshops WHERE code = ?", [code])
    # Verify against a dummy hash when the code is unknown, so timing reveals nothing.
    stored = row["facilitator_hash"] if row else _DUMMY_HASH
    legacy = security.is_legacy_hash(stored)
    if limiter and legacy:
        wait = limiter.attempt(client)
        if wait > 0:
            raise SlowDown("err.slow_down", seconds=int(wait) + 1)
    try:
        valid = security.verify_facilitator_token(stored, token or "")
    except security.Busy:
        raise SlowDown("err.slow_down", seconds=1) from None
    if not valid or not row:
        if limiter and not legacy:
            wait = limiter.delay_for(client)
            if wait > 0:
                raise SlowDown("err.slow_down", seconds=int(wait) + 1)
            limiter.failed(client)
        raise AccessDenied("err.facilitator")
    if limiter:
        limiter.succeeded(client)
    if legacy:  # upgrade once: later checks cost microseconds
        with write(db, None):
            db.conn.execute(
                "UPDATE workshops SET facilitator_hash = ? WHERE id = ?", [security.hash_facilitator_token(token), row["id"]]
            )
    return get_workshop(db, row["id"])


_DUMMY_HASH = security.hash_facilitator_token(security.new_token())


def version(db: Database, workshop_id: int) -> int:
    """The workshop's change counter: live views recompute only when it moves."""
    row = _one(db, "SELECT version FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return row["version"]


_SETTABLE = {
    "title": lambda v: validation.clean_text(v, field="field.title", max_len=LIMITS["title"]),
    "question": lambda v: validation.clean_text(
        v, field="field.question", max_len=LIMITS["question"], required=False, multiline=True
    ),
    "language": lambda v: _choice(v, ("fr", "en"), "field.language"),
    "retention_date": lambda v: _future_date(v),
    "show_labels": bool,
    "anonymous": bool,
    "join_locked": bool,
    "public_base_url": clean_base_url,
    "vote_dots": lambda v: _int_between(v, 1, 20, "field.vote_dots"),
    "projector_view": lambda v: _choice(v, ("counters", "network", "ideas", "themes", "votes", "collectifs"), "field.view"),
}


def _choice(value, allowed, field):
    if value not in allowed:
        raise InvalidInput("err.invalid", field=field)
    return value


def _int_between(value, low, high, field):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput("err.invalid", field=field)
    return value


def _iso_date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput("err.invalid", field="field.retention") from None


def _future_date(value) -> str:
    """A deletion date: today or later (a typo a year back would delete the workshop)."""
    day = _iso_date(value)
    if day < dt.date.today().isoformat():
        raise InvalidInput("err.retention_past", date=_local_date(day))
    return day


def _local_date(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%d/%m/%Y")


def update_workshop(db: Database, workshop_id: int, **changes) -> Workshop:
    """Change the facilitator's settings (validated); unknown names are refused."""
    unknown = set(changes) - set(_SETTABLE)
    if unknown:
        raise InvalidInput("err.invalid", field=", ".join(sorted(unknown)))
    if "retention_date" in changes and _iso_date(changes["retention_date"]) == get_workshop(db, workshop_id).retention_date:
        del changes["retention_date"]  # unchanged: saving other settings never trips on it
    cleaned = {name: _SETTABLE[name](value) for name, value in changes.items()}
    if cleaned:
        assignments = ", ".join(f"{name} = ?" for name in cleaned)
        with write(db, workshop_id):
            db.conn.execute(f"UPDATE workshops SET {assignments} WHERE id = ?", [*cleaned.values(), workshop_id])
    return get_workshop(db, workshop_id)


def update_view_settings(db: Database, workshop_id: int, **settings) -> dict:
    """Merge projector display settings (colour mode, filters) into the workshop's settings JSON;
    only known keys with allowed values are kept."""
    with write(db, workshop_id):
        row = _one(db, "SELECT settings FROM workshops WHERE id = ?", [workshop_id])
        current = validation.clean_view_settings({**_json_object(row["settings"]), **settings})
        db.conn.execute(
            "UPDATE workshops SET settings = ? WHERE id = ?",
            [json.dumps(current, ensure_ascii=False), workshop_id],
        )
    return current


# ---------------------------------------------------------------- rounds


def rounds(db: Database, workshop_id: int) -> dict[str, Round]:
    rows = _rows(db, "SELECT * FROM rounds WHERE workshop_id = ?", [workshop_id])
    found = {r["name"]: Round(r["name"], bool(r["is_open"]), r["ends_at"], r["opened_at"]) for r in rows}
    return {name: found.get(name, Round(name, False, None, None)) for name in ROUNDS}


def room_marker(db: Database, workshop_id: int) -> str:
    """What an idle phone watches (one indexed read): the rounds' state, and while the collectifs
    round is open the data version too (members and next steps change on other phones)."""
    rows = _rows(
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
    return rounds(db, workshop_id)[name]


def seconds_left(round_: Round | None, *, now: dt.datetime | None = None) -> int | None:
    """Seconds until a round's timer ends (0 when over), None without a timer."""
    if not round_ or not round_.is_open or not round_.ends_at:
        return None
    ends = dt.datetime.fromisoformat(round_.ends_at)
    moment = now or dt.datetime.now(dt.UTC)
    return max(0, int((ends - moment).total_seconds()))


def _require_open(db: Database, workshop_id: int, name: str) -> None:
    row = _one(db, "SELECT is_open FROM rounds WHERE workshop_id = ? AND name = ?", [workshop_id, name])
    if not row or not row["is_open"]:
        raise RoundClosed("err.round_closed", round=f"round.{name}")


# ---------------------------------------------------------------- participants


def _participant(row: Mapping) -> Participant:
    return Participant(
        id=row["id"],
        workshop_id=row["workshop_id"],
        display_name=row["display_name"],
        skills_offered=_loads(row["skills_offered"]),
        skills_sought=_loads(row["skills_sought"]),
        blocked=bool(row["blocked"]),
        joined_at=row["joined_at"],
        show_name=bool(row["show_name"]),
    )


def join(db: Database, code: str, display_name: str, *, token: str, now: dt.datetime | None = None) -> Participant:
    """Join a workshop by code. The caller makes the token (kept in its session), so a
    double submit with the same token returns the same participant instead of a second one."""
    name = validation.clean_name(display_name)
    workshop = workshop_by_code(db, code)
    token_hash = security.hash_participant_token(token)
    with write(db, workshop.id):
        existing = _one(db, "SELECT * FROM participants WHERE token_hash = ?", [token_hash])
        if existing:
            if existing["workshop_id"] != workshop.id:
                raise AccessDenied("err.link")
            return _participant(existing)
        if _one(db, "SELECT join_locked FROM workshops WHERE id = ?", [workshop.id])["join_locked"]:
            raise RoundClosed("err.join_locked")
        count = _one(db, "SELECT count(*) AS n FROM participants WHERE workshop_id = ?", [workshop.id])["n"]
        if count >= LIMITS["participants_per_workshop"]:
            raise InvalidInput("err.room_full", max=LIMITS["participants_per_workshop"])
        db.conn.execute(  # show_name 0: a name appears in pseudonymised exports only if its owner says so
            "INSERT INTO participants (workshop_id, display_name, token_hash, joined_at, show_name) VALUES (?,?,?,?,0)",
            [workshop.id, name, token_hash, now_iso(now)],
        )
    return participant_by_token(db, token)[1]


def participant_by_token(db: Database, token: str, *, allow_blocked: bool = False) -> tuple[Workshop, Participant]:
    """Who this personal link belongs to; refuses unknown, deleted and (unless `allow_blocked`,
    for erasing their own data) suspended participants."""
    if not token or not isinstance(token, str) or len(token) > 100:
        raise AccessDenied("err.link")
    row = _one(db, "SELECT * FROM participants WHERE token_hash = ?", [security.hash_participant_token(token)])
    if not row:
        raise AccessDenied("err.link")
    if row["blocked"] and not allow_blocked:
        raise AccessDenied("err.blocked")
    return get_workshop(db, row["workshop_id"]), _participant(row)


def get_participant(db: Database, workshop_id: int, participant_id: int) -> Participant:
    row = _one(db, "SELECT * FROM participants WHERE id = ? AND workshop_id = ?", [participant_id, workshop_id])
    if not row:
        raise NotFound("err.not_found")
    return _participant(row)


def _fresh(db: Database, participant: Participant) -> Participant:
    """Re-read the participant inside a write: blocked or deleted since the page loaded?"""
    row = _one(db, "SELECT * FROM participants WHERE id = ?", [participant.id])
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
        _fresh(db, participant)
        db.conn.execute(
            "UPDATE participants SET skills_offered = ?, skills_sought = ?, show_name = COALESCE(?, show_name) WHERE id = ?",
            [_dumps(offered_clean), _dumps(sought_clean), None if show_name is None else int(show_name), participant.id],
        )
    return get_participant(db, participant.workshop_id, participant.id)


def skill_suggestions(db: Database, workshop_id: int, *, limit: int = 60) -> list[str]:
    """Skills participants gave as their own, most frequent first (suggestions for the next
    person). Contacts' skills are never shown to others: they describe third parties."""
    counts: dict[str, tuple[int, str]] = {}
    rows = _rows(
        db,
        "SELECT skills_offered AS s FROM participants WHERE workshop_id = ?"
        " UNION ALL SELECT skills_sought FROM participants WHERE workshop_id = ?",
        [workshop_id] * 2,
    )
    for row in rows:
        for skill in _loads(row["s"]):
            key = str(skill).casefold()
            n, label = counts.get(key, (0, str(skill)))
            counts[key] = (n + 1, label)
    ranked = sorted(counts.values(), key=lambda item: (-item[0], item[1].casefold()))
    return [label for _, label in ranked[:limit]]


def set_blocked(db: Database, workshop_id: int, participant_id: int, *, blocked: bool) -> None:
    with write(db, workshop_id):
        cur = db.conn.execute(
            "UPDATE participants SET blocked = ? WHERE id = ? AND workshop_id = ?",
            [int(blocked), participant_id, workshop_id],
        )
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def delete_participant(db: Database, participant: Participant) -> None:
    """'Delete my data': the participant, their contacts, ideas, votes, memberships and merges, in
    this workshop and in every earlier workshop of the series their link was carried from."""
    with write(db, participant.workshop_id):
        if not _one(db, "SELECT 1 FROM participants WHERE id = ? AND workshop_id = ?", [participant.id, participant.workshop_id]):
            raise NotFound("err.not_found")
        for person in _copies_of(db, participant.id):
            contact_ids = [r["id"] for r in _rows(db, "SELECT id FROM contacts WHERE participant_id = ?", [person["id"]])]
            _delete_merges(db, person["workshop_id"], contact_ids)
            db.conn.execute(
                "DELETE FROM merges WHERE workshop_id = ? AND kind = 'participant' AND b_id = ?",
                [person["workshop_id"], person["id"]],
            )
            db.conn.execute("DELETE FROM participants WHERE id = ?", [person["id"]])
            if person["workshop_id"] != participant.workshop_id:
                db.conn.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [person["workshop_id"]])
    # SQLite: secure_delete zeroed the freed pages; the WAL still holds earlier images of them until
    # a checkpoint copies the pages back and truncates it (readers still open may delay part of it).
    engine.erase_traces(db, rewrite=False)


def _copies_of(db: Database, participant_id: int) -> list[dict]:
    """The participant and every row it was copied from (import keeping links), oldest last."""
    rows = _rows(
        db,
        "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.original_id FROM participant_copies c JOIN chain"
        " ON c.copy_id = chain.id) SELECT p.id, p.workshop_id FROM participants p JOIN chain ON chain.id = p.id",
        [participant_id],
    )
    return sorted(rows, key=lambda r: -r["id"])


def _delete_merges(db: Database, workshop_id: int, contact_ids: list[int]) -> None:
    for cid in contact_ids:
        db.conn.execute(
            "DELETE FROM merges WHERE workshop_id = ? AND (a_id = ? OR (kind = 'contact' AND b_id = ?))",
            [workshop_id, cid, cid],
        )


def participants_frame(db: Database, workshop_id: int, *, include_blocked: bool = True) -> pd.DataFrame:
    sql = (
        "SELECT p.id, p.display_name, p.skills_offered, p.skills_sought, p.show_name, p.blocked, p.joined_at,"
        " (SELECT count(*) FROM contacts c WHERE c.participant_id = p.id) AS contacts,"
        " (SELECT count(*) FROM ideas i WHERE i.participant_id = p.id) AS ideas"
        " FROM participants p WHERE p.workshop_id = ?"
    )
    if not include_blocked:
        sql += " AND p.blocked = 0"
    frame = pd.DataFrame(_rows(db, sql + " ORDER BY p.id", [workshop_id]))
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
                "contacts",
                "ideas",
            ]
        )
    for col in ("skills_offered", "skills_sought"):
        frame[col] = frame[col].map(_loads)
    frame["show_name"] = frame["show_name"].astype(bool)
    frame["blocked"] = frame["blocked"].astype(bool)
    return frame


# ---------------------------------------------------------------- contacts

CONTACT_FIELDS = (
    "label", "circle", "strength", "trust", "dormant", "last_contact_year", "flows",
    "region", "city", "organisation", "sector", "skills",
)  # fmt: skip


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
        "flows": _dumps(validation.clean_flows(fields.get("flows"))),
        "region": validation.clean_place(fields.get("region"), "field.region"),
        "city": validation.clean_place(fields.get("city"), "field.city"),
        "organisation": validation.clean_place(fields.get("organisation"), "field.organisation"),
        "sector": validation.clean_place(fields.get("sector"), "field.sector"),
        "skills": _dumps(validation.clean_skills(fields.get("skills"))),
    }


def _admit(db: Database, participant: Participant, table: str, submission_id: str, round_name: str, limit: str) -> int | None:
    """Inside a write: the id already stored for this submission (a replay), or None once the
    participant, the round and the per-person limit allow a new row."""
    existing = _one(db, f"SELECT id, participant_id FROM {table} WHERE submission_id = ?", [submission_id])
    if existing:
        if existing["participant_id"] != participant.id:
            raise AccessDenied("err.link")
        return existing["id"]
    _fresh(db, participant)
    _require_open(db, participant.workshop_id, round_name)
    count = _one(db, f"SELECT count(*) AS n FROM {table} WHERE participant_id = ?", [participant.id])["n"]
    if count >= LIMITS[limit]:
        raise InvalidInput(f"err.too_many_{table}", max=LIMITS[limit])
    return None


def add_contact(db: Database, participant: Participant, *, submission_id: str, now: dt.datetime | None = None, **fields) -> int:
    """Add one contact; the same submission id twice returns the first row's id."""
    values = clean_contact(fields)
    submission_id = validation.clean_text(submission_id, field="field.submission", max_len=64)
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        existing = _admit(db, participant, "contacts", submission_id, "contacts", "contacts_per_participant")
        if existing is not None:
            return existing
        cols = ["workshop_id", "participant_id", *values, "submission_id", "created_at", "updated_at"]
        new_id = _insert(
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
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "contacts")
        assignments = ", ".join(f"{k} = ?" for k in values)
        cur = db.conn.execute(
            f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ? AND participant_id = ?",
            [*values.values(), now_iso(now), contact_id, participant.id],
        )
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def delete_contact(db: Database, participant: Participant, contact_id: int) -> None:
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        _delete_merges(db, participant.workshop_id, [contact_id])
        cur = db.conn.execute("DELETE FROM contacts WHERE id = ? AND participant_id = ?", [contact_id, participant.id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def _contact_row(row: Mapping) -> dict:
    out = dict(row)
    out["flows"] = _loads(out.get("flows"))
    out["skills"] = _loads(out.get("skills"))
    out["dormant"] = bool(out.get("dormant"))
    return out


def contact(db: Database, participant: Participant, contact_id: int) -> dict:
    row = _one(db, "SELECT * FROM contacts WHERE id = ? AND participant_id = ?", [contact_id, participant.id])
    if not row:
        raise NotFound("err.not_found")
    return _contact_row(row)


def contacts_of(db: Database, participant_id: int) -> list[dict]:
    return [_contact_row(r) for r in _rows(db, "SELECT * FROM contacts WHERE participant_id = ? ORDER BY id", [participant_id])]


def contacts_frame(db: Database, workshop_id: int, *, include_blocked: bool = False) -> pd.DataFrame:
    """Every contact of the workshop with its owner's display name (blocked participants left out)."""
    sql = (
        "SELECT c.*, p.display_name AS owner FROM contacts c JOIN participants p ON p.id = c.participant_id"
        " WHERE c.workshop_id = ?"
    )
    if not include_blocked:
        sql += " AND p.blocked = 0"
    rows = [_contact_row(r) for r in _rows(db, sql + " ORDER BY c.id", [workshop_id])]
    columns = ["id", "workshop_id", "participant_id", *CONTACT_FIELDS, "created_at", "updated_at", "owner"]
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


# ---------------------------------------------------------------- ideas


def _clean_tags(tags: Iterable[str] | None) -> list[str]:
    return validation.clean_skills(tags)


def add_idea(
    db: Database,
    participant: Participant,
    *,
    submission_id: str,
    text: str,
    tags: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> int:
    text = validation.clean_idea(text)
    clean_tags = _clean_tags(tags)
    submission_id = validation.clean_text(submission_id, field="field.submission", max_len=64)
    stamp = now_iso(now)
    with write(db, participant.workshop_id):
        existing = _admit(db, participant, "ideas", submission_id, "ideas", "ideas_per_participant")
        if existing is not None:
            return existing
        new_id = _insert(
            db,
            "INSERT INTO ideas (workshop_id, participant_id, text, tags, submission_id, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?)",
            [participant.workshop_id, participant.id, text, _dumps(clean_tags), submission_id, stamp, stamp],
        )
        return new_id


def update_idea(db: Database, participant: Participant, idea_id: int, *, text: str, tags: Iterable[str] | None = None) -> None:
    text = validation.clean_idea(text)
    clean_tags = _clean_tags(tags)
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "ideas")
        cur = db.conn.execute(
            "UPDATE ideas SET text = ?, tags = ?, updated_at = ? WHERE id = ? AND participant_id = ?",
            [text, _dumps(clean_tags), now_iso(), idea_id, participant.id],
        )
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def withdraw_idea(db: Database, participant: Participant, idea_id: int) -> None:
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        cur = db.conn.execute("DELETE FROM ideas WHERE id = ? AND participant_id = ?", [idea_id, participant.id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def ideas_of(db: Database, participant_id: int) -> list[dict]:
    rows = _rows(db, "SELECT * FROM ideas WHERE participant_id = ? ORDER BY id", [participant_id])
    for row in rows:
        row["tags"] = _loads(row["tags"])
        row["hidden"] = bool(row["hidden"])
    return rows


def ideas_frame(db: Database, workshop_id: int, *, include_hidden: bool = False) -> pd.DataFrame:
    """Ideas of the room with their theme (blocked participants' ideas left out)."""
    sql = (
        "SELECT i.id, i.participant_id, p.display_name AS author, i.text, i.tags, i.hidden, i.created_at,"
        " it.theme_id, it.manual FROM ideas i JOIN participants p ON p.id = i.participant_id"
        " LEFT JOIN idea_themes it ON it.idea_id = i.id WHERE i.workshop_id = ? AND p.blocked = 0"
    )
    if not include_hidden:
        sql += " AND i.hidden = 0"
    rows = _rows(db, sql + " ORDER BY i.id", [workshop_id])
    columns = ["id", "participant_id", "author", "text", "tags", "hidden", "created_at", "theme_id", "manual"]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["tags"] = frame["tags"].map(_loads)
        frame["hidden"] = frame["hidden"].astype(bool)
    return frame


def set_idea_hidden(db: Database, workshop_id: int, idea_id: int, *, hidden: bool) -> None:
    with write(db, workshop_id):
        cur = db.conn.execute("UPDATE ideas SET hidden = ? WHERE id = ? AND workshop_id = ?", [int(hidden), idea_id, workshop_id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def delete_idea(db: Database, workshop_id: int, idea_id: int) -> None:
    with write(db, workshop_id):
        cur = db.conn.execute("DELETE FROM ideas WHERE id = ? AND workshop_id = ?", [idea_id, workshop_id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


# ---------------------------------------------------------------- themes


def themes_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    """Themes with their visible idea count and dots received."""
    rows = _rows(
        db,
        "SELECT t.id, t.label, t.renamed, t.created_at,"
        " (SELECT count(*) FROM idea_themes it JOIN ideas i ON i.id = it.idea_id"
        "   JOIN participants p ON p.id = i.participant_id"
        "   WHERE it.theme_id = t.id AND i.hidden = 0 AND p.blocked = 0) AS ideas,"
        " (SELECT CAST(coalesce(sum(v.dots), 0) AS BIGINT) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.theme_id = t.id AND p.blocked = 0) AS votes"
        " FROM themes t WHERE t.workshop_id = ? ORDER BY t.id",
        [workshop_id],
    )
    columns = ["id", "label", "renamed", "created_at", "ideas", "votes"]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["renamed"] = frame["renamed"].astype(bool)
    return frame


def _theme_in(db: Database, workshop_id: int, theme_id: int) -> None:
    if not _one(db, "SELECT 1 FROM themes WHERE id = ? AND workshop_id = ?", [theme_id, workshop_id]):
        raise NotFound("err.not_found")


def _idea_in(db: Database, workshop_id: int, idea_id: int) -> None:
    if not _one(db, "SELECT 1 FROM ideas WHERE id = ? AND workshop_id = ?", [idea_id, workshop_id]):
        raise NotFound("err.not_found")


def create_theme(db: Database, workshop_id: int, label: str, *, renamed: bool = True) -> int:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        new_id = _insert(
            db,
            "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,?,?)",
            [workshop_id, label, int(renamed), now_iso()],
        )
        return new_id


def rename_theme(db: Database, workshop_id: int, theme_id: int, label: str) -> None:
    label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute("UPDATE themes SET label = ?, renamed = 1 WHERE id = ?", [label, theme_id])


def delete_theme(db: Database, workshop_id: int, theme_id: int) -> None:
    """Remove a theme; its ideas go back to 'to sort'."""
    with write(db, workshop_id):
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute("DELETE FROM themes WHERE id = ?", [theme_id])


def merge_themes(db: Database, workshop_id: int, into_id: int, other_ids: Iterable[int]) -> None:
    """Move every idea and vote of the other themes into one, then drop the others."""
    others = [t for t in other_ids if t != into_id]
    with write(db, workshop_id):
        _theme_in(db, workshop_id, into_id)
        for other in others:
            _theme_in(db, workshop_id, other)
            db.conn.execute("UPDATE idea_themes SET theme_id = ?, manual = 1 WHERE theme_id = ?", [into_id, other])
            db.conn.execute(
                "INSERT INTO votes (participant_id, theme_id, workshop_id, dots)"
                " SELECT participant_id, ?, workshop_id, dots FROM votes WHERE theme_id = ? AND true"
                " ON CONFLICT (participant_id, theme_id) DO UPDATE SET dots = votes.dots + excluded.dots",
                [into_id, other],
            )
            db.conn.execute("UPDATE collectifs SET theme_id = ? WHERE theme_id = ?", [into_id, other])
            db.conn.execute("DELETE FROM themes WHERE id = ?", [other])
        db.conn.execute("UPDATE themes SET renamed = 1 WHERE id = ?", [into_id])


def move_idea(db: Database, workshop_id: int, idea_id: int, theme_id: int | None) -> None:
    """The facilitator places an idea (None: back to 'to sort'); a manual placement is kept for good."""
    with write(db, workshop_id):
        _idea_in(db, workshop_id, idea_id)
        if theme_id is None:
            db.conn.execute("DELETE FROM idea_themes WHERE idea_id = ?", [idea_id])
            return
        _theme_in(db, workshop_id, theme_id)
        db.conn.execute(
            "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,1)"
            " ON CONFLICT (idea_id) DO UPDATE SET theme_id = excluded.theme_id, manual = 1",
            [idea_id, theme_id],
        )


def save_clustering(
    db: Database,
    workshop_id: int,
    *,
    new_themes: Mapping[str, Iterable[int]],
    placements: Mapping[int, int],
    relabel: Mapping[int, str] | None = None,
) -> dict[str, int]:
    """Store a clustering result in one transaction: new themes with their ideas, ideas placed
    into existing themes, and fresh automatic labels for themes the facilitator never renamed."""
    created: dict[str, int] = {}
    with write(db, workshop_id):
        for theme_id in placements.values():
            _theme_in(db, workshop_id, theme_id)
        for idea_id, theme_id in placements.items():
            _idea_in(db, workshop_id, idea_id)
            db.conn.execute(
                "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,0) ON CONFLICT (idea_id) DO NOTHING",
                [idea_id, theme_id],
            )
        for label, idea_ids in new_themes.items():
            label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
            new_id = _insert(
                db,
                "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,0,?)",
                [workshop_id, label, now_iso()],
            )
            created[label] = new_id
            for idea_id in idea_ids:
                _idea_in(db, workshop_id, idea_id)
                db.conn.execute(
                    "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,0) ON CONFLICT (idea_id) DO NOTHING",
                    [idea_id, new_id],
                )
        for theme_id, label in (relabel or {}).items():
            label = validation.clean_text(label, field="field.theme", max_len=LIMITS["theme"])
            db.conn.execute(
                "UPDATE themes SET label = ? WHERE id = ? AND workshop_id = ? AND renamed = 0",
                [label, theme_id, workshop_id],
            )
    return created


def reset_auto_themes(db: Database, workshop_id: int) -> None:
    """Forget automatic placements and themes the facilitator never touched (a fresh clustering).
    A theme the facilitator renamed keeps its ideas: renaming it said "this group is right"."""
    with write(db, workshop_id):
        db.conn.execute(
            "DELETE FROM idea_themes WHERE manual = 0 AND idea_id IN (SELECT id FROM ideas WHERE workshop_id = ?)"
            " AND theme_id NOT IN (SELECT id FROM themes WHERE workshop_id = ? AND renamed = 1)",
            [workshop_id, workshop_id],
        )
        db.conn.execute(
            "DELETE FROM themes WHERE workshop_id = ? AND renamed = 0"
            " AND id NOT IN (SELECT theme_id FROM idea_themes)"
            " AND id NOT IN (SELECT theme_id FROM collectifs WHERE theme_id IS NOT NULL)"
            " AND id NOT IN (SELECT theme_id FROM votes)",
            [workshop_id],
        )


# ---------------------------------------------------------------- votes


def cast_votes(db: Database, participant: Participant, allocation: Mapping[int, int]) -> None:
    """Replace the participant's dots with this allocation (at most the workshop's dots in all)."""
    clean: dict[int, int] = {}
    for theme_id, dots in allocation.items():
        if isinstance(dots, bool) or not isinstance(dots, int) or dots < 0:
            raise InvalidInput("err.invalid", field="field.dots")
        if dots:
            clean[int(theme_id)] = dots
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "vote")
        budget = get_workshop(db, participant.workshop_id).vote_dots
        if sum(clean.values()) > budget:
            raise InvalidInput("err.too_many_dots", max=budget)
        for theme_id in clean:
            _theme_in(db, participant.workshop_id, theme_id)
        db.conn.execute("DELETE FROM votes WHERE participant_id = ?", [participant.id])
        db.conn.executemany(
            "INSERT INTO votes (participant_id, theme_id, workshop_id, dots) VALUES (?,?,?,?)",
            [(participant.id, t, participant.workshop_id, d) for t, d in clean.items()],
        )


def votes_of(db: Database, participant_id: int) -> dict[int, int]:
    return {
        r["theme_id"]: r["dots"] for r in _rows(db, "SELECT theme_id, dots FROM votes WHERE participant_id = ?", [participant_id])
    }


# ---------------------------------------------------------------- collectifs


def create_collectif(db: Database, workshop_id: int, *, name: str, theme_id: int | None = None) -> int:
    name = validation.clean_text(name, field="field.collectif", max_len=LIMITS["theme"])
    with write(db, workshop_id):
        get_workshop(db, workshop_id)
        if theme_id is not None:
            _theme_in(db, workshop_id, theme_id)
        new_id = _insert(
            db,
            "INSERT INTO collectifs (workshop_id, theme_id, name, created_at) VALUES (?,?,?,?)",
            [workshop_id, theme_id, name, now_iso()],
        )
        return new_id


def delete_collectif(db: Database, workshop_id: int, collectif_id: int) -> None:
    with write(db, workshop_id):
        cur = db.conn.execute("DELETE FROM collectifs WHERE id = ? AND workshop_id = ?", [collectif_id, workshop_id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def _collectif_in(db: Database, workshop_id: int, collectif_id: int) -> None:
    if not _one(db, "SELECT 1 FROM collectifs WHERE id = ? AND workshop_id = ?", [collectif_id, workshop_id]):
        raise NotFound("err.not_found")


def set_membership(db: Database, participant: Participant, collectif_id: int, *, member: bool) -> None:
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "collectifs")
        _collectif_in(db, participant.workshop_id, collectif_id)
        if member:
            db.conn.execute(
                "INSERT INTO collectif_members (collectif_id, participant_id, joined_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                [collectif_id, participant.id, now_iso()],
            )
        else:
            db.conn.execute(
                "DELETE FROM collectif_members WHERE collectif_id = ? AND participant_id = ?",
                [collectif_id, participant.id],
            )
            db.conn.execute(
                "DELETE FROM collectif_contacts WHERE collectif_id = ?"
                " AND contact_id IN (SELECT id FROM contacts WHERE participant_id = ?)",
                [collectif_id, participant.id],
            )


def set_mobilised_contacts(db: Database, participant: Participant, collectif_id: int, contact_ids: Iterable[int]) -> None:
    """Which of their own contacts a member could mobilise for this collectif (replaces the list)."""
    try:
        ids = sorted({int(c) for c in contact_ids})
    except (TypeError, ValueError):
        raise AccessDenied("err.not_yours") from None  # not one of their contacts' ids
    with write(db, participant.workshop_id):
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "collectifs")
        if not _one(
            db,
            "SELECT 1 FROM collectif_members m JOIN collectifs c ON c.id = m.collectif_id"
            " WHERE m.collectif_id = ? AND m.participant_id = ? AND c.workshop_id = ?",
            [collectif_id, participant.id, participant.workshop_id],
        ):
            raise AccessDenied("err.not_member")
        own = {r["id"] for r in _rows(db, "SELECT id FROM contacts WHERE participant_id = ?", [participant.id])}
        if not set(ids) <= own:
            raise AccessDenied("err.not_yours")
        db.conn.execute(
            "DELETE FROM collectif_contacts WHERE collectif_id = ?"
            " AND contact_id IN (SELECT id FROM contacts WHERE participant_id = ?)",
            [collectif_id, participant.id],
        )
        db.conn.executemany(
            "INSERT INTO collectif_contacts (collectif_id, contact_id) VALUES (?,?)", [(collectif_id, c) for c in ids]
        )


def add_next_step(
    db: Database,
    participant: Participant,
    collectif_id: int,
    *,
    submission_id: str,
    text: str,
    due_date: dt.date | str | None = None,
    owner: str = "",
) -> int:
    text = validation.clean_text(text, field="field.next_step", max_len=LIMITS["next_step"])
    owner = validation.clean_text(owner, field="field.owner", max_len=LIMITS["name"], required=False)
    due = _iso_date(due_date) if due_date else ""
    with write(db, participant.workshop_id):
        existing = _one(db, "SELECT id FROM next_steps WHERE submission_id = ?", [submission_id])
        if existing:
            return existing["id"]
        _fresh(db, participant)
        _require_open(db, participant.workshop_id, "collectifs")
        _collectif_in(db, participant.workshop_id, collectif_id)
        new_id = _insert(
            db,
            "INSERT INTO next_steps (collectif_id, participant_id, text, due_date, owner, submission_id, created_at)"
            " VALUES (?,?,?,?,?,?,?)",
            [collectif_id, participant.id, text, due, owner or participant.display_name, submission_id, now_iso()],
        )
        return new_id


def collectifs(db: Database, workshop_id: int) -> list[dict]:
    """Each collectif with its theme, members, next steps and mobilised contacts (full rows)."""
    out = []
    for c in _rows(
        db,
        "SELECT c.id, c.name, c.theme_id, t.label AS theme, c.created_at FROM collectifs c"
        " LEFT JOIN themes t ON t.id = c.theme_id WHERE c.workshop_id = ? ORDER BY c.id",
        [workshop_id],
    ):
        c["members"] = _rows(
            db,
            "SELECT p.id, p.display_name FROM collectif_members m JOIN participants p ON p.id = m.participant_id"
            " WHERE m.collectif_id = ? AND p.blocked = 0 ORDER BY m.joined_at, p.id",
            [c["id"]],
        )
        c["next_steps"] = _rows(
            db,
            "SELECT id, participant_id, text, due_date, owner, created_at FROM next_steps WHERE collectif_id = ? ORDER BY id",
            [c["id"]],
        )
        c["contacts"] = [
            _contact_row(r)
            for r in _rows(
                db,
                "SELECT ct.* FROM collectif_contacts cc JOIN contacts ct ON ct.id = cc.contact_id"
                " JOIN participants p ON p.id = ct.participant_id"
                " WHERE cc.collectif_id = ? AND p.blocked = 0 ORDER BY ct.id",
                [c["id"]],
            )
        ]
        out.append(c)
    return out


# ---------------------------------------------------------------- merges (contact resolution)


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
                if not _one(db, "SELECT 1 FROM contacts WHERE id = ? AND workshop_id = ?", [cid, workshop_id]):
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
        cur = db.conn.execute("DELETE FROM merges WHERE id = ? AND workshop_id = ?", [merge_id, workshop_id])
        if cur.rowcount != 1:
            raise NotFound("err.not_found")


def merges_frame(db: Database, workshop_id: int) -> pd.DataFrame:
    rows = _rows(db, "SELECT * FROM merges WHERE workshop_id = ? ORDER BY id", [workshop_id])
    return pd.DataFrame(rows, columns=["id", "workshop_id", "kind", "a_id", "b_id", "status", "score", "decided_at"])


# ---------------------------------------------------------------- counters


def counters(db: Database, workshop_id: int) -> dict:
    """Room counters for the console and projector (blocked participants and hidden ideas left out)."""
    row = _one(
        db,
        "SELECT"
        " (SELECT count(*) FROM participants WHERE workshop_id = :w AND blocked = 0) AS participants,"
        " (SELECT count(*) FROM contacts c JOIN participants p ON p.id = c.participant_id"
        "   WHERE c.workshop_id = :w AND p.blocked = 0) AS contacts,"
        " (SELECT count(*) FROM ideas i JOIN participants p ON p.id = i.participant_id"
        "   WHERE i.workshop_id = :w AND i.hidden = 0 AND p.blocked = 0) AS ideas,"
        " (SELECT count(DISTINCT v.participant_id) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.workshop_id = :w AND p.blocked = 0) AS voters,"
        " (SELECT CAST(coalesce(sum(v.dots), 0) AS BIGINT) FROM votes v JOIN participants p ON p.id = v.participant_id"
        "   WHERE v.workshop_id = :w AND p.blocked = 0) AS dots,"
        " (SELECT count(*) FROM participants p WHERE p.workshop_id = :w AND p.blocked = 0"
        "   AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.participant_id = p.id)"
        "   AND NOT EXISTS (SELECT 1 FROM ideas i WHERE i.participant_id = p.id)) AS silent,"
        " (SELECT count(*) FROM collectifs WHERE workshop_id = :w) AS collectifs,"
        " (SELECT count(*) FROM themes WHERE workshop_id = :w) AS themes",
        {"w": workshop_id},
    )
    return dict(row)


def recent(db: Database, workshop_id: int, *, since: str) -> dict:
    """How many contacts and ideas arrived since an ISO time (the 'what's new' highlight)."""
    row = _one(
        db,
        "SELECT (SELECT count(*) FROM contacts WHERE workshop_id = :w AND created_at >= :s) AS contacts,"
        " (SELECT count(*) FROM ideas WHERE workshop_id = :w AND created_at >= :s AND hidden = 0) AS ideas,"
        " (SELECT count(*) FROM participants WHERE workshop_id = :w AND joined_at >= :s) AS participants",
        {"w": workshop_id, "s": since},
    )
    return dict(row)


# ---------------------------------------------------------------- retention


def delete_workshop(db: Database, workshop_id: int, *, vacuum: bool = True) -> None:
    """Delete a workshop and everything in it, then VACUUM so no free page keeps its text."""
    with write(db, None):
        cur = db.conn.execute("DELETE FROM workshops WHERE id = ?", [workshop_id])
        if cur.rowcount != 1:
            raise NotFound("err.no_workshop")
    if vacuum:
        engine.erase_traces(db, rewrite=True)


def expired_workshops(db: Database, *, today: dt.date | None = None) -> list[int]:
    day = (today or dt.date.today()).isoformat()
    return [r["id"] for r in _rows(db, "SELECT id FROM workshops WHERE retention_date < ?", [day])]


def purge(db: Database, workshop_ids: Iterable[int]) -> int:
    """Delete these workshops, then VACUUM and checkpoint so no page keeps their text."""
    ids = list(workshop_ids)
    for workshop_id in ids:
        delete_workshop(db, workshop_id, vacuum=False)
    if ids:
        engine.erase_traces(db, rewrite=True)
    return len(ids)


def purge_expired(db: Database, *, today: dt.date | None = None) -> int:
    """Delete every workshop past its retention date; returns how many (callers back up first)."""
    return purge(db, expired_workshops(db, today=today))


def workshops_list(db: Database) -> list[dict]:
    return _rows(db, "SELECT id, code, title, created_at, retention_date FROM workshops ORDER BY id")


# ---------------------------------------------------------------- import (one transaction)


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
    rows to workshop `into`, in ONE transaction: nothing is half-imported. Returns the workshop id."""
    w = payload["workshop"]
    created = dt.datetime.now(dt.UTC)
    _within_limits(db, payload, into=into)
    with write(db, None):
        if into is None:
            for _ in range(20):
                code = security.new_code()
                if not _one(db, "SELECT 1 FROM workshops WHERE code = ?", [code]):
                    break
            retention = w.get("retention_date") or (created.date() + dt.timedelta(days=90)).isoformat()
            if retention < created.date().isoformat():
                retention = (created.date() + dt.timedelta(days=90)).isoformat()
            title = validation.clean_text(w["title"], field="field.title", max_len=LIMITS["title"])
            question = validation.clean_text(
                w["question"], field="field.question", max_len=LIMITS["question"], required=False, multiline=True
            )
            settings = validation.clean_view_settings(w.get("settings", {}))
            new_id = _insert(
                db,
                "INSERT INTO workshops (code, title, language, question, retention_date, created_at, facilitator_hash,"
                " secret, vote_dots, show_labels, anonymous, settings, previous_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [code, title, w["language"], question, retention, now_iso(created),
                 security.hash_facilitator_token(facilitator_token), security.new_token(), w["vote_dots"],
                 int(w["show_labels"]), int(w["anonymous"]), json.dumps(settings, ensure_ascii=False),
                 previous_id],
            )  # fmt: skip
            workshop_id = new_id
            db.conn.executemany("INSERT INTO rounds (workshop_id, name) VALUES (?, ?)", [(workshop_id, r) for r in ROUNDS])
        else:
            get_workshop(db, into)
            workshop_id = into
        pmap: dict[int, int] = {}
        for p in payload["participants"]:
            token_hash = p.get("token_hash") if keep_links else None
            original = _one(db, "SELECT id FROM participants WHERE token_hash = ?", [token_hash]) if token_hash else None
            if token_hash:
                # The link now leads to the new workshop: the old participant gets an unusable hash.
                db.conn.execute(
                    "UPDATE participants SET token_hash = ? WHERE token_hash = ?",
                    [security.hash_participant_token(security.new_token()), token_hash],
                )
            new_id = _insert(
                db,
                "INSERT INTO participants (workshop_id, display_name, token_hash, skills_offered, skills_sought, show_name,"
                " blocked, joined_at) VALUES (?,?,?,?,?,?,?,?)",
                [workshop_id, validation.clean_name(p["display_name"]),
                 token_hash or security.hash_participant_token(security.new_token()),
                 _dumps(validation.clean_skills(p["skills_offered"])), _dumps(validation.clean_skills(p["skills_sought"])),
                 int(p["show_name"]), int(p["blocked"]),
                 p.get("joined_at") or now_iso(created)],
            )  # fmt: skip
            pmap[p["id"]] = new_id
            if original:
                db.conn.execute(
                    "INSERT INTO participant_copies (copy_id, original_id) VALUES (?, ?)", [new_id, original["id"]]
                )
        cmap: dict[int, int] = {}
        for c in payload["contacts"]:
            values = clean_contact({k: c.get(k) for k in CONTACT_FIELDS})
            stamp = c.get("created_at") or now_iso(created)
            cols = ["workshop_id", "participant_id", *values, "created_at", "updated_at"]
            new_id = _insert(
                db,
                f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [workshop_id, pmap[c["participant_id"]], *values.values(), stamp, stamp],
            )
            cmap[c["id"]] = new_id
        tmap: dict[int, int] = {}
        for th in payload["themes"]:
            new_id = _insert(
                db,
                "INSERT INTO themes (workshop_id, label, renamed, created_at) VALUES (?,?,?,?)",
                [workshop_id, validation.clean_text(th["label"], field="field.theme", max_len=LIMITS["theme"]),
                 int(th.get("renamed", True)), now_iso(created)],
            )  # fmt: skip
            tmap[th["id"]] = new_id
        for i in payload["ideas"]:
            stamp = i.get("created_at") or now_iso(created)
            new_id = _insert(
                db,
                "INSERT INTO ideas (workshop_id, participant_id, text, tags, hidden, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                [workshop_id, pmap[i["participant_id"]], validation.clean_idea(i["text"]), _dumps(_clean_tags(i.get("tags"))),
                 int(i.get("hidden", False)), stamp, stamp],
            )  # fmt: skip
            if i.get("theme_id") is not None:
                db.conn.execute(
                    "INSERT INTO idea_themes (idea_id, theme_id, manual) VALUES (?,?,1)", [new_id, tmap[i["theme_id"]]]
                )
        for v in payload["votes"]:
            db.conn.execute(
                "INSERT INTO votes (participant_id, theme_id, workshop_id, dots) VALUES (?,?,?,?)",
                [pmap[v["participant_id"]], tmap[v["theme_id"]], workshop_id, int(v["dots"])],
            )
        for col in payload["collectifs"]:
            new_id = _insert(
                db,
                "INSERT INTO collectifs (workshop_id, theme_id, name, created_at) VALUES (?,?,?,?)",
                [workshop_id, tmap.get(col.get("theme_id")), validation.clean_text(col["name"], field="field.collectif",
                 max_len=LIMITS["theme"]), now_iso(created)],
            )  # fmt: skip
            new_col = new_id
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
                    [new_col, pmap.get(step.get("participant_id")),
                     validation.clean_text(step["text"], field="field.next_step", max_len=LIMITS["next_step"]),
                     step.get("due_date") or "", validation.clean_text(step.get("owner", ""), field="field.owner",
                     max_len=LIMITS["name"], required=False), now_iso(created)],
                )  # fmt: skip
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
        db.conn.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", [workshop_id])
    return workshop_id


def _within_limits(db: Database, payload: Mapping, *, into: int | None) -> None:
    """An import obeys the room's limits as typing does: participants per workshop, contacts and
    ideas per participant (a bundle cannot smuggle 170,000 contacts under one person)."""
    already = 0
    if into is not None:
        already = _one(db, "SELECT count(*) AS n FROM participants WHERE workshop_id = ?", [into])["n"]
    if already + len(payload["participants"]) > LIMITS["participants_per_workshop"]:
        raise ImportRefused("imp.too_many_participants", max=LIMITS["participants_per_workshop"])
    for table, limit in (("contacts", "contacts_per_participant"), ("ideas", "ideas_per_participant")):
        per: dict = {}
        for row in payload[table]:
            per[row["participant_id"]] = per.get(row["participant_id"], 0) + 1
        if per and max(per.values()) > LIMITS[limit]:
            raise ImportRefused(f"imp.too_many_{table}", max=LIMITS[limit])


def workshop_rows(db: Database, workshop_id: int) -> dict:
    """Every row of a workshop, as plain dicts (what export serialises), read in one snapshot."""
    with snapshot(db):
        return _workshop_rows(db, workshop_id)


def _workshop_rows(db: Database, workshop_id: int) -> dict:
    w = _one(db, "SELECT * FROM workshops WHERE id = ?", [workshop_id])
    if not w:
        raise NotFound("err.no_workshop")
    participants = _rows(db, "SELECT * FROM participants WHERE workshop_id = ? ORDER BY id", [workshop_id])
    for p in participants:
        p["skills_offered"], p["skills_sought"] = _loads(p["skills_offered"]), _loads(p["skills_sought"])
        p["show_name"], p["blocked"] = bool(p["show_name"]), bool(p["blocked"])
    contacts = [_contact_row(r) for r in _rows(db, "SELECT * FROM contacts WHERE workshop_id = ? ORDER BY id", [workshop_id])]
    ideas = _rows(
        db,
        "SELECT i.*, it.theme_id FROM ideas i LEFT JOIN idea_themes it ON it.idea_id = i.id WHERE i.workshop_id = ? ORDER BY i.id",
        [workshop_id],
    )
    for i in ideas:
        i["tags"], i["hidden"] = _loads(i["tags"]), bool(i["hidden"])
    cols = collectifs(db, workshop_id)
    return {
        "workshop": dict(w),
        "rounds": _rows(db, "SELECT name, is_open, opened_at, ends_at FROM rounds WHERE workshop_id = ?", [workshop_id]),
        "participants": participants,
        "contacts": contacts,
        "ideas": ideas,
        "themes": _rows(db, "SELECT id, label, renamed FROM themes WHERE workshop_id = ? ORDER BY id", [workshop_id]),
        "votes": _rows(
            db,
            "SELECT participant_id, theme_id, dots FROM votes WHERE workshop_id = ? ORDER BY theme_id, participant_id",
            [workshop_id],
        ),
        "collectifs": cols,
        "merges": _rows(
            db, "SELECT kind, a_id, b_id, status, score FROM merges WHERE workshop_id = ? ORDER BY id", [workshop_id]
        ),
    }


def previous_workshop(db: Database, workshop_id: int) -> int | None:
    row = _one(db, "SELECT previous_id FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return row["previous_id"]
