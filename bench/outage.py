"""How long a submit waits before its clear message when PostgreSQL is down.

    python bench/outage.py [--json]

A page run's read against a database server that is down (a port nothing listens on: each
connection attempt refused, the pool retrying). Reports the seconds from the press to the
message; the person's input is kept by the page either way. The restart case (the pool's idle
connections broken) shares the same one wait per run: tests/test_postgres.py checks it.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop import db as dbmod
from workshop import store
from workshop.errors import StorageError


def seconds_to_message(url: str) -> tuple[float, str]:
    pool = dbmod.PostgresPool(url)
    try:
        started = time.monotonic()
        try:
            with pool.connection() as db:
                store.workshops_list(db)
            return time.monotonic() - started, "served"
        except StorageError as exc:
            return time.monotonic() - started, exc.key
    finally:
        pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    took, said = seconds_to_message(f"postgresql://workshop@127.0.0.1:{port}/gone")
    result = {"seconds_to_message": round(took, 2), "said": said}
    print(json.dumps(result) if args.json else f"{result['seconds_to_message']} s, then {said}")


if __name__ == "__main__":
    main()
