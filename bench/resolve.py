"""The "same person?" search under a flood of near-identical contacts (the attack of #14).

    python bench/resolve.py [--json]

1. 1,000 / 2,000 / 4,000 near-identical labels from 8 participants: seconds and memory added
   by `resolve.contact_candidates`.
2. A room of 8 participants × 500 near-identical contacts in a real SQLite file: what the
   console's *Réseau* tab computes at one data version (room read, merge candidates, graph and
   metrics), in seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import rss_mb
from workshop import db as dbmod
from workshop import network, resolve, rooms, store


def labels(n: int) -> pd.DataFrame:
    rows = [
        {
            "id": i + 1,
            "participant_id": i % 8 + 1,
            "label": f"Jean Martin {i}{chr(97 + i % 26)}",
            "circle": "family",
            "organisation": "",
            "region": "",
            "city": "",
        }
        for i in range(n)
    ]
    return pd.DataFrame(rows)


def console_network(contacts_each: int = 500, participants: int = 8) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-resolve-"))
    conn = dbmod.open_db(folder / "attack.db")
    workshop, _ = store.create_workshop(conn, title="Attaque")
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    for p in range(participants):
        person = store.join(conn, workshop.code, f"Faux {p}", token=f"tok-attack-{p:014d}")
        for c in range(contacts_each):
            store.add_contact(conn, person, submission_id=f"a{p}-{c}", label=f"Jean Martin {c}", circle="family")
    started = time.perf_counter()
    room = rooms.load(conn, workshop.id)
    merges = room.merges
    candidates = resolve.contact_candidates(room.contacts, nodes=resolve.resolve(room.contacts, merges))
    candidates += resolve.participant_candidates(room.contacts, room.participants)
    network.analyse(room)
    seconds = time.perf_counter() - started
    conn.close()
    return {"contacts": participants * contacts_each, "candidates": len(candidates), "console_network_s": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict = {"labels": []}
    for n in (1000, 2000, 4000):
        frame = labels(n)
        before = rss_mb()
        started = time.perf_counter()
        found = resolve.contact_candidates(frame)
        result["labels"].append(
            {
                "labels": n,
                "candidates": len(found),
                "seconds": round(time.perf_counter() - started, 2),
                "added_memory_mb": round(rss_mb() - before, 1),
            }
        )
    result["room"] = console_network()
    if args.json:
        print(json.dumps(result))
        return
    for row in result["labels"]:
        print(" ".join(f"{k}={v}" for k, v in row.items()))
    print(" ".join(f"{k}={v}" for k, v in result["room"].items()))


if __name__ == "__main__":
    main()
