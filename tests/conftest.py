"""Tiny fixtures: a real database per test, on both engines (a SQLite file, and a database of
its own on a real PostgreSQL server), and an app environment pointing at it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.pgdb import TEMPLATE, copied_database
from workshop import db as dbmod
from workshop import engine, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The throwaway PostgreSQL server (scripts/pg.sh creates and starts it), and a migrated
    template database (for tests that need a database of their own). Returns the admin URL."""
    url = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg.sh"), "start"], check=True, capture_output=True, text=True
    ).stdout.strip()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with engine.connect_postgres(admin) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    dbmod.prepare(url.rsplit("/", 1)[0] + "/" + TEMPLATE)
    return admin


@pytest.fixture(scope="session")
def _pg_session_db(pg_server):
    """This test process's PostgreSQL database, copied from the template once."""
    with copied_database(pg_server, f"test_{os.getpid()}", template=TEMPLATE) as url:
        yield url


@pytest.fixture
def pg_url(_pg_session_db):
    """A migrated PostgreSQL database emptied for this test (every table truncated and its ids
    restarted: 10 ms, where a fresh copy of the template costs 350)."""
    with engine.connect_postgres(_pg_session_db) as conn:
        # A connection a previous test left open must not hold a lock the TRUNCATE waits for.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        tables = [t for t in conn.table_names() if t != "schema_migrations"]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    return _pg_session_db


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "workshop.db"


def pytest_generate_tests(metafunc):
    """Every test that takes a database runs on both engines, but those marked `sqlite_only`
    (what they test is a SQLite file: its WAL, locks, backup, a deleted file)."""
    if "database" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        engines = [engine.SQLITE] if only else [engine.SQLITE, engine.POSTGRESQL]
        metafunc.parametrize("database", engines, indirect=True)


@pytest.fixture
def database(request, db_path):
    """The database target of this test: a SQLite file or a PostgreSQL URL."""
    if request.param == engine.SQLITE:
        return str(db_path)
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(database):
    """A migrated database (a real file in WAL mode, or a real PostgreSQL database), closed after
    the test."""
    conn = dbmod.open_db(database)
    yield conn
    conn.close()


@pytest.fixture
def room(db):
    """A workshop with its contacts and ideas rounds open and two participants."""
    workshop, token = store.create_workshop(db, title="Atelier test", question="Quels cas d'usage ?")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    store.set_round(db, workshop.id, "ideas", is_open=True)
    alice = store.join(db, workshop.code, "Alice", token="tok-alice-000000000000")
    bob = store.join(db, workshop.code, "Bob", token="tok-bob-00000000000000")
    return {"workshop": workshop, "token": token, "alice": alice, "bob": bob}


@pytest.fixture
def app_env(db_path, monkeypatch):
    """Point the app at a fresh database and start from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("WORKSHOP_DB", str(db_path))
    dbmod.prepare(db_path)
    st.cache_data.clear()
    st.cache_resource.clear()
    return db_path


def pytest_collection_modifyitems(config, items):
    """Browser tests carry `e2e`, load tests `slow`: `pytest -m "not e2e and not slow"` is the
    inner loop (the README's test command still runs everything)."""
    for item in items:
        path = str(item.fspath)
        if "/tests/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if path.endswith("test_load.py"):
            item.add_marker(pytest.mark.slow)
        # Thousands of generated examples: the inner loop runs them on SQLite, the full suite on both.
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("slow_on_postgresql") and params.get("database") == "postgresql":
            item.add_marker(pytest.mark.slow)
