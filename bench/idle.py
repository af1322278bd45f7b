"""What idle phones cost the server, and how soon they follow the facilitator: N personal pages
open on the map round (spoken at the WebSocket protocol level), each polling its room's marker
over HTTP every few seconds as the boot script does, and pressing the hidden follow button when
it moved; the facilitator opens the ideas round and each phone's delay until it shows the ideas
form is timed.

    python bench/idle.py [--phones 200] [--seconds 30] [--json]

Every loop is bounded in count and time; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stserver import Server  # noqa: E402
from workshop import config, store  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop.stclient import Session, trigger  # noqa: E402

IDEAS_FORM = "Publier une idée"
WATCH = re.compile(r'data-td-watch="([^"]+)" data-td-marker="([^"]+)"')


async def http_get(url: str, path: str) -> str:
    """One GET over a fresh connection, as a phone's fetch does (loopback only)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    return raw.split(b"\r\n\r\n", 1)[1].decode()


def prepare(db_path: Path, phones: int) -> tuple[int, list[str]]:
    conn = dbmod.open_db(db_path)
    try:
        workshop, _ = store.create_workshop(conn, title="Veille", question="Quels cas d'usage ?")
        # Every phone joins at once: the room's join limits opened wide, as a facilitator would.
        store.update_view_settings(conn, workshop.id, max_participants=2000, joins_per_minute=2000)
        store.set_round(conn, workshop.id, "contacts", is_open=True)
        tokens = [f"idle-phone-token-{n:05d}-xxxxxxxx" for n in range(phones)]
        for n, token in enumerate(tokens):
            store.join(conn, workshop.code, f"Tel{n:03d}", token=token)
        return workshop.id, tokens
    finally:
        conn.close()


def shows_ideas_form(run) -> bool:
    return any(kind == "text_area" and w.label == IDEAS_FORM for kind, w in run.widgets)


async def phone(url: str, token: str, state: dict, rng: random.Random, stop_at: float) -> None:
    async with Session(url, page_name="me", query={"p": token}) as s:
        run = await s.run()
        state["open"] += 1
        found = WATCH.search(" ".join(run.texts))
        if not found:
            state["errors"] += 1
            return
        code, marker = found.groups()
        await asyncio.sleep(rng.uniform(0, config.PHONE_WATCH_SECONDS))  # phones are not in step
        while time.monotonic() < stop_at:
            now = await http_get(url, f"/api/marker/{code}")
            state["runs"] += 1
            if now != marker:  # as the boot script does: press the hidden follow button
                run = await s.run(widgets=[trigger(run.widget("button", "Actualiser"))])
                opened = state.get("opened_at")
                if opened and shows_ideas_form(run):
                    state["delays"].append(time.monotonic() - opened)
                    return
                marker = WATCH.search(" ".join(run.texts)).group(2)
            await asyncio.sleep(config.PHONE_WATCH_SECONDS)


async def main_async(args) -> dict:
    db_path = Path(tempfile.mkdtemp()) / "idle.db"
    workshop_id, tokens = prepare(db_path, args.phones)
    server = Server(db_path)
    server.start()
    state = {"open": 0, "runs": 0, "errors": 0, "delays": []}
    rng = random.Random(args.seed)
    try:
        stop_at = time.monotonic() + args.seconds + 120
        tasks = []
        for token in tokens:
            tasks.append(asyncio.create_task(phone(server.url, token, state, random.Random(rng.random()), stop_at)))
            await asyncio.sleep(args.ramp / max(1, args.phones))
        while state["open"] + state["errors"] < args.phones and time.monotonic() < stop_at:
            await asyncio.sleep(0.2)
        await asyncio.sleep(config.PHONE_WATCH_SECONDS)  # every phone in its watch rhythm
        cpu0, runs0, t0 = server.cpu_seconds(), state["runs"], time.monotonic()
        await asyncio.sleep(args.seconds)
        cpu, runs, elapsed = server.cpu_seconds() - cpu0, state["runs"] - runs0, time.monotonic() - t0
        conn = dbmod.connect(db_path)
        try:
            store.set_round(conn, workshop_id, "ideas", is_open=True, now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        finally:
            conn.close()
        state["opened_at"] = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=120)
        rss, peak = server.rss_mb()
    finally:
        server.stop()
    delays = sorted(state["delays"])
    return {
        "phones": args.phones,
        "watch_interval_s": config.PHONE_WATCH_SECONDS,
        "idle_window_s": round(elapsed, 1),
        "polls": runs,
        "cpu_share_of_one_core": round(cpu / elapsed, 3),
        "cpu_per_poll_ms": round(1000 * cpu / max(1, runs), 3),
        "followed": len(delays),
        "follow_p50_s": round(delays[len(delays) // 2], 1) if delays else None,
        "follow_max_s": round(delays[-1], 1) if delays else None,
        "errors": state["errors"],
        "peak_rss_mb": round(peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="idle window measured")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which phones open their page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
