"""The front page's writes and reads: joining a room and the demo this laptop serves (creating a
workshop is the front door's plain form, workshop/createpage.py)."""

from __future__ import annotations

from workshop import security, store
from workshop.demo import local_demo  # noqa: F401 - the home page's door
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
