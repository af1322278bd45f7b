"""Workshops: creation, settings, the facilitator's key, the version live views poll."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

from workshop import config, engine, security, validation
from workshop.engine import Database
from workshop.errors import AccessDenied, InvalidInput, NotFound
from workshop.model import LANGUAGES, LIMITS, PROJECTOR_VIEWS, RETENTION_DAYS, ROUNDS, Workshop
from workshop.store.base import insert_row, json_object, now_iso, query_one, write

_WORKSHOP_COLUMNS = (
    "id, code, title, language, question, join_locked, retention_date, created_at, show_labels,"
    " anonymous, public_base_url, vote_dots, projector_view, version, settings, grouped_at"
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
        settings=validation.clean_view_settings(json_object(row["settings"])),
        grouped_at=row["grouped_at"],
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
    """Create a workshop; returns it with the facilitator token (only its keyed hash is stored)."""
    title, question = clean_new_workshop(title=title, language=language, question=question, retention_days=retention_days)
    base_url = clean_base_url(public_base_url)
    token = token or security.new_token()
    created = now or dt.datetime.now(dt.UTC)
    retention = (created.date() + dt.timedelta(days=retention_days)).isoformat()
    with write(db, None):
        for _ in range(20):
            code = security.new_code()
            if not query_one(db, "SELECT 1 FROM workshops WHERE code = ?", [code]):
                break
        new_id = insert_row(
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


def clean_new_workshop(*, title: str, language: str, question: str, retention_days: int) -> tuple[str, str]:
    """A new workshop's title and question as stored; raises InvalidInput for anything refused."""
    title = validation.clean_text(title, field="field.title", max_len=LIMITS["title"])
    question = validation.clean_text(question, field="field.question", max_len=LIMITS["question"], required=False, multiline=True)
    if language not in LANGUAGES:
        raise InvalidInput("err.invalid", field="field.language")
    if not isinstance(retention_days, int) or not RETENTION_DAYS[0] <= retention_days <= RETENTION_DAYS[1]:
        raise InvalidInput("err.retention")
    return title, question


def clean_base_url(url: object) -> str:
    url = validation.clean_text(url, field="field.base_url", max_len=200, required=False)
    if url and not (url.startswith("http://") or url.startswith("https://")):
        raise InvalidInput("err.base_url")
    return url.rstrip("/")


def get_workshop(db: Database, workshop_id: int) -> Workshop:
    row = query_one(db, f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return _workshop(row)


def workshop_by_code(db: Database, code: str) -> Workshop:
    code = validation.clean_code(code)
    row = query_one(db, f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE code = ?", [code])
    if not row:
        raise NotFound("err.no_workshop")
    return _workshop(row)


def workshop_by_facilitator_token(db: Database, token: str) -> Workshop | None:
    """The workshop this facilitator token opens, None if none (current hashes only)."""
    row = query_one(
        db, f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE facilitator_hash = ?", [security.hash_facilitator_token(token)]
    )
    return _workshop(row) if row else None


def workshop_secret(db: Database, workshop_id: int) -> str:
    """The key export pseudonyms are made with: the workshop's secret keyed with the master key
    kept outside the database (config.pseudonym_master)."""
    row = query_one(db, "SELECT secret FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    key_dir = Path(db.file_path).parent if engine.of(db) == engine.SQLITE else config.data_dir()
    return security.pseudonym_key(config.pseudonym_master(key_dir), row["secret"])


def authenticate_facilitator(
    db: Database, code: str, token: str, *, client: str = "local", limiter: security.RateLimiter | None = None
) -> Workshop:
    """The workshop if the token is its facilitator token; the refusal says nothing more (the
    policy, rate limits and hash upgrades, is security.admit_facilitator's)."""
    try:
        code = validation.clean_code(code)
    except InvalidInput:
        raise AccessDenied("err.facilitator") from None
    row = query_one(db, "SELECT id, facilitator_hash FROM workshops WHERE code = ?", [code])
    upgraded = security.admit_facilitator(row["facilitator_hash"] if row else None, token, client=client, limiter=limiter)
    if upgraded:  # a legacy hash, replaced once: later checks cost microseconds
        with write(db, None):
            db.conn.execute("UPDATE workshops SET facilitator_hash = ? WHERE id = ?", [upgraded, row["id"]])
    return get_workshop(db, row["id"])


def version_and_view(db: Database, workshop_id: int) -> tuple[int, str, dict]:
    """The data version, the wall's view and its display settings, in one read: what a wall's
    pulse compares."""
    row = query_one(db, "SELECT version, projector_view, settings FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return row["version"], row["projector_view"], validation.clean_view_settings(json_object(row["settings"]))


def version(db: Database, workshop_id: int) -> int:
    """The workshop's change counter: live views recompute only when it moves."""
    row = query_one(db, "SELECT version FROM workshops WHERE id = ?", [workshop_id])
    if not row:
        raise NotFound("err.no_workshop")
    return row["version"]


DISPLAY_ONLY = {"projector_view"}  # settings that change what the wall shows, not what it shows it from
# The network's view, colours, sizes and filters: every reading that uses them takes them as an
# argument (its cache key), none reads them at a data version.
DISPLAY_ONLY_VIEW_SETTINGS = {"net_view", "color_by", "size_by", "filters"}
_SETTABLE = {
    "title": lambda v: validation.clean_text(v, field="field.title", max_len=LIMITS["title"]),
    "question": lambda v: validation.clean_text(
        v, field="field.question", max_len=LIMITS["question"], required=False, multiline=True
    ),
    "language": lambda v: _choice(v, LANGUAGES, "field.language"),
    "retention_date": lambda v: _future_date(v),
    "show_labels": bool,
    "anonymous": bool,
    "join_locked": bool,
    "public_base_url": clean_base_url,
    "vote_dots": lambda v: _int_between(v, 1, 20, "field.vote_dots"),
    "projector_view": lambda v: _choice(v, PROJECTOR_VIEWS, "field.view"),
}


def _choice(value, allowed, field):
    if value not in allowed:
        raise InvalidInput("err.invalid", field=field)
    return value


def _int_between(value, low, high, field):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput("err.invalid", field=field)
    return value


def iso_date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput("err.invalid", field="field.retention") from None


def _future_date(value) -> str:
    """A deletion date: today or later (a typo a year back would delete the workshop)."""
    day = iso_date(value)
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
    if "retention_date" in changes and iso_date(changes["retention_date"]) == get_workshop(db, workshop_id).retention_date:
        del changes["retention_date"]  # unchanged: saving other settings never trips on it
    cleaned = {name: _SETTABLE[name](value) for name, value in changes.items()}
    if cleaned:
        assignments = ", ".join(f"{name} = ?" for name in cleaned)
        # Switching the wall's view changes no data: the version (every cached reading's key)
        # stays, so a view computed at this version shows again at once; the walls notice the
        # switch by their pulse (version_and_view).
        display_only = set(cleaned) <= DISPLAY_ONLY
        with write(db, None if display_only else workshop_id):
            db.conn.execute(f"UPDATE workshops SET {assignments} WHERE id = ?", [*cleaned.values(), workshop_id])
    return get_workshop(db, workshop_id)


def update_view_settings(db: Database, workshop_id: int, **settings) -> dict:
    """Merge projector display settings (colour mode, filters) into the workshop's settings JSON;
    only known keys with allowed values are kept. Display settings alone move no data version
    (the walls notice them by their pulse, version_and_view)."""
    display_only = set(settings) <= DISPLAY_ONLY_VIEW_SETTINGS
    with write(db, None if display_only else workshop_id):
        row = query_one(db, "SELECT settings FROM workshops WHERE id = ?", [workshop_id])
        current = validation.clean_view_settings({**json_object(row["settings"]), **settings})
        db.conn.execute(
            "UPDATE workshops SET settings = ? WHERE id = ?",
            [json.dumps(current, ensure_ascii=False), workshop_id],
        )
    return current
