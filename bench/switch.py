"""How long the wall takes to show what the facilitator switched to, in a 200- and a 1,000-person
room: each projector view, then each network sub-view (full, bridges, circles, reach, flows) and
colour mode, switched from the console as it does (`store.update_workshop`,
`store.update_view_settings`).

    python bench/switch.py [--json] [--rooms 200,1000] [--rounds 2]

A wall is a real Streamlit session spoken to at the WebSocket protocol level: after each switch
its live header runs (as its `run_every` does every REFRESH_SECONDS), notices the switch and
redraws; the figure is the seconds of that run, the server's share of what the room waits for.
The wall notices a switch within REFRESH_SECONDS (3 s) of it, so the room waits on average
1.5 s more, then the browser's render (bench/wall.py). Round 1 is each view's first showing
at this data version; round 2 shows them again (what a facilitator going back and forth sees).
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

from scripts.stserver import Server  # noqa: E402
from workshop import config, demo, store  # noqa: E402
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
                run = await wall.run(fragment_id=wall.fragment_ids[0], auto=True, timeout=300)
                assert not run.exceptions, (name, run.exceptions)
                # A whole run, not the header's alone: the wall noticed the switch and redrew.
                assert run.status == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY, (name, run.status)
                rows.append({"round": k, "step": name, "server_s": round(time.perf_counter() - started, 2)})
    conn.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rooms", default="200,1000")
    parser.add_argument("--rounds", type=int, default=2)
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
                for row in rows:
                    row["room"] = n
                    if not args.json:
                        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                results += rows
                for k in range(1, args.rounds + 1):
                    times = [r["server_s"] for r in rows if r["round"] == k]
                    summary = {"room": n, "round": k, "median_s": statistics.median(times), "max_s": max(times)}
                    summary["worst"] = max((r for r in rows if r["round"] == k), key=lambda r: r["server_s"])["step"]
                    if not args.json:
                        print("summary", " ".join(f"{a}={b}" for a, b in summary.items()), flush=True)
        finally:
            server.stop()
    if args.json:
        print(json.dumps({"refresh_s": config.REFRESH_SECONDS, "rows": results}))


if __name__ == "__main__":
    main()
