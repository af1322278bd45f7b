"""Opening a database (a SQLite file, or PostgreSQL by URL) and its numbered migrations, the
only place the schema changes. One list of migrations serves both engines (engine.ddl)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workshop import config, engine
from workshop.errors import StorageError

# (name, function(db)) in the order they apply; a name, once released, never changes.
MIGRATIONS: list[tuple[str, Callable[[Any], None]]] = []


def migration(name: str) -> Callable:
    """Register the next numbered migration."""

    def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        assert all(n != name for n, _ in MIGRATIONS), name
        MIGRATIONS.append((name, fn))
        return fn

    return register


def _run_ddl(db: Any, statement: str) -> None:
    db.conn.execute(engine.ddl(statement, engine.of(db)))


_SCHEMA_0001 = [
    """CREATE TABLE workshops (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr','en')),
        question TEXT NOT NULL DEFAULT '',
        join_locked INTEGER NOT NULL DEFAULT 0,
        retention_date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        facilitator_hash TEXT NOT NULL,
        secret TEXT NOT NULL,
        show_labels INTEGER NOT NULL DEFAULT 0,
        anonymous INTEGER NOT NULL DEFAULT 0,
        public_base_url TEXT NOT NULL DEFAULT '',
        vote_dots INTEGER NOT NULL DEFAULT 5,
        projector_view TEXT NOT NULL DEFAULT 'counters',
        settings TEXT NOT NULL DEFAULT '{}',
        previous_id INTEGER REFERENCES workshops(id) ON DELETE SET NULL,
        version INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE rounds (
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (name IN ('contacts','ideas','vote','collectifs')),
        is_open INTEGER NOT NULL DEFAULT 0,
        opened_at TEXT,
        ends_at TEXT,
        PRIMARY KEY (workshop_id, name)
    )""",
    """CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        skills_offered TEXT NOT NULL DEFAULT '[]',
        skills_sought TEXT NOT NULL DEFAULT '[]',
        show_name INTEGER NOT NULL DEFAULT 1,
        blocked INTEGER NOT NULL DEFAULT 0,
        joined_at TEXT NOT NULL,
        submission_id TEXT UNIQUE
    )""",
    "CREATE INDEX participants_workshop ON participants(workshop_id)",
    """CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        circle TEXT NOT NULL,
        strength INTEGER NOT NULL DEFAULT 2 CHECK (strength BETWEEN 1 AND 3),
        trust INTEGER NOT NULL DEFAULT 2 CHECK (trust BETWEEN 1 AND 3),
        dormant INTEGER NOT NULL DEFAULT 0,
        last_contact_year INTEGER,
        flows TEXT NOT NULL DEFAULT '[]',
        region TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        sector TEXT NOT NULL DEFAULT '',
        skills TEXT NOT NULL DEFAULT '[]',
        submission_id TEXT UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX contacts_workshop ON contacts(workshop_id)",
    "CREATE INDEX contacts_participant ON contacts(participant_id)",
    """CREATE TABLE ideas (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        hidden INTEGER NOT NULL DEFAULT 0,
        submission_id TEXT UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX ideas_workshop ON ideas(workshop_id)",
    """CREATE TABLE themes (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        renamed INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE idea_themes (
        idea_id INTEGER PRIMARY KEY REFERENCES ideas(id) ON DELETE CASCADE,
        theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
        manual INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE votes (
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        dots INTEGER NOT NULL CHECK (dots >= 0),
        PRIMARY KEY (participant_id, theme_id)
    )""",
    """CREATE TABLE collectifs (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE collectif_members (
        collectif_id INTEGER NOT NULL REFERENCES collectifs(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        joined_at TEXT NOT NULL,
        PRIMARY KEY (collectif_id, participant_id)
    )""",
    """CREATE TABLE collectif_contacts (
        collectif_id INTEGER NOT NULL REFERENCES collectifs(id) ON DELETE CASCADE,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        PRIMARY KEY (collectif_id, contact_id)
    )""",
    """CREATE TABLE next_steps (
        id INTEGER PRIMARY KEY,
        collectif_id INTEGER NOT NULL REFERENCES collectifs(id) ON DELETE CASCADE,
        participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        due_date TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        submission_id TEXT UNIQUE,
        created_at TEXT NOT NULL
    )""",
    # A decision of the facilitator on a candidate pair: contact~contact or contact~participant.
    """CREATE TABLE merges (
        id INTEGER PRIMARY KEY,
        workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('contact','participant')),
        a_id INTEGER NOT NULL,
        b_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed','rejected')),
        score REAL NOT NULL DEFAULT 0,
        decided_at TEXT NOT NULL,
        UNIQUE (workshop_id, kind, a_id, b_id)
    )""",
]


@migration("0001_initial")
def initial(db: Any) -> None:
    for statement in _SCHEMA_0001:
        _run_ddl(db, statement)


@migration("0002_participant_copies")
def participant_copies(db: Any) -> None:
    """A participant carried into the next workshop of a series (import keeping links) remembers
    the row it came from, so that "delete my data" erases every copy."""
    _run_ddl(
        db,
        """CREATE TABLE participant_copies (
            copy_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
            original_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE
        )""",
    )
    _run_ddl(db, "CREATE INDEX participant_copies_original ON participant_copies(original_id)")


# Lists of words (languages, round names) are checked in code against model.py, not by the
# database: a new language or round then needs no migration. Table → column whose CHECK goes.
_VOCABULARY_CHECKS = {"workshops": "language", "rounds": "name"}


@migration("0003_vocabularies_in_code")
def vocabularies_in_code(db: Any) -> None:
    """Drop the CHECK (column IN (...)) lists of 0001 on both engines, every row kept."""
    if engine.of(db) == engine.POSTGRESQL:
        for table, column in _VOCABULARY_CHECKS.items():
            names = db.conn.execute(
                "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
                " AND a.attnum = ANY(c.conkey) WHERE c.conrelid = ?::regclass AND c.contype = 'c' AND a.attname = ?",
                [table, column],
            ).fetchall()
            for (name,) in names:
                db.conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return
    # SQLite cannot drop a constraint. Rebuilding `workshops` would cascade deletes into every
    # table; rewriting the stored CREATE TABLE is SQLite's documented way to remove a CHECK
    # (lang_altertable.html, "otheralter"): the rows' format is unchanged.
    version = db.conn.execute("PRAGMA schema_version").fetchone()[0]
    db.conn.execute("PRAGMA writable_schema = ON")
    try:
        for table, column in _VOCABULARY_CHECKS.items():
            (sql,) = db.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
            stripped = re.sub(rf"\s*CHECK \({column} IN \([^)]*\)\)", "", sql)
            db.conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", [stripped, table])
        db.conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.conn.execute("PRAGMA writable_schema = OFF")
    problems = db.conn.execute("PRAGMA integrity_check").fetchall()
    if problems != [("ok",)]:
        raise StorageError("err.db_integrity")


@migration("0004_rehearsal_and_planned_timers")
def rehearsal_and_planned_timers(db: Any) -> None:
    """Participants made by the console's rehearsal (removed in one click), and each round's
    planned minutes (the timer the console proposes; a template carries them)."""
    _run_ddl(db, "ALTER TABLE participants ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0")
    _run_ddl(db, "ALTER TABLE rounds ADD COLUMN planned_minutes INTEGER NOT NULL DEFAULT 0")
    _run_ddl(db, "CREATE INDEX participants_rehearsal ON participants(workshop_id, rehearsal)")


@migration("0005_theme_choice_and_review")
def theme_choice_and_review(db: Any) -> None:
    """An idea's theme chosen by its author on the phone (an anchor of the guided grouping, counted
    in the console), and a placement marked "to check" (a new idea placed with little margin)."""
    _run_ddl(db, "ALTER TABLE idea_themes ADD COLUMN chosen INTEGER NOT NULL DEFAULT 0")
    _run_ddl(db, "ALTER TABLE idea_themes ADD COLUMN doubtful INTEGER NOT NULL DEFAULT 0")
    # When the ideas were last grouped: from then on each new idea is placed as it arrives.
    _run_ddl(db, "ALTER TABLE workshops ADD COLUMN grouped_at TEXT")


@migration("0006_ties_among_contacts")
def ties_among_contacts(db: Any) -> None:
    """Who knows whom among a participant's contacts ("Qui se connaît ?"): a tie is stated by one
    participant and joins two of their own contacts (stored once per unordered pair); a census
    card remembers up to which contact a contact's card was answered, so a pair is asked once."""
    _run_ddl(
        db,
        """CREATE TABLE ties (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            contact_a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            contact_b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            CHECK (contact_a < contact_b),
            UNIQUE (participant_id, contact_a, contact_b)
        )""",
    )
    _run_ddl(db, "CREATE INDEX ties_workshop ON ties(workshop_id)")
    _run_ddl(db, "CREATE INDEX ties_contact_a ON ties(contact_a)")
    _run_ddl(db, "CREATE INDEX ties_contact_b ON ties(contact_b)")
    _run_ddl(
        db,
        """CREATE TABLE census_cards (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            upto INTEGER NOT NULL,
            submission_id TEXT NOT NULL,
            answered_at TEXT NOT NULL
        )""",
    )
    _run_ddl(db, "CREATE INDEX census_cards_participant ON census_cards(participant_id)")


@migration("0007_workshops_by_facilitator_hash")
def workshops_by_facilitator_hash(db: Any) -> None:
    """The creation form posted twice (a double click, a reload) finds the workshop its first
    post created by the facilitator key's hash, without reading every workshop."""
    _run_ddl(db, "CREATE INDEX workshops_facilitator_hash ON workshops(facilitator_hash)")


# Where applied migrations are recorded: SQLite keeps the table sqlite-utils created before
# this runner existed (so older files migrate on), PostgreSQL a plainly named one.
_APPLIED_TABLE = {engine.SQLITE: "_sqlite_migrations", engine.POSTGRESQL: "schema_migrations"}
_MIGRATION_SET = "workshop"
_PG_MIGRATION_LOCK = 7_340_001  # pg_advisory_xact_lock key: servers starting together migrate one by one


def applied(db: Any) -> list[str]:
    """Names of the migrations this database has, in the order they were applied."""
    table = _APPLIED_TABLE[engine.of(db)]
    if table not in db.table_names():
        return []
    rows = db.conn.execute(f"SELECT name FROM {table} WHERE migration_set = ? ORDER BY applied_at, name", [_MIGRATION_SET])
    return [r[0] for r in rows.fetchall()]


def migrate(db: Any) -> list[str]:
    """Apply the pending migrations, each in its own transaction with its record; returns their
    names. On PostgreSQL an advisory lock makes several servers starting at once take turns."""
    table = _APPLIED_TABLE[engine.of(db)]
    db.conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (migration_set TEXT, name TEXT, applied_at TEXT)")
    done = []
    for name, fn in MIGRATIONS:
        engine.begin_write(db)
        try:
            if engine.of(db) == engine.POSTGRESQL:
                db.conn.execute("SELECT pg_advisory_xact_lock(?)", [_PG_MIGRATION_LOCK])
            applied = db.conn.execute(
                f"SELECT 1 FROM {table} WHERE migration_set = ? AND name = ?", [_MIGRATION_SET, name]
            ).fetchall()
            if not applied:
                fn(db)
                db.conn.execute(
                    f"INSERT INTO {table} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                    [_MIGRATION_SET, name, dt.datetime.now(dt.UTC).isoformat()],
                )
                done.append(name)
        except BaseException:
            engine.end(db, commit=False)
            raise
        engine.end(db, commit=True)
    return done


def connect(target: str | Path, *, shared: bool = False) -> Any:
    """One connection for one command (or, shared, for a pool): a SQLite file (WAL, busy timeout,
    foreign keys) or a PostgreSQL URL."""
    if engine.kind(target) == engine.POSTGRESQL:
        return engine.connect_postgres(str(target))
    path = target
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves for every write.
    # shared: handed from thread to thread by a ConnectionPool, never used by two at once.
    conn = sqlite3.connect(str(path), timeout=config.busy_timeout_s(), isolation_level=None, check_same_thread=not shared)
    conn.execute(f"PRAGMA busy_timeout = {int(config.busy_timeout_s() * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, per connection
    conn.execute("PRAGMA secure_delete = ON")  # erased text is overwritten, not left in free pages
    db = Database(conn)
    db.engine = engine.SQLITE
    db.target = str(path)
    # Which file this connection opened: a write checks the path still names it (same_file).
    db.file_path = str(path)
    db.file_identity = _identity(path)
    return db


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_FORMAT = b"\x02\x02"  # header bytes 18-19 of a database in WAL mode


# Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
# included (then another process may think it is alone, checkpoint and delete the WAL under the
# server: its later writes vanished for every other reader, as a browser test showed). So the
# header is read through one descriptor per file, opened once and kept; only in a process that
# touched more than HEADER_FILES databases (the test suite) is the oldest one closed.
HEADER_FILES = 256
_HEADER_FDS: dict[tuple[int, int], int] = {}
_HEADER_LOCK = threading.Lock()


def _header(path: str | Path, identity: tuple[int, int]) -> bytes:
    """The first 20 bytes of the database file `identity` names (b"" when unreadable)."""
    with _HEADER_LOCK:
        fd = _HEADER_FDS.get(identity)
        try:
            if fd is None:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
                st = os.fstat(fd)
                if (st.st_dev, st.st_ino) != identity:  # replaced between the two looks
                    _HEADER_FDS[(st.st_dev, st.st_ino)] = fd
                    return b""
                if len(_HEADER_FDS) >= HEADER_FILES:
                    os.close(_HEADER_FDS.pop(next(iter(_HEADER_FDS))))
                _HEADER_FDS[identity] = fd
            os.lseek(fd, 0, os.SEEK_SET)
            return os.read(fd, 20)
        except OSError:
            return b""


_WAL_SEEN: set[tuple[str, tuple[int, int]]] = set()  # (path, file identity) seen in WAL mode


def same_file(db: Any) -> bool:
    """False when the database's path no longer names the file this connection has open (the file
    was deleted, moved, or replaced by another), or when the file was overwritten in place (same
    inode: a backup copied over it, whose header no longer says WAL once the live file did):
    writes would go to a file nobody will read, or mix the log's pages with another file's.
    Always True on PostgreSQL (the server owns its files)."""
    expected = getattr(db, "file_identity", None)
    if expected is None:
        return True
    if _identity(db.file_path) != expected:
        return False
    header = _header(db.file_path, expected)
    # Seen in WAL mode by any connection of this process: SQLite never turns it back by itself
    # (a restore through SQLite keeps it), so a header that says otherwise is another file's.
    seen = (str(db.file_path), expected)
    if header.startswith(SQLITE_MAGIC) and header[18:20] == WAL_FORMAT:
        _WAL_SEEN.add(seen)
        return True
    return seen not in _WAL_SEEN and (header == b"" or header.startswith(SQLITE_MAGIC))


def _sqlite_only(target: str | Path, what: str) -> None:
    if engine.kind(target) != engine.SQLITE:
        raise StorageError("err.sqlite_only", what=what)


def backup(source: str | Path, out: str | Path) -> int:
    """A consistent copy of a live database (SQLite's online backup API: one snapshot, WAL
    included, while the room keeps writing); written beside `out` then renamed. Returns pages.
    PostgreSQL has its own tools (pg_dump); `export` moves one workshop between engines."""
    _sqlite_only(source, "backup")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True, timeout=config.busy_timeout_s())
    dst = sqlite3.connect(str(partial))
    try:
        src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"backup failed its integrity check: {check}")
    os.replace(partial, out)
    return pages


def restore(path: str | Path, source: str | Path) -> int:
    """Copy a backup into the database at `path` through SQLite (in place, so running servers
    read the restored data and no WAL is orphaned). The backup is checked first. Returns pages."""
    _sqlite_only(path, "restore")
    src = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if check != "ok" or "workshops" not in tables:
            raise sqlite3.DatabaseError(f"{source} is not a sound workshop database ({check})")
        dst = connect(path)
        try:
            src.backup(dst.conn)
            pages = dst.conn.execute("PRAGMA page_count").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    prepare(path)  # a backup from an older version gets its missing migrations
    return pages


class ConnectionPool:
    """Open SQLite connections to one file, lent to one script run at a time and taken back.

    Measured under load: opening and closing a connection on every Streamlit run cost about a
    tenth of a participant's submit (file open, schema parse, and a WAL checkpoint whenever the
    closing connection was the last one). A connection that saw an error is closed, not kept."""

    def __init__(self, path: str | Path, *, keep: int = 16) -> None:
        self.path = str(path)
        self.keep = keep
        self._idle: list[Database] = []
        self._lock = threading.Lock()
        self.closed = False

    @contextmanager
    def connection(self) -> Iterator[Database]:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = connect(self.path, shared=True)
        healthy = False
        try:
            yield db
            healthy = not db.conn.in_transaction
        finally:
            self._give_back(db, healthy=healthy)

    def _give_back(self, db: Database, *, healthy: bool) -> None:
        if healthy:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(db)
                    return
        db.close()

    def close(self) -> None:
        """Close every idle connection (connections lent out are closed when given back)."""
        with self._lock:
            idle, self._idle = self._idle, []
            self.keep = 0
            self.closed = True
        for db in idle:
            db.close()


class PostgresPool:
    """psycopg's pool for one app server: at most `size` connections; a run waits at most `wait_s`
    for one, and at most `queue` runs wait, after which the page says the database is busy. A
    connection a database restart left broken is replaced at its first statement (PgConnection)."""

    def __init__(self, url: str, *, size: int | None = None, wait_s: float | None = None, queue: int | None = None) -> None:
        from psycopg_pool import ConnectionPool as PsycopgPool

        self.url = url
        self.wait_s = wait_s if wait_s is not None else config.pool_wait_s()
        self._pool = PsycopgPool(
            url,
            min_size=1,
            max_size=size or config.pool_size(),
            timeout=self.wait_s,
            max_waiting=queue if queue is not None else config.pool_queue(),
            kwargs={"autocommit": True, "connect_timeout": 5},
            open=False,
            name="workshop",
        )
        self._pool.open(wait=False)

    @contextmanager
    def connection(self) -> Iterator[engine.PgDatabase]:
        """A database whose connection is taken from the pool at its first statement and given
        back (rolled back if a transaction was left open, dropped if broken) after the block."""
        raw, deadline = None, None

        def acquire():
            # One wait per page run, shared by a broken connection's replacement: during an
            # outage the person reads the message after the pool's wait, not twice that.
            nonlocal raw, deadline
            if deadline is None:
                deadline = time.monotonic() + self.wait_s
            raw = self._pool.getconn(timeout=max(0.05, deadline - time.monotonic()))
            return raw

        def replace(broken):
            nonlocal raw
            raw = None
            broken.close()
            self._pool.putconn(broken)  # the pool drops a closed connection
            return acquire()

        try:
            yield engine.PgDatabase(target=self.url, acquire=acquire, replace=replace)
        finally:
            if raw is not None:
                self._pool.putconn(raw)

    @property
    def closed(self) -> bool:
        return self._pool.closed

    def close(self) -> None:
        self._pool.close()


def pool(target: str | Path) -> ConnectionPool | PostgresPool:
    """The app server's pool for this database."""
    if engine.kind(target) == engine.POSTGRESQL:
        return PostgresPool(str(target))
    return ConnectionPool(target)


_SHARED: dict[str, ConnectionPool | PostgresPool] = {}
_PREPARED: set[str] = set()
_SHARED_LOCK = threading.Lock()


def shared_pool(target: str) -> ConnectionPool | PostgresPool:
    """THE pool of this process for a database, shared by the pages' script runs and the front
    door (one connection budget per server on PostgreSQL); the database is migrated on first use
    (never lazily per request). A closed pool is replaced at the next use."""
    with _SHARED_LOCK:
        found = _SHARED.get(str(target))
        if str(target) not in _PREPARED:
            prepare(target)
            _PREPARED.add(str(target))
        if found is None or found.closed:
            found = _SHARED[str(target)] = pool(target)
        return found


def prepare(target: str | Path) -> None:
    """Apply pending migrations, once per process at start. SQLite: create the folder and turn WAL
    on first. Migrations only add: nothing is deleted at start-up."""
    if engine.kind(target) == engine.SQLITE:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(target)
    try:
        if engine.of(db) == engine.SQLITE:
            db.execute("PRAGMA journal_mode = WAL")
        migrate(db)
    finally:
        db.close()


def open_db(target: str | Path) -> Any:
    """Prepare (idempotent) and connect: for the CLI, tests and benchmarks."""
    prepare(target)
    return connect(target)
