"""What every aggregate module of the store shares: reading rows, one write transaction (the
room's version bumped first), a read snapshot, JSON columns."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from workshop import db as dbmod
from workshop import engine
from workshop.engine import Database
from workshop.errors import InvalidInput, NotFound, StorageError


def now_iso(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def query_rows(db: Database, sql: str, params: Iterable | Mapping = ()) -> list[dict]:
    try:
        return list(db.query(sql, params if isinstance(params, Mapping) else list(params)))
    except Exception as exc:
        raise _as_storage_error(exc) from exc


def query_one(db: Database, sql: str, params: Iterable | Mapping = ()) -> dict | None:
    rows = query_rows(db, sql, params)
    return rows[0] if rows else None


def insert_row(db: Database, sql: str, params: Iterable) -> int:
    """Run one INSERT and return the new row's id (RETURNING: the same on both engines)."""
    return db.conn.execute(sql + " RETURNING id", list(params)).fetchall()[0][0]


def change_one(db: Database, sql: str, params: Iterable | Mapping, *, missing: str = "err.not_found") -> None:
    """An UPDATE or DELETE meant for exactly one row: none changed means it is not (or no longer)
    there, said with `missing`."""
    if db.conn.execute(sql, params).rowcount != 1:
        raise NotFound(missing)


def _as_storage_error(exc: BaseException) -> BaseException:
    """A database failure as the message a page shows; anything else unchanged."""
    key = engine.error_key(exc)
    if key is None:
        return exc
    return InvalidInput(key, field="") if key == "err.invalid" else StorageError(key)


_SAID_MOVED: set[str] = set()

# The tables that hold what people typed (what a deletion must not leave readable).
TEXT_TABLES = ("workshops", "participants", "contacts", "ideas", "themes", "collectifs", "next_steps", "merges")


def erase_traces(db: Database, *, rewrite: bool) -> None:
    """After deleting people's text: no readable copy left in the database's files (engine)."""
    engine.erase_traces(db, rewrite=rewrite, tables=TEXT_TABLES)


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
        if db.file_path not in _SAID_MOVED:  # said once in the server's log, not once per press
            _SAID_MOVED.add(db.file_path)
            print(
                f"workshop: refusing writes, {db.file_path} was deleted or replaced; `restore` is the way back", file=sys.stderr
            )
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


def json_object(value: str | None) -> dict:
    try:
        out = json.loads(value or "{}")
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def json_loads(value: str | None) -> list:
    try:
        out = json.loads(value or "[]")
    except ValueError:
        return []
    return out if isinstance(out, list) else []


def json_dumps(values: Iterable) -> str:
    return json.dumps(list(values), ensure_ascii=False)
