"""The wall as the room sees it: every projector view at 1920×1080 and 1280×720, in a 5-person
and a 200-person demo room, photographed by Debian's Chromium and measured.

    python bench/wall.py [--json] [--out test-artifacts/wall]

Per view and size: content overflow below the screen (px), the smallest text size the room is
meant to read (px, visible text elements only), the WebSocket bytes of one full draw, and for
the network the overlapping label boxes, the nodes at the frame's edge, the seconds from
opening the page to the network drawn, and once a contact is added the seconds of the server's
run that brings it (first WebSocket message to the figure's) and of the browser's render (the
figure's message to the plot's last change).
Screenshots go to --out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stserver import Server  # noqa: E402
from scripts.wallcheck import MEASURE, NETWORK  # noqa: E402
from scripts.wire import wait_ready  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop import demo, links, store  # noqa: E402
from workshop.model import PROJECTOR_VIEWS  # noqa: E402

VIEWS = PROJECTOR_VIEWS
SIZES = ((1920, 1080), (1280, 720))
ROOMS = (5, 200)


# Timestamps in the page of every WebSocket message and of every change to the network plot:
# a redraw's render time is from the first message of the run that brought the change to the
# plot's last change.
CLOCKS = """
window.__tdWs = []; window.__tdPlot = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  ws.addEventListener("message", (e) => window.__tdWs.push([performance.now(), e.data.byteLength || e.data.length || 0]));
  return ws;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
new MutationObserver((records) => {
  if (records.some((r) => r.target.closest && r.target.closest(".js-plotly-plot"))) window.__tdPlot.push(performance.now());
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
RENDER = """(since) => {
  const plot = window.__tdPlot.filter((t) => t > since);
  if (!plot.length) return null;
  const ws = window.__tdWs.filter(([t]) => t > since && t <= plot[0]);
  if (!ws.length) return null;
  let first = ws.length - 1;
  while (first > 0 && ws[first][0] - ws[first - 1][0] < 1000) first--;  // the run's first message
  const figure = ws.slice(first).reduce((a, b) => (b[1] > a[1] ? b : a));  // the biggest: the figure
  const last = plot.filter((t) => t - plot[0] < 3000).pop();
  return {server: (figure[0] - ws[first][0]) / 1000, browser: (last - figure[0]) / 1000};
}"""


def redraw_seconds(page, conn, workshop) -> dict:
    """One contact added to the room while the wall shows the network: seconds from the run's
    first message to its figure (the server's run), and from the figure to the plot redrawn
    (the browser's render); empty if no redraw came within 10 s."""
    person = store.participants_frame(conn, workshop.id).iloc[0]
    since = page.evaluate("performance.now()")
    participant = store.get_participant(conn, workshop.id, int(person["id"]))
    store.add_contact(conn, participant, submission_id=f"bench-{since}", label="Bench R.", circle="family")
    page.wait_for_timeout(10_000)
    value = page.evaluate(RENDER, since) or {}
    return {f"redraw_{part}_s": round(seconds, 2) for part, seconds in value.items()}


# Measured in the page: how far content runs below the viewport, the smallest visible text.
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "wall"))
    parser.add_argument("--views", default=",".join(VIEWS))
    parser.add_argument("--rooms", default=",".join(map(str, ROOMS)))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db")
        server.start()
        conn = dbmod.open_db(server.db_path)
        rooms = {
            n: demo.seed_demo(conn, participants=n, seed=7 + n, public_base_url=server.url).workshop
            for n in map(int, args.rooms.split(","))
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"])
            for n, workshop in rooms.items():
                for view in args.views.split(","):
                    store.update_workshop(conn, workshop.id, projector_view=view)
                    for width, height in SIZES:
                        page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
                        page.add_init_script(CLOCKS)
                        received = []  # WebSocket bytes from the server: the whole wall, drawn once
                        page.on("websocket", lambda ws, box=received: ws.on("framereceived", lambda f: box.append(len(f))))
                        started = time.perf_counter()
                        page.goto(links.projector_url(workshop))
                        if view == "network":
                            page.wait_for_function(
                                "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .point').length > 0"
                            )
                        drawn_s = time.perf_counter() - started
                        wait_ready(page)
                        page.wait_for_timeout(1500)
                        row = {
                            "room": n,
                            "view": view,
                            "size": f"{width}x{height}",
                            **page.evaluate(MEASURE),
                            "ws_kb": round(sum(received) / 1024, 1),
                        }
                        if view == "network":
                            row["drawn_after_open_s"] = round(drawn_s, 2)
                        if view == "network":
                            row.update(page.evaluate(NETWORK))
                            row.update(redraw_seconds(page, conn, workshop))
                        shot = out / f"{view}-{n}p-{width}x{height}.png"
                        page.screenshot(path=str(shot))
                        row["screenshot"] = str(shot.relative_to(ROOT)) if shot.is_relative_to(ROOT) else str(shot)
                        rows.append(row)
                        page.close()
                        if not args.json:
                            print(" ".join(f"{k}={v}" for k, v in row.items() if k != "screenshot"), flush=True)
            browser.close()
        conn.close()
        server.stop()
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
