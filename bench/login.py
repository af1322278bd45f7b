"""Console login under a flood: N simultaneous wrong facilitator keys, then the real facilitator.

    python bench/login.py --attempts 1000 [--legacy] [--json]

Runs the console's own check (`store.authenticate_facilitator` with the process's rate limiter,
as `ui.facilitator_gate` calls it) from N threads at once against a real SQLite file, each
wrong key from its own client address (the worst case for per-client limits), while the real
facilitator logs in from another address. Reports the memory the flood added (RSS), how long
the real facilitator waited, and how many keys were checked or slowed down. `--legacy` stores
an argon2 hash, as a database from an earlier version has.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import rss_mb
from workshop import db as dbmod
from workshop import security, store
from workshop.errors import AccessDenied, SlowDown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--legacy", action="store_true", help="an argon2 hash from an earlier version")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-login-"))
    path = folder / "login.db"
    conn = dbmod.open_db(path)
    workshop, token = store.create_workshop(conn, title="Bench")
    if args.legacy:
        from argon2 import PasswordHasher

        conn.conn.execute("UPDATE workshops SET facilitator_hash = ? WHERE id = ?", [PasswordHasher().hash(token), workshop.id])
    conn.close()
    limiter = security.RateLimiter()
    outcomes: dict[str, int] = {"denied": 0, "slow": 0, "in": 0}
    lock = threading.Lock()
    start = threading.Barrier(min(args.attempts, 200) + 1)

    def attempt(n: int, key: str, client: str) -> str:
        db = dbmod.connect(path)
        try:
            store.authenticate_facilitator(db, workshop.code, key, client=client, limiter=limiter)
            return "in"
        except SlowDown:
            return "slow"
        except AccessDenied:
            return "denied"
        finally:
            db.close()

    def wrong(n: int) -> None:
        if n < 200:
            start.wait()
        outcome = attempt(n, f"wrong-{n}", f"10.1.{n // 250}.{n % 250}")
        with lock:
            outcomes[outcome] += 1

    before = rss_mb()
    peak = [before]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(max_workers=200) as pool:
        futures = [pool.submit(wrong, n) for n in range(args.attempts)]
        start.wait()
        started = time.perf_counter()
        tries = 0
        real = "slow"
        while real == "slow" and tries < 20:  # told "try again in 1 s", a person does
            tries += 1
            real = attempt(-1, token, "192.168.0.10")
            if real == "slow":
                time.sleep(1.0)
        real_seconds = time.perf_counter() - started
        for f in futures:
            f.result()
    stop.set()
    watcher.join()
    result = {
        "attempts": args.attempts,
        "legacy_hash": args.legacy,
        "real_facilitator": real,
        "real_facilitator_s": round(real_seconds, 3),
        "real_facilitator_tries": tries,
        "added_memory_mb": round(peak[0] - before, 1),
        **outcomes,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
