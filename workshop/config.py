"""Settings read from the environment, at call time (AppTest reuses imported modules)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def db_path() -> Path:
    """Where the SQLite database lives (env WORKSHOP_DB, default data/workshop.db)."""
    return Path(os.environ.get("WORKSHOP_DB", ROOT / "data" / "workshop.db"))


def public_base_url() -> str:
    """The address participants type or scan, unless a workshop sets its own."""
    return os.environ.get("WORKSHOP_PUBLIC_URL", "http://localhost:8501").rstrip("/")


def busy_timeout_s() -> float:
    """How long a write waits for SQLite's single writer lock before failing clearly."""
    return float(os.environ.get("WORKSHOP_BUSY_TIMEOUT", "20"))


def creation_key() -> str:
    """When set (hosted use), creating a workshop asks for this key (env WORKSHOP_CREATION_KEY)."""
    return os.environ.get("WORKSHOP_CREATION_KEY", "")


REFRESH_SECONDS = 3  # projector and console live refresh interval
NEW_WINDOW_SECONDS = 120  # "what's new" highlight window
DEFAULT_RETENTION_DAYS = 90
MAX_IMPORT_BYTES = 20 * 1024 * 1024
