"""A running room while strangers create workshops: a participant's submit latency, quiet and
during a flood of N creations from N addresses (issue #32, item 9).

    python bench/creations.py [--creations 150] [--participants 20] [--json]

One real server (SQLite). A room of P participants joined by the join page, each submitting an
idea about every second through the real personal page (bench/load's submit: acknowledged only
by the app's confirmation). After a quiet phase, N creators arrive at once, each from its own
loopback address (127.0.1.x: the server tells them apart, as it would N phones), and create a
workshop, again and again for --sustain seconds, the way the app offers it: the front door's creation form (POST /new) when the app
serves one, otherwise Streamlit's home page (open it, open "Animer un atelier", submit the form).
`--home-visits` adds N Streamlit sessions of the home page, spoken at the protocol level (what N
visitors cost before "/" was plain HTML, and what a script opening sessions still costs).
Reports submit latency (median, 95th percentile) per phase, creations made and refused.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.load import Stats, join_over_http, submit  # noqa: E402
from scripts.stserver import Server  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop import store  # noqa: E402
from workshop.stclient import Session, text_state, trigger  # noqa: E402


def source(n: int) -> str:
    return f"127.0.1.{n % 250 + 2}" if n < 250 else f"127.0.{n // 250 + 2}.{n % 250 + 2}"


def front_door_form(base: str) -> bool:
    """True when the app serves its creation form as plain HTML."""
    try:
        return 'action="/new"' in urllib.request.urlopen(f"{base}/new", timeout=10).read().decode()
    except urllib.error.HTTPError:
        return False


def create_by_door(base: str, n: int, *, timeout: float) -> str:
    """What a script does with the front door's form: one POST from its own address (no page
    fetched first: the form's key is optional, the server makes one)."""
    host, port = base.removeprefix("http://").split(":")
    fields = {"title": f"Atelier {n}", "language": "fr", "question": "Q", "retention_days": "30", "lang": "fr"}
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source(n), 0))
    try:
        conn.request("POST", "/new", body=urlencode(fields), headers={"content-type": "application/x-www-form-urlencoded"})
        answer = conn.getresponse()
        answer.read()
        return "created" if answer.status == 303 else f"refused {answer.status}"
    finally:
        conn.close()


async def create_by_home_page(base: str, n: int, *, timeout: float) -> str:
    """What a script does with Streamlit's home page: open it, open the creation form, submit."""
    async with Session(base, source_address=source(n)) as session:
        page = await session.run(timeout=timeout)
        opened = await session.run(widgets=[WidgetState(id=page.widget("checkbox", "Animer un atelier").id, bool_value=True)])
        widgets = [
            WidgetState(id=page.widget("checkbox", "Animer un atelier").id, bool_value=True),
            text_state(opened.widget("text_input", "Titre de l'atelier"), f"Atelier {n}"),
            trigger(opened.widget("button", "Créer l'atelier")),
        ]
        done = await session.run(widgets=widgets, timeout=timeout)
        return "created" if "Atelier créé" in done.alert_text() else "refused"


async def visit_home(base: str, n: int, *, timeout: float) -> str:
    async with Session(base, source_address=source(n)) as session:
        await session.run(timeout=timeout)
        return "visited"


async def participant(base: str, code: str, n: int, stats: Stats, stop: asyncio.Event, phases: list) -> None:
    token = await asyncio.to_thread(join_over_http, base, code, f"P{n:03d}", timeout=60)
    async with Session(base, page_name="me", query={"p": token}) as session:
        page = await session.run(timeout=60)
        k = 0
        await asyncio.sleep(n / 20)  # spread over a second
        while not stop.is_set():
            before = len(stats.latencies)
            page = await submit(session, page, "idea", f"P{n:03d}-idea-{k}", stats, double=False, timeout=60)
            if len(stats.latencies) > before:
                phases.append((phases_now(), stats.latencies[-1]))
            k += 1
            await asyncio.sleep(1.0)


PHASE = {"name": "warm"}


def phases_now() -> str:
    return PHASE["name"]


async def flood(base: str, count: int, kind: str, *, sustain: float) -> dict:
    """`count` creators at once, again and again for `sustain` seconds (at least once)."""
    started = time.monotonic()
    made: dict[str, int] = {}
    while not made or time.monotonic() - started < sustain:
        if kind == "door":
            attempts = [asyncio.to_thread(create_by_door, base, n, timeout=120) for n in range(count)]
        elif kind == "home_page":
            attempts = [create_by_home_page(base, n, timeout=120) for n in range(count)]
        else:
            attempts = [visit_home(base, n, timeout=120) for n in range(count)]
        for outcome in await asyncio.gather(*attempts, return_exceptions=True):
            key = outcome if isinstance(outcome, str) else f"error {type(outcome).__name__}"
            made[key] = made.get(key, 0) + 1
    return {"outcomes": made, "seconds": round(time.monotonic() - started, 1)}


def summary(latencies: list[float]) -> dict:
    if not latencies:
        return {"submits": 0}
    ordered = sorted(latencies)
    return {
        "submits": len(ordered),
        "median_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "max_s": round(ordered[-1], 3),
    }


async def main_async(args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-creations-"))
    path = folder / "room.db"
    conn = dbmod.open_db(path)
    workshop, _ = store.create_workshop(conn, title="Salle", question="Quels cas d'usage ?")
    store.update_view_settings(conn, workshop.id, max_participants=2000, joins_per_minute=2000)
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    conn.close()
    server = Server(path)
    server.start()
    stats, stop, phases = Stats(), asyncio.Event(), []
    out: dict = {"participants": args.participants, "creations": args.creations}
    try:
        kind = "door" if front_door_form(server.url) else "home_page"
        out["creation_form"] = kind
        people = [
            asyncio.create_task(participant(server.url, workshop.code, n, stats, stop, phases)) for n in range(args.participants)
        ]
        await asyncio.sleep(5)
        PHASE["name"] = "quiet"
        await asyncio.sleep(args.quiet)
        PHASE["name"] = "creations"
        out["flood"] = await flood(server.url, args.creations, kind, sustain=args.sustain)
        if args.home_visits:
            PHASE["name"] = "home_visits"
            out["home_visits"] = await flood(server.url, args.creations, "visits", sustain=args.sustain)
        PHASE["name"] = "after"
        await asyncio.sleep(3)
        stop.set()
        await asyncio.gather(*people, return_exceptions=True)
        for name in ("quiet", "creations", "home_visits"):
            if any(p == name for p, _ in phases):
                out[f"submit_{name}"] = summary([s for p, s in phases if p == name])
        out["errors"] = dict(stats.errors)
    finally:
        server.stop()
    conn = dbmod.connect(path)
    try:
        out["workshops_created"] = len(store.workshops_list(conn)) - 1  # the room itself is not one of them
    finally:
        conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creations", type=int, default=150)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--quiet", type=float, default=8.0, help="seconds of the room alone before the flood")
    parser.add_argument("--sustain", type=float, default=8.0, help="seconds the creators keep posting (0: once)")
    parser.add_argument("--home-visits", action="store_true", help="then as many plain visits of the home page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    print(json.dumps(result, indent=2 if not args.json else None, ensure_ascii=False))


if __name__ == "__main__":
    main()
