"""A database file overwritten in place while the room writes: how many writes are still
acknowledged after it (each one lost, or worse, mixed into another file).

    python bench/replace.py [--writes 300] [--json]

A real SQLite file in WAL mode, one connection writing contacts; a backup taken, a few more
writes, then the backup copied over the live file (same inode, as `cp backup.db workshop.db`
does) and the connection keeps writing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import db as dbmod
from workshop import store
from workshop.errors import StorageError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-replace-"))
    path = folder / "live.db"
    db = dbmod.open_db(path)
    workshop, _ = store.create_workshop(db, title="Bench")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    person = store.join(db, workshop.code, "P", token="tok-bench-replace-000")
    for n in range(50):
        store.add_contact(db, person, submission_id=f"a{n}", label=f"Avant {n}", circle="family")
    dbmod.backup(path, folder / "backup.db")
    for n in range(50):
        store.add_contact(db, person, submission_id=f"b{n}", label=f"Entre {n}", circle="family")
    shutil.copyfile(folder / "backup.db", path)
    acknowledged, refused = 0, 0
    for n in range(args.writes):
        try:
            store.add_contact(db, person, submission_id=f"c{n}", label=f"Après {n}", circle="family")
            acknowledged += 1
        except StorageError:
            refused += 1
        except Exception:  # a malformed file
            refused += 1
    db.close()
    result = {"writes_after_copy": args.writes, "acknowledged": acknowledged, "refused": refused}
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
