"""How long the wall takes to show what the facilitator switched to, in a 200- and a 1,000-person
room: each projector view, then each network sub-view (full, bridges, circles, reach, flows) and
colour mode, switched from the console as it does (`store.update_workshop`,
`store.update_view_settings`).

    python bench/switch.py [--json] [--rooms 200,1000] [--rounds 2] [--browser]

A wall is a real Streamlit session spoken to at the WebSocket protocol level: after each switch
its clock ticks (the hidden button the boot script presses every WALL_PULSE_SECONDS), notices the
switch and redraws the view; the figure is the seconds of that run, the server's share of what the
room waits for.
The wall notices a switch within WALL_PULSE_SECONDS (1 s) of it, so the room waits on average
0.5 s more, then the browser's render (bench/wall.py). Round 1 is each view's first showing
at this data version; round 2 shows them again (what a facilitator going back and forth sees).
With --browser, the same rooms on a wall in Debian's Chromium at 1920x1080: seconds from the
switch written to the new view visible (pulse, server run and drawing: what the room sees);
with --new-data too, a participant adds a contact just before each switch: every view is a
first showing at a new data version, as in a room that keeps writing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.payload import ARGS, CHROMIUM  # noqa: E402
from scripts.stserver import Server  # noqa: E402
from workshop import config, demo, links, store  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop.model import COLOUR_MODES, NETWORK_VIEWS, PROJECTOR_VIEWS  # noqa: E402
from workshop.stclient import Session  # noqa: E402


def steps() -> list[tuple[str, dict, dict]]:
    """(name, workshop change, view settings change), in the order a facilitator might click."""
    out = [(f"view:{v}", {"projector_view": v}, {}) for v in PROJECTOR_VIEWS if v != "counters"]
    out.append(("view:network", {"projector_view": "network"}, {}))
    out += [(f"net:{v}", {}, {"net_view": v}) for v in NETWORK_VIEWS[1:] + NETWORK_VIEWS[:1]]
    out += [(f"colour:{c}", {}, {"color_by": c}) for c in COLOUR_MODES[1:] + COLOUR_MODES[:1]]
    out.append(("view:counters", {"projector_view": "counters"}, {}))
    return out


async def switch_times(server: Server, db_path: Path, code: str, rounds: int) -> list[dict]:
    conn = dbmod.connect(db_path)
    workshop = store.workshop_by_code(conn, code)
    store.update_workshop(conn, workshop.id, projector_view="counters")
    rows = []
    async with Session(server.url, page_name="projector", query={"w": code}) as wall:
        first = await wall.run(timeout=300)
        assert not first.exceptions, first.exceptions
        for k in range(1, rounds + 1):
            for name, change, settings in steps():
                if change:
                    store.update_workshop(conn, workshop.id, **change)
                if settings:
                    store.update_view_settings(conn, workshop.id, **settings)
                started = time.perf_counter()
                run = await wall.tick(timeout=300)
                assert not run.exceptions, (name, run.exceptions)
                # The view, not the round line alone: the wall noticed the switch and redrew it.
                assert run.status == ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, (name, run.status)
                assert run.elements > 2, (name, run.texts)  # more than the clock's button and round line
                rows.append({"round": k, "step": name, "server_s": round(time.perf_counter() - started, 2)})
    conn.close()
    return rows


# What each view draws that no other view does: its first drawing is visible.
VIEW_MARKS = {
    "network": ".js-plotly-plot .scatterlayer .point",
    "map": ".wall-swatch",
    "ideas": ".wall-ideas",
    "themes": ".wall-cards .card",
    "story": ".story",
    "counters": '[data-testid="proj-participants"]',
}


def browser_switch_times(db_path: Path, code: str, rounds: int, *, new_data: bool = False) -> list[dict]:
    """Seconds from the switch written to the view visible on a 1920x1080 wall; `new_data`: a
    participant adds a contact just before each switch (the view's first showing at a new data
    version, what a writing room sees)."""
    from playwright.sync_api import sync_playwright

    conn = dbmod.connect(db_path)
    workshop = store.workshop_by_code(conn, code)
    writer = store.get_participant(conn, workshop.id, int(store.participants_frame(conn, workshop.id)["id"].iloc[0]))
    store.update_workshop(conn, workshop.id, projector_view="counters")
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(links.projector_url(workshop))
        page.locator(VIEW_MARKS["counters"]).first.wait_for(timeout=120_000)
        for k in range(1, rounds + 1):
            for view in VIEW_MARKS:
                page.wait_for_timeout(1300)  # the previous view settled
                started = time.perf_counter()
                if new_data:
                    store.add_contact(
                        conn, writer, submission_id=f"bench-switch-{k}-{view}", label=f"Nouveau {k}{view}", circle="hobby"
                    )
                store.update_workshop(conn, workshop.id, projector_view=view)
                page.locator(VIEW_MARKS[view]).first.wait_for(state="visible", timeout=120_000)
                step = f"browser{'-new-data' if new_data else ''}:{view}"
                rows.append({"round": k, "step": step, "seen_s": round(time.perf_counter() - started, 2)})
        browser.close()
    conn.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rooms", default="200,1000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--browser", action="store_true", help="also the wall in Chromium, switch to seen")
    parser.add_argument("--new-data", action="store_true", help="with --browser: a new contact just before each switch")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db")
        server.start()
        try:
            conn = dbmod.open_db(server.db_path)
            codes = {}
            for n in map(int, args.rooms.split(",")):
                started = time.perf_counter()
                codes[n] = demo.seed_demo(conn, participants=n, seed=7 + n, public_base_url=server.url).workshop.code
                if not args.json:
                    print(f"seeded {n} participants in {time.perf_counter() - started:.1f} s", flush=True)
            conn.close()
            for n, code in codes.items():
                rows = asyncio.run(switch_times(server, server.db_path, code, args.rounds))
                if args.browser:
                    rows += browser_switch_times(server.db_path, code, args.rounds)
                    if args.new_data:
                        rows += browser_switch_times(server.db_path, code, args.rounds, new_data=True)
                for row in rows:
                    row["room"] = n
                    if not args.json:
                        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                results += rows
                for k, measure in ((k, m) for k in range(1, args.rounds + 1) for m in ("server_s", "seen_s")):
                    picked = [r for r in rows if r["round"] == k and measure in r]
                    if not picked:
                        continue
                    times = [r[measure] for r in picked]
                    summary = {"room": n, "round": k, "of": measure, "median_s": statistics.median(times), "max_s": max(times)}
                    summary["worst"] = max(picked, key=lambda r: r[measure])["step"]
                    if not args.json:
                        print("summary", " ".join(f"{a}={b}" for a, b in summary.items()), flush=True)
        finally:
            server.stop()
    if args.json:
        print(json.dumps({"pulse_s": config.WALL_PULSE_SECONDS, "rows": results}))


if __name__ == "__main__":
    main()
