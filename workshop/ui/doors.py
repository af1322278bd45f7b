"""The front page's writes and reads: joining a room and the demo this laptop serves (creating a
workshop is the front door's plain form, workshop/createpage.py)."""

from __future__ import annotations

import json

from workshop import config, engine, security, store
from workshop.model import Participant, Workshop
from workshop.ui.gate import room_by_code, throttle  # noqa: F401 - the home page's door
from workshop.ui.session import get_db

new_token = security.new_token


def workshop_by_id(workshop_id: int) -> Workshop:
    with get_db() as db:
        return store.get_workshop(db, workshop_id)


def join(code: str, name: str, *, token: str) -> Participant:
    """Join a room under `name` with a link token made before the write (a double click joins
    once), within this client's rate limit."""
    throttle(security.join_throttle)
    with get_db() as db:
        return store.join(db, code, name, token=token)


def local_demo() -> dict | None:
    """The demo's links (demo.json beside the database) when they belong to the database served."""
    demo_file = config.data_dir() / "demo.json"
    if not demo_file.exists():
        return None
    try:
        demo = json.loads(demo_file.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return demo if isinstance(demo, dict) and demo.get("db") == engine.redact(config.database()) else None
