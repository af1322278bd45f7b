"""Server CPU per projector refresh, nothing changed vs one entry added, with 1, 10 and 50 open
projector sessions (spoken at the WebSocket protocol level: the wall clock's tick, as the boot script presses it).

    python bench/projector.py [--json] [--view network|counters|ideas|themes] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stserver import Server  # noqa: E402
from workshop import config, store  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop.stclient import Session  # noqa: E402


async def open_projectors(url: str, code: str, n: int) -> list[Session]:
    sessions = []
    for _ in range(n):
        s = Session(url, page_name="projector", query={"w": code})
        await s.__aenter__()
        run = await s.run()
        assert not run.exceptions, run.exceptions
        assert s.clock or s.fragment_ids, "the projector drew no clock"
        sessions.append(s)
    return sessions


async def refresh_all(sessions: list[Session]) -> None:
    """One tick of every wall (before the wall clock: its run_every fragment, for before/after)."""
    await asyncio.gather(*(s.tick() if s.clock else s.run(fragment_id=s.fragment_ids[0], auto=True) for s in sessions))


async def measure(server: Server, db_path: Path, code: str, n: int, rounds: int) -> dict:
    sessions = await open_projectors(server.url, code, n)
    await refresh_all(sessions)  # every cache warm
    conn = dbmod.connect(db_path)
    workshop = store.workshop_by_code(conn, code)
    person = store.participants_frame(conn, workshop.id)["id"].iloc[0]
    participant = store.get_participant(conn, workshop.id, int(person))
    try:
        before = server.cpu_seconds()
        for _ in range(rounds):
            await refresh_all(sessions)
        unchanged = (server.cpu_seconds() - before) / (rounds * n)
        before, idle = server.cpu_seconds(), 0.0
        for k in range(rounds):
            store.add_contact(conn, participant, submission_id=f"bench-{n}-{k}", label=f"Bench {n}.{k}", circle="other")
            cpu = server.cpu_seconds()
            await asyncio.sleep(config.REFRESH_SECONDS)  # new data is drawn REFRESH_SECONDS after the last drawing
            idle += server.cpu_seconds() - cpu
            await refresh_all(sessions)
        changed = (server.cpu_seconds() - before - idle) / (rounds * n)
    finally:
        conn.close()
        for s in sessions:
            await s.close()
    return {"sessions": n, "unchanged_ms": round(unchanged * 1000, 2), "changed_ms": round(changed * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--view", default="network", choices=["network", "counters", "ideas", "themes"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", default="1,10,50")
    args = parser.parse_args()
    db_path = Path(tempfile.mkdtemp()) / "projector.db"
    out = subprocess.run(
        [sys.executable, "-m", "workshop", "demo", "--db", str(db_path), "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    code = json.loads(out.stdout)["code"]
    conn = dbmod.connect(db_path)
    store.update_workshop(conn, store.workshop_by_code(conn, code).id, projector_view=args.view)
    conn.close()
    server = Server(db_path)
    server.start()
    try:
        results = [asyncio.run(measure(server, db_path, code, int(n), args.rounds)) for n in args.sessions.split(",")]
    finally:
        server.stop()
    if args.json:
        print(json.dumps({"view": args.view, "rounds": args.rounds, "cases": results}))
    else:
        print(f"view={args.view}, {args.rounds} refresh rounds per case; server CPU per projector refresh")
        print(f"{'sessions':>9} {'unchanged (ms)':>15} {'one entry added (ms)':>21}")
        for r in results:
            print(f"{r['sessions']:>9} {r['unchanged_ms']:>15} {r['changed_ms']:>21}")


if __name__ == "__main__":
    main()
