"""Migrations on databases made by an older version, on both engines: 0003 drops the
vocabulary CHECK lists (languages, rounds) and keeps every row and reference."""

from __future__ import annotations

import re
import sqlite3
from types import SimpleNamespace

import psycopg
import pytest

from tests.pgdb import copied_database
from workshop import db as dbmod
from workshop import engine, store

BEFORE_0003 = ["0001_initial", "0002_participant_copies"]


@pytest.fixture(params=[engine.SQLITE, engine.POSTGRESQL])
def empty_target(request, tmp_path):
    """A database that exists but has no table yet."""
    if request.param == engine.SQLITE:
        yield str(tmp_path / "old.db")
        return
    admin = request.getfixturevalue("pg_server")
    with copied_database(admin, "migration_test", template="template0") as url:
        yield url


def _old_database(target: str, monkeypatch) -> None:
    """The database as the version before 0003 left it, with a room in it."""
    with monkeypatch.context() as patched:
        patched.setattr(dbmod, "MIGRATIONS", [m for m in dbmod.MIGRATIONS if m[0] in BEFORE_0003])
        db = dbmod.open_db(target)
    try:
        assert dbmod.applied(db) == BEFORE_0003
        # Rows written as that version wrote them (today's store writes columns it did not have).
        engine.begin_write(db)
        db.conn.execute(
            "INSERT INTO workshops (code, title, language, retention_date, created_at, facilitator_hash, secret)"
            " VALUES ('OLD234', 'Atelier ancien', 'en', '2099-01-01', '2026-01-01T10:00:00+00:00', 'h', 's')"
        )
        (workshop_id,) = db.conn.execute("SELECT id FROM workshops WHERE code = 'OLD234'").fetchone()
        workshop = SimpleNamespace(id=workshop_id, code="OLD234")
        monkeypatch.setenv("OLD_CODE", workshop.code)
        for name in ("contacts", "ideas", "vote", "collectifs"):
            db.conn.execute("INSERT INTO rounds (workshop_id, name) VALUES (?, ?)", [workshop_id, name])
        db.conn.execute(
            "UPDATE rounds SET is_open = 1, opened_at = '2026-01-01T10:00:00+00:00' WHERE workshop_id = ? AND name = 'contacts'",
            [workshop.id],
        )
        db.conn.execute(
            "INSERT INTO participants (workshop_id, display_name, token_hash, joined_at) VALUES (?, 'Alice', 'h-alice', '2026-01-01T10:00:00+00:00')",
            [workshop.id],
        )
        (alice_id,) = db.conn.execute("SELECT id FROM participants WHERE token_hash = 'h-alice'").fetchone()
        db.conn.execute(
            "INSERT INTO contacts (workshop_id, participant_id, label, circle, submission_id, created_at, updated_at)"
            " VALUES (?, ?, 'Zoé Martin', 'family', 's1', '2026-01-01', '2026-01-01')",
            [workshop.id, alice_id],
        )
        engine.end(db, commit=True)
        # The old schema refuses a language it does not list.
        with pytest.raises((sqlite3.IntegrityError, psycopg.errors.IntegrityError)):
            engine.begin_write(db)
            try:
                db.conn.execute("UPDATE workshops SET language = 'de'")
            finally:
                engine.end(db, commit=False)
    finally:
        db.close()


def _checks(db) -> str:
    """Every CHECK constraint's text on the two tables, as the engine stores it."""
    if engine.of(db) == engine.SQLITE:
        rows = db.conn.execute("SELECT sql FROM sqlite_master WHERE name IN ('workshops', 'rounds')").fetchall()
        return " ".join(re.findall(r"CHECK \((?:[^()]|\([^()]*\))*\)", " ".join(r[0] for r in rows)))
    rows = db.conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid IN ('workshops'::regclass, 'rounds'::regclass) AND contype = 'c'"
    ).fetchall()
    return " ".join(r[0] for r in rows)


def test_0003_drops_the_vocabulary_lists_and_keeps_every_row(empty_target, monkeypatch):
    _old_database(empty_target, monkeypatch)
    old = dbmod.connect(empty_target)
    assert "'fr'" in _checks(old) and "'contacts'" in _checks(old)  # what 0003 removes was there
    old.close()
    db = dbmod.open_db(empty_target)
    try:
        assert dbmod.applied(db) == [name for name, _ in dbmod.MIGRATIONS]
        assert dbmod.applied(db)[:3] == BEFORE_0003 + ["0003_vocabularies_in_code"]
        assert "'fr'" not in _checks(db) and "'contacts'" not in _checks(db)
        workshop = store.workshop_by_code(db, __import__("os").environ["OLD_CODE"])
        assert workshop.language == "en"
        contacts = store.contacts_frame(db, workshop.id)
        assert list(contacts["label"]) == ["Zoé Martin"]
        assert store.rounds(db, workshop.id)["contacts"].is_open is True
        # 0004: every earlier participant is a real one, every round without a planned timer.
        assert store.participants_frame(db, workshop.id)["rehearsal"].tolist() == [False]
        assert {r.planned_minutes for r in store.rounds(db, workshop.id).values()} == {0}
        if engine.of(db) == engine.SQLITE:
            assert db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert db.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The database no longer decides which words exist; the code still does (model.LANGUAGES).
        engine.begin_write(db)
        db.conn.execute("UPDATE workshops SET language = 'de'")
        engine.end(db, commit=False)
        # Deleting the room still cascades through the rebuilt definitions.
        store.delete_workshop(db, workshop.id)
        assert store.contacts_frame(db, workshop.id).empty
    finally:
        db.close()
