"""What a phone downloads to join, measured in Debian's Chromium (DevTools network events):
join page + personal page with an empty cache, a second visit, one submit, and the projector's
network redraw; then the time for 200 phones on a shared Wi-Fi.

    python bench/payload.py [--json] [--script serve.py|app.py] [--wifi-mbit 20] [--phones 200]

`--script app.py` serves bare Streamlit (no front door), for the before/after figure.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stserver import Server  # noqa: E402
from scripts.wire import Recorder, wait_ready  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop import store  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def prepare(db_path: Path, url: str) -> str:
    """A workshop whose network round is open; returns its code."""
    conn = dbmod.open_db(db_path)
    try:
        workshop, _ = store.create_workshop(conn, title="Atelier mesure", public_base_url=url)
        store.set_round(conn, workshop.id, "contacts", is_open=True)
        return workshop.code
    finally:
        conn.close()


def join(page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/?code={code}")
    wait_ready(page)
    field = page.get_by_label(re.compile("Votre prénom ou pseudonyme"))
    page.wait_for_timeout(2000)  # reading the question and typing a name (the page prefetches meanwhile)
    field.fill(name)
    field.press("Tab")
    page.get_by_role("button", name="Rejoindre").click()
    page.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(page)
    page.wait_for_timeout(800)  # late lazy chunks (fonts, icons) land too


def measure(browser, url: str, code: str) -> dict:
    """One phone: join (empty cache), second visit (warm cache), one submit."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        rec = Recorder.attach(page)
        join(page, url, code, "Mesure")
        joined = {
            "bytes": rec.http_bytes,
            "requests": len(rec.requests),
            "errors": [f"{r.status} {r.url}" for r in rec.errors()],
            "hosts": sorted(rec.hosts()),
            "uncompressed_text": [
                r.url
                for r in rec.requests.values()
                if r.mime in ("text/javascript", "application/javascript", "text/css") and not r.encoding
            ],
            "biggest": [(r.url.rsplit("/", 1)[-1][:40], r.wire_bytes) for r in rec.biggest(6)],
        }
        personal = page.url
        rec.mark()
        page.goto(personal)
        wait_ready(page)
        page.wait_for_timeout(500)
        second = {"bytes": rec.http_bytes, "requests": len(rec.requests), "errors": [f"{r.status} {r.url}" for r in rec.errors()]}
        rec.mark()
        field = page.get_by_label("Initiales ou pseudonyme")
        field.fill("M. D.")
        page.get_by_test_id("stForm").get_by_text("Famille", exact=True).click()
        page.get_by_role("button", name="Ajouter").click()
        page.get_by_text("Ajouté : M. D.").wait_for()
        wait_ready(page)
        submit = {"ws_bytes": rec.ws_bytes, "ws_frames": rec.ws_frames, "http_bytes": rec.http_bytes}
        return {"join": joined, "second_visit": second, "submit": submit}
    finally:
        ctx.close()


def projector_redraw(browser, url: str, db_path: Path, *, participants: int) -> dict:
    """The wall on the network view of a demo room: what one redraw after a write sends."""
    from workshop import demo

    conn = dbmod.open_db(db_path)
    try:
        room = demo.seed_demo(conn, participants=participants, seed=7, public_base_url=url)
        store.update_workshop(conn, room.workshop.id, projector_view="network")
        person = store.participant_by_token(conn, room.participant_tokens[0])[1]
        store.set_round(conn, room.workshop.id, "contacts", is_open=True)
    finally:
        conn.close()
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    try:
        page = ctx.new_page()
        rec = Recorder.attach(page)
        page.goto(f"{url}/projector?w={room.workshop.code}")
        wait_ready(page)
        page.wait_for_timeout(4000)
        rec.mark()
        conn = dbmod.open_db(db_path)
        try:
            store.add_contact(conn, person, submission_id="bench-redraw", label="Nouveau contact", circle="clients")
        finally:
            conn.close()
        page.wait_for_timeout(4500)  # one refresh interval and a half: exactly one redraw with data
        return {"participants": participants, "ws_bytes": rec.ws_received, "ws_deflated_bytes": rec.ws_received_deflated}
    finally:
        ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", default="serve.py")
    parser.add_argument("--wifi-mbit", type=float, default=20.0)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--room", type=int, default=25, help="participants of the demo room on the projector")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db", script=args.script)
        server.start()
        try:
            code = prepare(server.db_path, server.url)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                result = measure(browser, server.url, code)
                result["projector"] = projector_redraw(browser, server.url, server.db_path, participants=args.room)
                browser.close()
        finally:
            server.stop()
    total = result["join"]["bytes"]
    result["script"] = args.script
    result["room_seconds"] = round(total * args.phones * 8 / (args.wifi_mbit * 1e6), 1)
    result["room"] = {"phones": args.phones, "wifi_mbit": args.wifi_mbit}
    if args.json:
        print(json.dumps(result))
        return 0
    j, s, w = result["join"], result["second_visit"], result["submit"]
    print(f"served by: {args.script}")
    print(f"join (join page + personal page, empty cache): {j['bytes'] / 1e6:.2f} MB in {j['requests']} requests")
    print(f"  biggest: {', '.join(f'{n} {b / 1e3:.0f} KB' for n, b in j['biggest'])}")
    print(f"  errors: {j['errors'] or 'none'}; hosts: {', '.join(j['hosts'])}")
    print(f"  JS/CSS without content-encoding: {len(j['uncompressed_text'])}")
    print(f"second visit (warm cache): {s['bytes'] / 1e3:.1f} KB in {s['requests']} requests; errors: {s['errors'] or 'none'}")
    print(
        f"a submit: {w['ws_bytes'] / 1e3:.1f} KB over the WebSocket ({w['ws_frames']} frames, before deflate), {w['http_bytes']} B HTTP"
    )
    print(f"{args.phones} phones on {args.wifi_mbit:g} Mbit/s: {result['room_seconds']} s")
    pr = result["projector"]
    print(
        f"projector network redraw after a write ({pr['participants']} people): {pr['ws_bytes'] / 1e3:.0f} KB, "
        f"{pr['ws_deflated_bytes'] / 1e3:.0f} KB deflated"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
