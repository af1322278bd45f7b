"""Settings read from the environment, at call time (AppTest reuses imported modules)."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def db_path() -> Path:
    """Where the SQLite database lives (env WORKSHOP_DB, default data/workshop.db)."""
    return Path(os.environ.get("WORKSHOP_DB", ROOT / "data" / "workshop.db"))


def database() -> str:
    """The database the app serves: WORKSHOP_DATABASE_URL (postgresql://…, shared by several app
    servers) if set, else the SQLite file db_path()."""
    return os.environ.get("WORKSHOP_DATABASE_URL", "").strip() or str(db_path())


def data_dir() -> Path:
    """Where files beside the database live (the pseudonym key, demo links, backups)."""
    return db_path().resolve().parent


def pool_size() -> int:
    """PostgreSQL connections per app server (env WORKSHOP_DB_POOL, default 8)."""
    return int(os.environ.get("WORKSHOP_DB_POOL", "8"))


def pool_wait_s() -> float:
    """How long a page waits for a free PostgreSQL connection before saying the base is busy."""
    return float(os.environ.get("WORKSHOP_DB_POOL_WAIT", "5"))


def pool_queue() -> int:
    """How many page runs may wait for a connection at once; beyond, refused at once (busy)."""
    return int(os.environ.get("WORKSHOP_DB_POOL_QUEUE", "200"))


def public_base_url() -> str:
    """The address participants type or scan, unless a workshop sets its own: WORKSHOP_PUBLIC_URL,
    else this machine's address on the local network (so the projected QR opens on phones on
    the same Wi-Fi), else localhost."""
    given = os.environ.get("WORKSHOP_PUBLIC_URL", "").rstrip("/")
    if given:
        return given
    port = os.environ.get("WORKSHOP_PORT", "8501")
    return f"http://{lan_address() or 'localhost'}:{port}"


@functools.cache
def lan_address() -> str | None:
    """This machine's IPv4 address on its network, found without sending any traffic: the host
    name's addresses, else the kernel's list of global addresses (`ip`), first private one first.
    Looked up once per process: every link and QR asks for it, on every refresh."""
    import ipaddress
    import socket
    import subprocess

    found: list[str] = []
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    try:
        out = subprocess.run(
            ["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True, timeout=2
        ).stdout
        found += [line.split()[3].split("/")[0] for line in out.splitlines() if len(line.split()) > 3]
    except (OSError, subprocess.SubprocessError):
        pass
    usable = [a for a in dict.fromkeys(found) if not ipaddress.ip_address(a).is_loopback]
    usable.sort(key=lambda a: not ipaddress.ip_address(a).is_private)
    return usable[0] if usable else None


def busy_timeout_s() -> float:
    """How long a write waits for SQLite's single writer lock before failing clearly."""
    return float(os.environ.get("WORKSHOP_BUSY_TIMEOUT", "20"))


def creation_key() -> str:
    """When set (hosted use), creating a workshop asks for this key (env WORKSHOP_CREATION_KEY)."""
    return os.environ.get("WORKSHOP_CREATION_KEY", "")


def pseudonym_master(key_dir: str | Path) -> bytes:
    """The key that makes export pseudonyms, kept outside the database: env WORKSHOP_PSEUDONYM_KEY
    (several servers: give them the same), else the file `pseudonym.key` in `key_dir` (beside a
    SQLite database; data/ for PostgreSQL), created (mode 600) on first use. A copy of the
    database alone cannot link a pseudonym back to a name."""
    from_env = os.environ.get("WORKSHOP_PSEUDONYM_KEY", "")
    if from_env:
        return from_env.encode()
    folder = Path(key_dir).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pseudonym.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_bytes().strip()


REFRESH_SECONDS = 3  # projector and console live refresh interval
PHONE_WATCH_SECONDS = 5  # how often an idle phone checks whether the facilitator opened another round
NEW_WINDOW_SECONDS = 120  # "what's new" highlight window
DEFAULT_RETENTION_DAYS = 90
MAX_IMPORT_BYTES = 20 * 1024 * 1024
