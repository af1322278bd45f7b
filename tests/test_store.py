"""The store on a real SQLite file: migrations, isolation, atomic and idempotent writes, refusals."""

from __future__ import annotations

import sqlite3

import pytest

from workshop import db as dbmod
from workshop import engine, rooms, store
from workshop.errors import AccessDenied, InvalidInput, NotFound, RoundClosed, StorageError


def test_migrations_apply_on_empty_db_and_reapply_is_noop(db_path):
    conn = dbmod.open_db(db_path)
    applied = dbmod.applied(conn)
    assert applied == [name for name, _ in dbmod.MIGRATIONS] and applied[-1] == "0007_workshops_by_facilitator_hash"
    tables = set(conn.table_names())
    for table in (
        "workshops",
        "rounds",
        "participants",
        "contacts",
        "ideas",
        "themes",
        "idea_themes",
        "votes",
        "collectifs",
        "collectif_members",
        "collectif_contacts",
        "next_steps",
        "merges",
        "participant_copies",
    ):
        assert table in tables
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    conn = dbmod.open_db(db_path)
    assert dbmod.applied(conn) == applied
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_create_workshop_stores_only_hashes(db):
    workshop, token = store.create_workshop(db, title="Atelier", language="en", question="Q?")
    row = db.execute("SELECT facilitator_hash, code FROM workshops").fetchone()
    assert token not in row[0] and row[0].startswith("hmac-sha256$")
    assert len(workshop.code) == 6 and set(workshop.code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    assert store.authenticate_facilitator(db, workshop.code.lower(), token).id == workshop.id
    with pytest.raises(AccessDenied):
        store.authenticate_facilitator(db, workshop.code, token + "x")
    with pytest.raises(AccessDenied):
        store.authenticate_facilitator(db, "ZZZZZZ", token)


def test_participant_token_is_hashed_and_resumes(db, room):
    raw = db.execute("SELECT token_hash FROM participants WHERE display_name = 'Alice'").fetchone()[0]
    assert raw != "tok-alice-000000000000" and len(raw) == 64
    workshop, alice = store.participant_by_token(db, "tok-alice-000000000000")
    assert (workshop.id, alice.display_name) == (room["workshop"].id, "Alice")
    with pytest.raises(AccessDenied):
        store.participant_by_token(db, "stale-or-made-up-token")


def test_join_is_idempotent_by_token(db, room):
    again = store.join(db, room["workshop"].code, "Alice", token="tok-alice-000000000000")
    assert again.id == room["alice"].id
    assert db.execute("SELECT count(*) FROM participants").fetchone()[0] == 2


@pytest.mark.parametrize("name", ["", "   ", "\x00\x01", "\u200b"])
def test_join_refuses_empty_names(db, room, name):
    with pytest.raises(InvalidInput):
        store.join(db, room["workshop"].code, name, token="tok-new-0000000000000")
    assert db.execute("SELECT count(*) FROM participants").fetchone()[0] == 2


def test_join_refuses_wrong_or_locked_code(db, room):
    with pytest.raises(NotFound):
        store.join(db, "ZZZZZZ", "Carol", token="tok-carol-0000000000")
    store.update_workshop(db, room["workshop"].id, join_locked=True)
    with pytest.raises(RoundClosed):
        store.join(db, room["workshop"].code, "Carol", token="tok-carol-0000000000")
    assert db.execute("SELECT count(*) FROM participants").fetchone()[0] == 2


def test_workshops_are_isolated(db, room):
    other, _ = store.create_workshop(db, title="Autre atelier")
    store.set_round(db, other.id, "contacts", is_open=True)
    carol = store.join(db, other.code, "Carol", token="tok-carol-0000000000")
    cid = store.add_contact(db, carol, submission_id="s-carol-1", label="X. Y.", circle="family")
    store.add_contact(db, room["alice"], submission_id="s-alice-1", label="M. D.", circle="clients")
    assert store.counters(db, other.id)["contacts"] == 1
    assert store.counters(db, room["workshop"].id)["contacts"] == 1
    # Alice cannot edit, delete or moderate anything of the other workshop.
    with pytest.raises(NotFound):
        store.delete_contact(db, room["alice"], cid)
    with pytest.raises(NotFound):
        store.set_blocked(db, room["workshop"].id, carol.id, blocked=True)
    with pytest.raises(AccessDenied):
        store.add_contact(db, room["alice"], submission_id="s-carol-1", label="hijack", circle="family")


def test_add_contact_idempotent_and_confirmed(db, room):
    alice = room["alice"]
    first = store.add_contact(
        db,
        alice,
        submission_id="sid-1",
        label="  Marie   Dupont ",
        circle="former_colleagues",
        flows=["trust", "knowledge"],
        dormant=True,
        last_contact_year=2012,
    )
    second = store.add_contact(db, alice, submission_id="sid-1", label="Marie Dupont", circle="former_colleagues")
    assert first == second
    saved = store.contact(db, alice, first)
    assert saved["label"] == "Marie Dupont"
    assert saved["flows"] == ["knowledge", "trust"]
    assert saved["dormant"] is True and saved["last_contact_year"] == 2012
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1


def test_ownership_of_contacts_and_ideas(db, room):
    cid = store.add_contact(db, room["alice"], submission_id="a1", label="A.B.", circle="family")
    iid = store.add_idea(db, room["alice"], submission_id="i1", text="Partager")
    for call in (
        lambda: store.update_contact(db, room["bob"], cid, label="hacked"),
        lambda: store.delete_contact(db, room["bob"], cid),
        lambda: store.update_idea(db, room["bob"], iid, text="hacked"),
        lambda: store.withdraw_idea(db, room["bob"], iid),
    ):
        with pytest.raises(NotFound):
            call()
    assert store.contact(db, room["alice"], cid)["label"] == "A.B."


def test_closed_round_refuses_writes(db, room):
    store.set_round(db, room["workshop"].id, "contacts", is_open=False)
    with pytest.raises(RoundClosed):
        store.add_contact(db, room["alice"], submission_id="x", label="A", circle="family")
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0


def test_blocked_participant_refused_and_hidden(db, room):
    store.add_idea(db, room["bob"], submission_id="b1", text="Idée de Bob")
    store.set_blocked(db, room["workshop"].id, room["bob"].id, blocked=True)
    with pytest.raises(AccessDenied):
        store.participant_by_token(db, "tok-bob-00000000000000")
    with pytest.raises(AccessDenied):
        store.add_idea(db, room["bob"], submission_id="b2", text="encore")
    assert store.counters(db, room["workshop"].id)["ideas"] == 0
    assert store.ideas_frame(db, room["workshop"].id).empty


def test_oversized_input_refused_with_nothing_written(db, room):
    with pytest.raises(InvalidInput) as err:
        store.add_idea(db, room["alice"], submission_id="big", text="x" * 10_000)
    assert "280" in err.value.message("fr")
    assert db.execute("SELECT count(*) FROM ideas").fetchone()[0] == 0


def test_write_is_atomic_on_failure(db, room):
    """A transaction that fails half-way leaves nothing behind (and the version unchanged)."""
    before = store.version(db, room["workshop"].id)
    with pytest.raises(RuntimeError):
        with store.write(db, room["workshop"].id):
            db.conn.execute("INSERT INTO themes (workshop_id, label, created_at) VALUES (?, 'T', 'now')", [room["workshop"].id])
            raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM themes").fetchone()[0] == 0
    assert store.version(db, room["workshop"].id) == before


@pytest.mark.sqlite_only
def test_locked_database_gives_clear_error_and_keeps_nothing(db_path, room, monkeypatch):
    monkeypatch.setenv("WORKSHOP_BUSY_TIMEOUT", "0.2")
    blocker = sqlite3.connect(str(db_path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        conn = dbmod.connect(db_path)
        with pytest.raises(StorageError) as err:
            store.add_idea(conn, room["alice"], submission_id="locked", text="attend")
        assert "occupée" in err.value.message("fr")
        conn.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    conn = dbmod.connect(db_path)
    assert conn.execute("SELECT count(*) FROM ideas").fetchone()[0] == 0
    conn.close()


def test_rounds_timer_and_current(db, room):
    import datetime as dt

    wid = room["workshop"].id
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=1)  # after the fixture
    store.set_round(db, wid, "vote", is_open=True, minutes=5, now=now)
    r = store.rounds(db, wid)["vote"]
    assert store.seconds_left(r, now=now + dt.timedelta(seconds=90)) == 210
    assert store.seconds_left(r, now=now + dt.timedelta(minutes=10)) == 0
    assert store.current_round(db, wid).name == "vote"
    with pytest.raises(InvalidInput):
        store.set_round(db, wid, "lunch", is_open=True)


def test_moderation_hide_and_delete(db, room):
    wid = room["workshop"].id
    iid = store.add_idea(db, room["alice"], submission_id="m1", text="À cacher")
    store.set_idea_hidden(db, wid, iid, hidden=True)
    assert store.counters(db, wid)["ideas"] == 0
    assert store.ideas_frame(db, wid, include_hidden=True)["hidden"].tolist() == [True]
    store.delete_idea(db, wid, iid)
    assert store.ideas_frame(db, wid, include_hidden=True).empty
    other, _ = store.create_workshop(db, title="Autre")
    with pytest.raises(NotFound):
        store.delete_idea(db, other.id, iid)


def test_delete_participant_removes_everything(db, room):
    wid = room["workshop"].id
    a1 = store.add_contact(db, room["alice"], submission_id="d1", label="Marie Dupont", circle="family")
    b1 = store.add_contact(db, room["bob"], submission_id="d2", label="M. Dupont", circle="family")
    store.add_idea(db, room["alice"], submission_id="d3", text="Une idée")
    store.decide_merge(db, wid, kind="contact", a_id=a1, b_id=b1, status="confirmed")
    store.delete_participant(db, room["alice"])
    assert db.execute("SELECT count(*) FROM contacts WHERE participant_id = ?", [room["alice"].id]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM ideas").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM merges").fetchone()[0] == 0
    with pytest.raises(AccessDenied):
        store.participant_by_token(db, "tok-alice-000000000000")


def test_purge_leaves_no_text_in_the_file(db_path):
    conn = dbmod.open_db(db_path)
    w, _ = store.create_workshop(conn, title="Secret", question="")
    store.set_round(conn, w.id, "contacts", is_open=True)
    p = store.join(conn, w.code, "Zoé", token="tok-zoe-0000000000000")
    for i in range(50):
        store.add_contact(conn, p, submission_id=f"z{i}", label=f"Quentin Tarantino-Unique {i}", circle="hobby")
    store.delete_workshop(conn, w.id)
    conn.close()
    for path in db_path.parent.glob("workshop.db*"):
        assert b"Tarantino-Unique" not in path.read_bytes()


ROOM_TABLES = ("rounds", "participants", "contacts", "ties", "ideas", "themes", "votes", "collectifs", "merges")


def _rows_of(db, workshop_id: int) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t} WHERE workshop_id = ?", [workshop_id]).fetchone()[0] for t in ROOM_TABLES}


def test_purge_expired_deletes_every_row_of_the_expired_room_only(db):
    import datetime as dt

    from workshop import demo

    old = demo.seed_demo(db, participants=6, seed=3, title="Vieux").workshop
    keep = demo.seed_demo(db, participants=6, seed=4, title="Récent").workshop
    store.update_workshop(db, old.id, retention_date=dt.date.today() + dt.timedelta(days=1))
    store.update_workshop(db, keep.id, retention_date=dt.date.today() + dt.timedelta(days=30))
    kept_before = _rows_of(db, keep.id)
    assert min(_rows_of(db, old.id)[t] for t in ("participants", "contacts", "ties", "ideas", "themes")) > 0
    assert store.purge_expired(db, today=dt.date.today() + dt.timedelta(days=5)) == 1
    assert [w["id"] for w in store.workshops_list(db)] == [keep.id]
    assert _rows_of(db, old.id) == dict.fromkeys(ROOM_TABLES, 0)
    assert _rows_of(db, keep.id) == kept_before


def test_deleted_participant_leaves_no_trace_in_counters_or_exports(db, room):
    from workshop import export, network

    wid = room["workshop"].id
    store.add_contact(db, room["alice"], submission_id="gone-1", label="Hélène Privée", circle="family")
    store.add_idea(db, room["alice"], submission_id="gone-2", text="Idée d'Alice")
    store.add_contact(db, room["bob"], submission_id="stay-1", label="Contact de Bob", circle="family")
    store.delete_participant(db, room["alice"])
    assert store.counters(db, wid)["participants"] == 1 and store.counters(db, wid)["contacts"] == 1
    doc = export.payload(db, wid, level="full")
    blob = str(doc)
    assert "Alice" not in blob and "Hélène Privée" not in blob and "Idée d'Alice" not in blob
    g = network.build_graph(rooms.load(db, wid))
    assert "Hélène Privée" not in g.vs["label"] and "Alice" not in g.vs["label"]


@pytest.mark.sqlite_only
def test_deleting_ones_data_behind_a_long_read_does_not_stall_the_rooms_writes(db, db_path, room):
    """An export holding its snapshot while someone deletes their data: the deletion returns at
    once and the room keeps writing (the checkpoint that empties the WAL waited for the reader
    holding the writer lock: writes stalled behind it); the words leave every file once the read ends."""
    import threading

    for n in range(30):
        store.add_contact(db, room["alice"], submission_id=f"s{n}", label=f"Zéphyrine-Longue {n}", circle="family")
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()  # a long export's snapshot
    deleted = threading.Event()
    deleting = threading.Thread(target=lambda: (store.delete_participant(dbmod.connect(db_path), room["alice"]), deleted.set()))
    deleting.start()
    assert deleted.wait(3), "the deletion waited for the reader"
    writer = dbmod.connect(db_path)
    writer.conn.execute("PRAGMA busy_timeout = 300")
    store.add_contact(writer, room["bob"], submission_id="pendant", label="Pendant", circle="family")  # not stalled
    assert engine.erasing(str(db_path))  # the words still wait in the log for the reader
    reader.execute("COMMIT")
    reader.close()
    for _ in range(100):
        if not engine.erasing(str(db_path)):
            break
        threading.Event().wait(0.05)
    for path in db_path.parent.glob(db_path.name + "*"):
        assert "Zéphyrine-Longue".encode() not in path.read_bytes(), path.name
    writer.close()


@pytest.mark.sqlite_only
def test_erased_text_leaves_no_trace_in_the_database_or_its_wal(db, db_path, room):
    """'Delete my data': secure_delete zeroes the freed pages and a checkpoint empties the WAL,
    so the erased words are in no file of the database."""
    for n in range(30):
        store.add_contact(db, room["alice"], submission_id=f"e{n}", label=f"Zéphyrin-Effacé {n}", circle="family")
    store.add_idea(db, room["alice"], submission_id="e-idea", text="Idée de Zéphyrin-Effacé à oublier")
    store.delete_participant(db, room["alice"])
    files = list(db_path.parent.glob(db_path.name + "*"))
    assert files
    for path in files:
        assert "Zéphyrin-Effacé".encode() not in path.read_bytes(), path.name


def test_switching_the_walls_view_moves_no_data_version(db, room):
    """The view is what the wall shows, not what it shows it from: cached readings at this
    version stay valid (a switch recomputed every view at 1,000 people); the pulse sees it."""
    wid = room["workshop"].id
    before = store.version(db, wid)
    store.update_workshop(db, wid, projector_view="network")
    assert store.version_and_view(db, wid)[:2] == (before, "network")
    store.update_workshop(db, wid, projector_view="ideas", title="Nouveau titre")  # data with it: moves
    assert store.version_and_view(db, wid)[:2] == (before + 1, "ideas")


def test_the_networks_display_settings_move_no_data_version(db, room):
    """Sub-view, colours, sizes and filters are arguments of every reading that uses them: a
    switch keeps every cached reading (10-20 s at 1,000 people) and the pulse sees it; what the
    cached theme cards read inside (wall_sure_only) still moves the version."""
    wid = room["workshop"].id
    before = store.version(db, wid)
    store.update_view_settings(db, wid, net_view="bridges", color_by="region")
    store.update_view_settings(db, wid, filters={"circles": ["family"]})
    version, _, settings = store.version_and_view(db, wid)
    assert version == before
    assert settings == {"net_view": "bridges", "color_by": "region", "filters": {"circles": ["family"]}}
    store.update_view_settings(db, wid, wall_sure_only=True)
    assert store.version(db, wid) == before + 1
    store.update_view_settings(db, wid, net_view="full", joins_per_minute=50)  # with a room limit: moves
    assert store.version(db, wid) == before + 2
