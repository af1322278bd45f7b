"""Settings read from the environment, at call time (AppTest reuses imported modules)."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "thinkdo"  # the installed command, and its folders in the user's data and cache places


def installed() -> bool:
    """True when running from an installed copy (pipx, uv tool, a wheel), False from a checkout."""
    return not (ROOT / "app.py").is_file()


def site_dir() -> Path:
    """The folder `streamlit run` starts in (app.py, serve.py, pages/, .streamlit/): the checkout's
    root, or its copy inside the installed package (no top-level `app` or `pages` module)."""
    return Path(__file__).resolve().parent / "site" if installed() else ROOT


def home_dir() -> Path:
    """Where the database and its files live by default: data/ in a checkout, the user's data
    folder when installed (Windows: AppData\\Local, macOS: Library/Application Support)."""
    if installed():
        import platformdirs

        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return ROOT / "data"


def cache_dir() -> Path:
    """Where rebuildable files go (the precompressed frontend): .cache/ or the user's cache folder."""
    if installed():
        import platformdirs

        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return ROOT / ".cache"


def db_path() -> Path:
    """Where the SQLite database lives (env WORKSHOP_DB, default workshop.db in home_dir())."""
    return Path(os.environ.get("WORKSHOP_DB", home_dir() / "workshop.db"))


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
    """How long a page run waits for a PostgreSQL connection (a busy pool, or an outage) before
    saying so, the person's input kept: 2.5 s (at 5 s, an outage held each submit 10 s)."""
    return float(os.environ.get("WORKSHOP_DB_POOL_WAIT", "2.5"))


def pool_queue() -> int:
    """How many page runs may wait for a connection at once; beyond, refused at once (busy)."""
    return int(os.environ.get("WORKSHOP_DB_POOL_QUEUE", "200"))


def public_url_setting() -> str:
    """WORKSHOP_PUBLIC_URL as given (no trailing slash), empty when unset."""
    return os.environ.get("WORKSHOP_PUBLIC_URL", "").rstrip("/")


def trusted_proxy() -> str:
    """WORKSHOP_TRUSTED_PROXY: the one proxy whose forwarded client address is believed (empty: none)."""
    return os.environ.get("WORKSHOP_TRUSTED_PROXY", "")


def allowed_hosts() -> tuple[str, ...]:
    """WORKSHOP_ALLOWED_HOSTS: more host names the front door accepts a join for (comma list),
    besides IP addresses, localhost, *.local and the public address's host."""
    return tuple(h.strip().lower() for h in os.environ.get("WORKSHOP_ALLOWED_HOSTS", "").split(",") if h.strip())


def body_timeout_s() -> float:
    """WORKSHOP_BODY_TIMEOUT: seconds a request body (the join form, 4 KB at most) may take to
    arrive before the front door answers 408 and closes the connection."""
    return float(os.environ.get("WORKSHOP_BODY_TIMEOUT", "10"))


def ws_inbound_max_bytes() -> int:
    """The largest WebSocket message a browser may send, inflated (WORKSHOP_WS_MAX_KB, 1,088 KB):
    a page's widget states (Streamlit refuses more than 1 MB of them); the app's own messages to
    the browser keep `server.maxMessageSize` (10 MB: the console's network at 1,000 people)."""
    return int(os.environ.get("WORKSHOP_WS_MAX_KB", "1088")) * 1024


def max_connections(open_files: int) -> int:
    """Connections one server holds at once (WORKSHOP_MAX_CONNECTIONS), at most the open-file
    limit less 200 kept for the database, static files and logs: past it, a clear 503, never a
    server that stops answering for lack of file descriptors."""
    fitting = max(64, open_files - 200)
    wanted = os.environ.get("WORKSHOP_MAX_CONNECTIONS", "").strip()
    return min(int(wanted), fitting) if wanted else fitting


def joins_per_address() -> int:
    """WORKSHOP_JOINS_PER_ADDRESS: joins one client address may make per 10 minutes on one server."""
    return int(os.environ.get("WORKSHOP_JOINS_PER_ADDRESS", "1500"))


def static_cache_base() -> Path:
    """WORKSHOP_STATIC_CACHE, else the user's cache folder: where the precompressed frontend goes."""
    return Path(os.environ.get("WORKSHOP_STATIC_CACHE", cache_dir()))


def stclient_deflate() -> bool:
    """STCLIENT_DEFLATE=1: the protocol client asks for compressed WebSocket frames."""
    return os.environ.get("STCLIENT_DEFLATE") == "1"


def public_base_url() -> str:
    """The address participants type or scan, unless a workshop sets its own: WORKSHOP_PUBLIC_URL,
    else this machine's address on the local network (so the projected QR opens on phones on
    the same Wi-Fi), else localhost."""
    given = public_url_setting()
    if given:
        return given
    return f"http://{lan_address() or 'localhost'}:{port()}"


def port() -> int:
    """The port the app serves on (env WORKSHOP_PORT, default 8501)."""
    return int(os.environ.get("WORKSHOP_PORT", "8501"))


@functools.cache
def lan_address() -> str | None:
    """This machine's address on the room's network (addresses.best: Wi-Fi or Ethernet before
    VPNs, container bridges and link-local ones), found without sending any traffic and without
    any system command, on Windows, macOS and Linux. Looked up once per process: every link and
    QR asks for it, on every refresh."""
    from workshop import addresses

    return addresses.best(addresses.local_interfaces())


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


REFRESH_SECONDS = 3  # projector and console live refresh interval: new data shows within it
# How often the wall's clock ticks (the boot script presses its button): the round's timer moves,
# a switch from the console shows within it (a tick is two indexed reads, and only what changed is
# drawn again: ui/wall_clock.py); new data still redraws at most every REFRESH_SECONDS
# (at 1,000 people the network's first drawing at a data version costs ~1.8 s of CPU).
WALL_PULSE_SECONDS = 1
PHONE_WATCH_SECONDS = 5  # how often an idle phone checks whether the facilitator opened another round
NEW_WINDOW_SECONDS = 120  # "what's new" highlight window
DEFAULT_RETENTION_DAYS = 90
MAX_IMPORT_BYTES = 20 * 1024 * 1024
