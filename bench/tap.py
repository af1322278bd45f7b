"""Tap-to-form on a weak phone: from the tap on *Rejoindre* to a contact form that takes typing,
on a throttled connection (150 ms, 1.6 Mbit/s down, 750 kbit/s up) with a 4x slower CPU, empty
cache, after the seconds a person spends typing their name on the join page (which prefetches
meanwhile). Debian's Chromium, a fresh room with its network round open.

    python bench/tap.py [--runs 3] [--typing 6] [--json]

Per run: seconds to the personal page's address, to the contact form's field visible, and to the
field holding what was typed into it (usable); the same without throttling for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.payload import ARGS, CHROMIUM, prepare  # noqa: E402
from scripts.stserver import Server  # noqa: E402

WEAK = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4


def tap_to_form(browser, url: str, code: str, *, throttled: bool, typing_s: float) -> dict:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR", is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        if throttled:
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **WEAK})
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(f"{url}/?code={code}", timeout=120_000)
        name = page.get_by_label(re.compile("Votre prénom ou pseudonyme"))
        name.wait_for(timeout=60_000)
        opened = time.perf_counter()
        name.press_sequentially("Mesure", delay=120)
        page.wait_for_timeout(max(0, typing_s - (time.perf_counter() - opened)) * 1000)
        tapped = time.perf_counter()
        page.get_by_role("button", name="Rejoindre").click()
        page.wait_for_url(re.compile(r".*/me\?p="), timeout=120_000)
        at_page = time.perf_counter() - tapped
        field = page.get_by_label("Initiales ou pseudonyme")
        field.wait_for(state="visible", timeout=120_000)
        visible = time.perf_counter() - tapped
        field.fill("M. D.", timeout=120_000)
        page.wait_for_function("() => [...document.querySelectorAll('input')].some((i) => i.value === 'M. D.')", timeout=120_000)
        usable = time.perf_counter() - tapped
        return {"page_s": round(at_page, 2), "form_visible_s": round(visible, 2), "form_usable_s": round(usable, 2)}
    finally:
        ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--typing", type=float, default=6.0, help="seconds on the join page before the tap")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db")
        server.start()
        try:
            code = prepare(server.db_path, server.url)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                tap_to_form(browser, server.url, code, throttled=False, typing_s=1)  # the server's first run, not counted
                for throttled in (True, False):
                    for run in range(1, args.runs + 1):
                        row = {
                            "throttled": throttled,
                            "run": run,
                            **tap_to_form(browser, server.url, code, throttled=throttled, typing_s=args.typing),
                        }
                        rows.append(row)
                        if not args.json:
                            print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
                browser.close()
        finally:
            server.stop()
    summary = {
        ("throttled" if t else "quiet"): statistics.median(r["form_usable_s"] for r in rows if r["throttled"] == t)
        for t in (True, False)
    }
    print(json.dumps({"rows": rows, "median_usable_s": summary}) if args.json else f"median usable: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
