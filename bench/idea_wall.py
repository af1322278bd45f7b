"""How long a new idea takes to appear on the wall's *Mur d'idées*, in a 200- and a 1,000-person
room whose wall turns through several pages (issue #31: within one refresh + 1 s).

    python bench/idea_wall.py [--rooms 200,1000] [--ideas 10] [--json]

A real server, the demo room with its ideas round open and the wall on the ideas view in
Debian's Chromium at 1920x1080. Each idea is written by a participant at a random moment
(seeded, 3-8 s apart, so the wall is on any of its pages), and the figure is the seconds from the
write to the idea's text visible on the wall.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.payload import ARGS, CHROMIUM  # noqa: E402
from scripts.stserver import Server  # noqa: E402
from workshop import config, demo, links, store  # noqa: E402
from workshop import db as dbmod  # noqa: E402


def latencies(server: Server, code: str, ideas: int, seed: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    conn = dbmod.connect(server.db_path)
    workshop = store.workshop_by_code(conn, code)
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    store.update_workshop(conn, workshop.id, projector_view="ideas")
    people = store.participants_frame(conn, workshop.id)["id"].tolist()
    rng = random.Random(seed)
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(links.projector_url(workshop))
        page.locator(".wall-ideas").first.wait_for(timeout=120_000)
        for k in range(ideas):
            page.wait_for_timeout(rng.uniform(3000, 8000))
            author = store.get_participant(conn, workshop.id, rng.choice(people))
            text = f"Idée témoin {seed}-{k} : un atelier de réparation partagé"
            started = time.perf_counter()
            store.add_idea(conn, author, submission_id=f"bench-idea-wall-{seed}-{k}", text=text)
            page.get_by_text(text).first.wait_for(state="visible", timeout=120_000)
            out.append(round(time.perf_counter() - started, 2))
        browser.close()
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", default="200,1000")
    parser.add_argument("--ideas", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db")
        server.start()
        try:
            conn = dbmod.open_db(server.db_path)
            codes = {
                n: demo.seed_demo(conn, participants=n, seed=11 + n, public_base_url=server.url).workshop.code
                for n in map(int, args.rooms.split(","))
            }
            conn.close()
            for n, code in codes.items():
                seen = latencies(server, code, args.ideas, seed=n)
                row = {
                    "room": n,
                    "ideas": len(seen),
                    "median_s": statistics.median(seen),
                    "max_s": max(seen),
                    "goal_s": config.REFRESH_SECONDS + 1,
                    "seen_s": seen,
                }
                results.append(row)
                if not args.json:
                    print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        finally:
            server.stop()
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
