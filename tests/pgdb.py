"""A PostgreSQL database of a test's own on the throwaway server: copied from a template, dropped after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from workshop import engine

TEMPLATE = "workshop_template"  # migrated once per test session (tests/conftest.py, pg_server)


@contextmanager
def copied_database(admin_url: str, name: str, *, template: str) -> Iterator[str]:
    """Yield the URL of database `name`, a fresh copy of `template` (dropped first if a killed
    run left it behind, and dropped again afterwards)."""
    with engine.connect_postgres(admin_url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with engine.connect_postgres(admin_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
