"""Faults: a database held by another process, a full disk, a read-only database. Writes wait
and succeed, or fail with a clear message, keep the input, and leave nothing half-written."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop import db as dbmod
from workshop import rooms, store, ui
from workshop.errors import StorageError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.sqlite_only
def test_write_waits_for_a_backup_holding_the_lock(db_path, room):
    """Another process holds the write lock for 1.5 s (a backup): the write waits, then lands."""
    holder = sqlite3.connect(str(db_path), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    release.start()
    conn = dbmod.connect(db_path)
    started = time.monotonic()
    cid = store.add_contact(conn, room["alice"], submission_id="during-backup", label="Patient", circle="family")
    assert time.monotonic() - started >= 1.0
    assert store.contact(conn, room["alice"], cid)["label"] == "Patient"
    conn.close()
    release.join()
    holder.close()


def _full(conn) -> None:
    """Make SQLite believe the disk is full: no page may be added any more."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


@pytest.mark.parametrize(
    "breaker,key",
    [(_full, "err.db_full"), (lambda c: c.execute("PRAGMA query_only = ON"), "err.db_readonly")],
)
@pytest.mark.sqlite_only
def test_full_or_read_only_database_gives_clear_error(db_path, room, breaker, key):
    conn = dbmod.connect(db_path)
    breaker(conn)
    before = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    with pytest.raises(StorageError) as err:
        for i in range(200):  # enough rows to need a new page
            store.add_contact(conn, room["alice"], submission_id=f"f{i}", label="X" * 50 + str(i), circle="family")
    assert err.value.key == key
    assert "saisie est conservée" in err.value.message("fr")
    conn.close()
    check = dbmod.connect(db_path)
    assert store.version(check, room["workshop"].id) >= 0  # the database is intact and readable
    assert check.execute("SELECT count(*) FROM contacts").fetchone()[0] >= before
    check.close()


@pytest.mark.sqlite_only
def test_participant_keeps_input_when_the_database_is_read_only(app_env, monkeypatch):
    conn = dbmod.connect(app_env)
    workshop, _ = store.create_workshop(conn, title="Disque")
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    store.join(conn, workshop.code, "Alice", token="tok-alice-readonly-000")
    conn.close()
    real_connect = dbmod.connect

    def read_only(path, **options):
        c = real_connect(path, **options)
        c.execute("PRAGMA query_only = ON")
        return c

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["p"] = "tok-alice-readonly-000"
    at.switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts").run()
    label = next(w for w in at.text_input if w.key.endswith("_label"))
    label.input("Marie D.")
    circle = next(w for w in at.button_group if w.key.endswith("_circle"))
    circle.set_value("family")
    monkeypatch.setattr(dbmod, "connect", read_only)
    ui._pool(str(app_env)).close()  # the pooled connections go; new ones come from read_only
    submit = next(b for b in at.button if b.label == "Ajouter")
    submit.click().run()
    assert not at.exception
    assert any("lecture seule" in e.value for e in at.error)
    kept = next(w for w in at.text_input if w.key.endswith("_label"))
    assert kept.value == "Marie D."  # the form was not rotated: the text is still there
    monkeypatch.setattr(dbmod, "connect", real_connect)
    conn = dbmod.connect(app_env)
    assert store.counters(conn, workshop.id)["contacts"] == 0
    conn.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("how", ["delete", "replace", "copy over"])
def test_writes_are_refused_once_the_file_is_deleted_or_replaced(db_path, room, how):
    """`rm` of the live database, another file moved over it, or a backup copied over it in place
    (same inode): no write is confirmed after, on this connection or a new one."""
    import os
    import shutil

    conn = dbmod.connect(db_path)
    store.add_contact(conn, room["alice"], submission_id="before", label="Avant", circle="family")
    if how == "delete":
        for path in db_path.parent.glob(db_path.name + "*"):
            path.unlink()
    else:
        copy = db_path.with_name("copy.db")
        dbmod.backup(db_path, copy)
        if how == "replace":
            shutil.move(copy, db_path)  # a new file (new inode) under the same name
        else:
            shutil.copyfile(copy, db_path)  # the same inode, another file's bytes
    with pytest.raises(StorageError) as err:
        store.add_contact(conn, room["alice"], submission_id="after", label="Après", circle="family")
    assert err.value.key == "err.db_moved" and "saisie est conservée" in err.value.message("fr")
    if how == "copy over":
        late = dbmod.connect(db_path)  # a connection the pool opens afterwards is refused too
        with pytest.raises(StorageError):
            store.add_contact(late, room["alice"], submission_id="late", label="Tard", circle="family")
        late.close()
    conn.close()
    if how == "replace":
        check = dbmod.connect(db_path)
        assert [c["label"] for c in store.contacts_of(check, room["alice"].id)] == ["Avant"]
        check.close()
    assert os.path.exists(db_path) == (how != "delete")


@pytest.mark.sqlite_only
def test_backup_while_the_room_writes_then_restore_loses_nothing(db_path, room, tmp_path):
    """A consistent online copy: every write confirmed before the backup began is in it, the copy
    passes the integrity check, and restoring it in place brings those writes back."""
    acked: list[tuple[float, int]] = []
    stop = threading.Event()

    def writer() -> None:
        conn = dbmod.connect(db_path)
        n = 0
        while not stop.is_set() and n < 900:
            who = room["alice"] if n % 2 else room["bob"]
            cid = store.add_contact(conn, who, submission_id=f"w{n}", label=f"Contact {n}", circle="family")
            acked.append((time.monotonic(), cid))
            n += 1
            time.sleep(0.002)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    dbmod.backup(db_path, tmp_path / "backup.db")
    time.sleep(0.2)
    stop.set()
    thread.join()
    before_backup = {cid for at, cid in acked if at < started}
    after_backup = {cid for at, cid in acked if at >= started}
    assert len(before_backup) > 10 and after_backup
    copy = sqlite3.connect(str(tmp_path / "backup.db"))
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    dbmod.restore(db_path, tmp_path / "backup.db")
    conn = dbmod.connect(db_path)
    restored = {c["id"] for p in ("alice", "bob") for c in store.contacts_of(conn, room[p].id)}
    conn.close()
    assert before_backup <= restored
    assert list(db_path.parent.glob("*.partial")) == []


@pytest.mark.sqlite_only
def test_restore_refuses_a_file_that_is_not_a_workshop_database(db_path, room, tmp_path):
    bogus = tmp_path / "bogus.db"
    sqlite3.connect(str(bogus)).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(sqlite3.DatabaseError):
        dbmod.restore(db_path, bogus)
    conn = dbmod.connect(db_path)
    assert store.get_workshop(conn, room["workshop"].id).title == "Atelier test"
    conn.close()


@pytest.mark.sqlite_only
def test_reads_that_must_agree_see_one_moment_while_the_room_writes(db_path, room):
    """Participants join and add a contact at once while the room and the export are read: no
    read ever holds a contact whose participant is missing, and every export validates."""
    from workshop import export

    wid, code = room["workshop"].id, room["workshop"].code
    setup = dbmod.connect(db_path)
    store.update_view_settings(setup, wid, joins_per_minute=2000, max_participants=2000)  # 400 join in a second
    setup.close()
    stop = threading.Event()

    def writer() -> None:
        conn = dbmod.connect(db_path)
        n = 0
        while not stop.is_set() and n < 400:
            p = store.join(conn, code, f"P{n}", token=f"tok-torn-{n:018d}")
            store.add_contact(conn, p, submission_id=f"t{n}", label=f"Contact {n}", circle="family")
            n += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    reader = dbmod.connect(db_path)
    torn = reads = 0
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            room_now = rooms.load(reader, wid)
            rows = store.workshop_rows(reader, wid)
            known = set(room_now.participants["id"]) | {p["id"] for p in rows["participants"]}
            torn += not set(room_now.contacts["participant_id"]) <= set(room_now.participants["id"])
            torn += not {c["participant_id"] for c in rows["contacts"]} <= {p["id"] for p in rows["participants"]}
            reads += 1
            assert known
        for _ in range(3):
            export.validate_payload(export.payload(reader, wid))
    finally:
        stop.set()
        thread.join()
        reader.close()
    assert reads > 5 and torn == 0


@pytest.mark.sqlite_only
def test_checking_the_files_header_keeps_sqlites_locks_so_other_processes_see_every_write(db_path, room):
    """Each write reads the file's header (a copy in place is refused); closing a descriptor of the
    file would drop SQLite's POSIX locks: another process closing its connection then believes it
    is alone, checkpoints and deletes the WAL, and this process's next writes are seen by nobody."""
    import subprocess
    import sys

    conn = dbmod.connect(db_path)
    store.add_contact(conn, room["alice"], submission_id="one", label="Un", circle="family")
    count = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM contacts').fetchone()[0]); c.close()"
    assert (
        subprocess.run([sys.executable, "-c", count, str(db_path)], capture_output=True, text=True, check=True).stdout.strip()
        == "1"
    )
    store.add_contact(conn, room["alice"], submission_id="two", label="Deux", circle="family")
    seen = subprocess.run([sys.executable, "-c", count, str(db_path)], capture_output=True, text=True, check=True).stdout.strip()
    assert seen == "2" and db_path.with_name(db_path.name + "-wal").exists()
    conn.close()
