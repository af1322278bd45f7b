"""'Delete my data' behind a long read: how long the room's writes stall.

    python bench/erase.py [--read-s 0.8] [--json]

A real SQLite file with a room of 200 people; a reader holds its snapshot for `--read-s`
seconds (a 1,000-person export holds it 0.8 s); meanwhile one participant deletes their data
and another keeps adding contacts. Reports the deletion's duration and the longest wait of
the other participant's writes.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import db as dbmod
from workshop import store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read-s", type=float, default=0.8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bench-erase-")) / "erase.db"
    db = dbmod.open_db(path)
    workshop, _ = store.create_workshop(db, title="Bench")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    people = [store.join(db, workshop.code, f"P{n}", token=f"tok-bench-erase-{n:06d}") for n in range(200)]
    for person in people[:50]:
        for c in range(20):
            store.add_contact(db, person, submission_id=f"{person.id}-{c}", label=f"Contact {c}", circle="family")
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()
    release = threading.Timer(args.read_s, lambda: reader.execute("COMMIT"))
    waits: list[float] = []
    stop = threading.Event()

    def keep_writing() -> None:
        conn = dbmod.connect(path)
        n = 0
        while not stop.is_set():
            started = time.monotonic()
            store.add_contact(conn, people[1], submission_id=f"w{n}", label=f"W {n}", circle="family")
            waits.append(time.monotonic() - started)
            n += 1
            time.sleep(0.01)
        conn.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    release.start()
    time.sleep(0.05)
    started = time.monotonic()
    store.delete_participant(dbmod.connect(path), people[0])
    deletion = time.monotonic() - started
    time.sleep(args.read_s + 0.3)
    stop.set()
    writer.join()
    result = {
        "read_s": args.read_s,
        "deletion_s": round(deletion, 3),
        "longest_write_wait_s": round(max(waits), 3),
        "writes": len(waits),
    }
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
