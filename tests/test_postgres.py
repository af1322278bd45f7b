"""PostgreSQL's own bad days, on the real server: it restarts mid-round, its pool runs out.
(Everything else of the store runs on both engines through the `database` fixture.)"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from workshop import config, engine, store
from workshop import db as dbmod
from workshop.errors import StorageError
from workshop.model import ROUNDS

ROOT = Path(__file__).resolve().parent.parent


def pg(command: str) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), command], check=True, capture_output=True)


@pytest.fixture
def pg_room(pg_url):
    pool = dbmod.PostgresPool(pg_url, size=2, wait_s=1.0, queue=4)
    with pool.connection() as db:
        workshop, _ = store.create_workshop(db, title="Atelier PostgreSQL")
        store.set_round(db, workshop.id, "contacts", is_open=True)
        alice = store.join(db, workshop.code, "Alice", token="tok-alice-pg-0000000000")
    yield pool, workshop, alice
    pool.close()


def test_the_sql_spelling_for_postgresql_keeps_literals_and_casts():
    sql = "SELECT ':x', '50%', a::text FROM t WHERE b = ? AND c = :name AND d LIKE 'a%'"
    assert engine.to_postgres(sql) == "SELECT ':x', '50%%', a::text FROM t WHERE b = %s AND c = %(name)s AND d LIKE 'a%%'"


def test_migrations_apply_once_on_postgresql(pg_url):
    db = dbmod.open_db(pg_url)
    try:
        assert dbmod.applied(db) == [name for name, _ in dbmod.MIGRATIONS]
        assert dbmod.migrate(db) == []  # a second server starting finds nothing to do
        tables = set(db.table_names())
        assert {"workshops", "rounds", "participants", "contacts", "ideas", "participant_copies"} <= tables
        # ids are identity columns: a row inserted with an explicit id (an old import) cannot
        # make the next generated one collide.
        identity = db.execute(
            "SELECT is_identity FROM information_schema.columns WHERE table_name = 'contacts' AND column_name = 'id'"
        ).fetchone()[0]
        assert identity == "YES"
    finally:
        db.close()


@pytest.mark.slow  # restarts the server (~3-8 s): in the full suite, not the inner loop
def test_a_database_restart_mid_round_refuses_clearly_then_writes_resume(pg_room):
    pool, workshop, alice = pg_room
    with pool.connection() as db:
        store.add_contact(db, alice, submission_id="avant", label="Avant", circle="family")
    asked = []  # (when, timeout) of each wait for a connection during the outage
    getconn = pool._pool.getconn
    pool._pool.getconn = lambda timeout=None: asked.append((time.monotonic(), timeout)) or getconn(timeout=timeout)
    pg("stop")
    try:
        with pool.connection() as db:
            with pytest.raises(StorageError) as err:
                store.add_contact(db, alice, submission_id="pendant", label="Pendant", circle="family")
        assert err.value.key == "err.db_unavailable"
        # The broken connection's replacement waits only what is left of the run's one wait (at 5 s
        # each, an outage held every submit 10 s): the message comes within the pool's wait.
        first_deadline = asked[0][0] + asked[0][1]
        assert len(asked) >= 2 and asked[0][1] == pytest.approx(pool.wait_s, abs=0.01)
        assert all(when + timeout <= first_deadline + 1e-3 for when, timeout in asked[1:])
        assert "votre saisie est conservée" in err.value.message("fr")
    finally:
        pg("start")
    # The pool drops its broken connections and opens new ones (it retries with a backoff): the
    # person presses again until it goes through, within seconds, and it lands once.
    for _ in range(40):
        try:
            with pool.connection() as db:
                store.add_contact(db, alice, submission_id="pendant", label="Pendant", circle="family")
            break
        except StorageError as exc:
            assert exc.key == "err.db_unavailable"
            threading.Event().wait(0.5)
    else:
        pytest.fail("writes did not resume within 20 s of the database coming back")
    pool._pool.getconn = getconn
    with pool.connection() as db:
        store.add_contact(db, alice, submission_id="pendant", label="Pendant", circle="family")  # a double press
        labels = [c["label"] for c in store.contacts_of(db, alice.id)]
    assert labels == ["Avant", "Pendant"]


def test_a_connection_a_restart_broke_is_replaced_at_its_first_statement(pg_room):
    """After a quick restart the pool still holds the old connection: the next page run's first
    statement finds it broken, takes a new one and goes on, without an error for the person."""
    pool, workshop, alice = pg_room
    with pool.connection() as db:
        lent = db.conn.raw
    pg("stop")
    pg("start")
    with pool.connection() as db:
        store.add_contact(db, alice, submission_id="apres", label="Après", circle="family")
        assert db.conn.raw is not lent and lent.broken
    with pool.connection() as db:
        assert [c["label"] for c in store.contacts_of(db, alice.id)] == ["Après"]


def test_a_connection_lost_inside_a_write_leaves_nothing_half_written(pg_room, pg_server):
    pool, workshop, alice = pg_room
    with pool.connection() as db:
        before = store.version(db, workshop.id)
        engine.begin_write(db)
        db.conn.execute("INSERT INTO themes (workshop_id, label, created_at) VALUES (?, 'T', 'now')", [workshop.id])
        # The server ends this session (as a restart or an administrator would).
        pid = db.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with engine.connect_postgres(pg_server) as admin:
            admin.execute("SELECT pg_terminate_backend(?)", [pid])
        with pytest.raises(StorageError) as err:
            with store.write(db, workshop.id):
                pass  # already inside the dead transaction: COMMIT fails
        assert err.value.key in ("err.db_unavailable", "err.db_other")
    with pool.connection() as db:
        assert store.counters(db, workshop.id)["themes"] == 0
        assert store.version(db, workshop.id) == before


def test_a_database_nobody_answers_is_said_within_the_default_wait_with_one_wait_per_run(monkeypatch):
    """The server down (nothing listens): the page run waits once (2.5 s by default), then the
    clear message; never a wait per connection attempt."""
    monkeypatch.delenv("WORKSHOP_DB_POOL_WAIT", raising=False)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://workshop@127.0.0.1:{port}/gone"
    default = dbmod.PostgresPool(url)
    assert default.wait_s == config.pool_wait_s() == 2.5 and default._pool.timeout == 2.5
    default.close()
    pool = dbmod.PostgresPool(url, wait_s=0.3)  # the same path, shorter for the inner loop
    asked = []
    getconn = pool._pool.getconn
    pool._pool.getconn = lambda timeout=None: asked.append(timeout) or getconn(timeout=timeout)
    try:
        with pool.connection() as db:
            with pytest.raises(StorageError) as err:
                store.workshops_list(db)
    finally:
        pool.close()
    assert err.value.key == "err.db_unavailable" and "conservée" in err.value.message("fr")
    assert len(asked) == 1 and asked[0] == pytest.approx(0.3, abs=0.01)


def test_an_exhausted_pool_queues_within_its_bound_then_refuses_clearly(pg_url):
    pool = dbmod.PostgresPool(pg_url, size=1, wait_s=0.5, queue=1)
    held, release = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def hold() -> None:
        with pool.connection() as db:
            store.workshops_list(db)
            held.set()
            release.wait(10)

    def wait_in_queue() -> None:
        with pool.connection() as db:
            try:
                store.workshops_list(db)
                outcome["queued"] = "served"
            except StorageError as exc:
                outcome["queued"] = exc.key

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    queued = threading.Thread(target=wait_in_queue)
    queued.start()
    # The queue holds one waiter: a third page run is refused at once, not left hanging.
    for _ in range(100):
        if pool._pool.get_stats().get("requests_waiting", 0) >= 1:
            break
        threading.Event().wait(0.01)
    with pool.connection() as db:
        with pytest.raises(StorageError) as err:
            store.workshops_list(db)
    assert err.value.key == "err.db_locked"
    queued.join(5)
    assert outcome["queued"] == "err.db_unavailable"  # waited its 0.5 s, then a clear refusal
    release.set()
    holder.join(5)
    with pool.connection() as db:  # the connection came back: served again
        assert store.workshops_list(db) == []
    pool.close()


def test_a_workshop_moves_from_sqlite_to_postgresql_and_back_with_its_links(tmp_path, pg_url):
    from workshop import export

    lite = dbmod.open_db(tmp_path / "laptop.db")
    workshop, _ = store.create_workshop(lite, title="Série, atelier 1")
    store.set_round(lite, workshop.id, "ideas", is_open=True)
    alice = store.join(lite, workshop.code, "Alice", token="tok-alice-series-000000")
    store.add_idea(lite, alice, submission_id="i1", text="Une grainothèque au marché")
    data = export.bundle(lite, workshop.id, level="full")
    lite.close()

    hosted = dbmod.open_db(pg_url)
    moved, _ = export.import_bundle(hosted, data, keep_links=True)
    w, person = store.participant_by_token(hosted, "tok-alice-series-000000")  # her link works on the server
    assert w.id == moved.id and person.display_name == "Alice"
    assert store.ideas_frame(hosted, moved.id)["text"].tolist() == ["Une grainothèque au marché"]
    assert set(store.rounds(hosted, moved.id)) == set(ROUNDS)
    back = export.bundle(hosted, moved.id, level="full")
    hosted.close()

    again = dbmod.open_db(tmp_path / "back.db")
    returned, _ = export.import_bundle(again, back, keep_links=True)
    assert store.participant_by_token(again, "tok-alice-series-000000")[0].id == returned.id
    again.close()


@pytest.mark.slow  # restarts the server (~3-8 s): in the full suite, not the inner loop
def test_the_participant_page_keeps_what_was_typed_through_a_database_restart(pg_url, monkeypatch):
    """The real participant page on PostgreSQL: the database goes down as Alice presses Ajouter;
    she reads a clear French message, her entry is still in the form, and pressing again once
    the database is back saves it, once."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", pg_url)
    monkeypatch.setenv("WORKSHOP_DB_POOL_WAIT", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    seed = dbmod.connect(pg_url)
    workshop, _ = store.create_workshop(seed, title="Atelier PostgreSQL")
    store.set_round(seed, workshop.id, "contacts", is_open=True)
    store.join(seed, workshop.code, "Alice", token="tok-alice-pg-page-00000")
    seed.close()

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["p"] = "tok-alice-pg-page-00000"
    at.switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts").run()
    next(w for w in at.text_input if w.key.endswith("_label")).input("J. R.")
    next(w for w in at.button_group if w.key.endswith("_circle")).set_value("clients")
    pg("stop")
    try:
        next(b for b in at.button if b.label == "Ajouter").click().run()
        assert not at.exception
        said = [e.value for e in at.error if "ne répond pas" in e.value]
        assert len(said) == 1 and "saisie est conservée" in said[0]  # said once, in French
        assert next(w for w in at.text_input if w.key.endswith("_label")).value == "J. R."
    finally:
        pg("start")
    for _ in range(40):
        next(b for b in at.button if b.label == "Ajouter").click().run()
        if any("Ajouté" in s.value for s in at.success):
            break
        threading.Event().wait(0.5)
    assert not at.exception
    check = dbmod.connect(pg_url)
    try:
        assert [c["label"] for c in store.contacts_frame(check, workshop.id).to_dict("records")] == ["J. R."]
    finally:
        check.close()
    from workshop import ui

    ui._pool(pg_url).close()  # this test's pool stops reconnecting to a database dropped later
    st.cache_resource.clear()
