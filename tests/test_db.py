"""The connection pool the app's script runs borrow from: reuse, hand-over between threads, and
no connection kept in a doubtful state."""

from __future__ import annotations

import threading

import pytest

from workshop import db as dbmod
from workshop import store


@pytest.fixture
def pool(db_path):
    dbmod.prepare(db_path)
    pool = dbmod.ConnectionPool(db_path, keep=2)
    yield pool
    pool.close()


def test_a_given_back_connection_is_lent_again(pool):
    with pool.connection() as first:
        pass
    with pool.connection() as second:
        assert second is first
        assert second.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.sqlite_only
def test_a_connection_moves_between_threads(pool, room):
    """Streamlit runs each script run on its own thread: a pooled connection must follow."""
    with pool.connection() as conn:
        lent = conn
    seen = {}

    def other_thread() -> None:
        with pool.connection() as conn:
            seen["same"] = conn is lent
            seen["version"] = store.version(conn, room["workshop"].id)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen["same"] and seen["version"] >= 1


def test_error_or_open_transaction_closes_the_connection(pool):
    with pytest.raises(RuntimeError):
        with pool.connection() as conn:
            failed = conn
            raise RuntimeError("boom")
    with pool.connection() as conn:
        assert conn is not failed
        conn.execute("BEGIN IMMEDIATE")  # left open by mistake: never lent to the next run
        dangling = conn
    with pool.connection() as conn:
        assert conn is not dangling
        assert not conn.conn.in_transaction
    # The lock of the dangling transaction was released by closing it: a write goes through.
    with pool.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")


def test_the_pool_keeps_at_most_keep_idle_connections(pool):
    with pool.connection() as a, pool.connection() as b, pool.connection() as c:
        lent = [a, b, c]
    assert len(pool._idle) == 2
    pool.close()
    assert pool._idle == []
    with pytest.raises(Exception, match="closed"):
        lent[0].execute("SELECT 1")
