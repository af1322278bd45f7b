"""Tiny fixtures: a real SQLite file per test, and an app environment pointing at it."""

from __future__ import annotations

import pytest

from workshop import db as dbmod
from workshop import store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "workshop.db"


@pytest.fixture
def db(db_path):
    """A migrated database in a real file (WAL), closed after the test."""
    conn = dbmod.open_db(db_path)
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
