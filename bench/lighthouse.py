"""Lighthouse (mobile, simulated slow 4G) on the join page and the personal page of a fresh room,
with Debian's Chromium: performance, CLS, accessibility, first contentful paint, bytes.

    python bench/lighthouse.py [--runs 2] [--json]

Lighthouse comes from npm, installed once into .cache/lighthouse (the registry is the only
network this needs); the app runs on a free loopback port with its own database.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.payload import prepare  # noqa: E402
from scripts.stserver import Server  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop import store  # noqa: E402

HOME = ROOT / ".cache" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def lighthouse() -> Path:
    cli = HOME / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(HOME), "lighthouse@12"], check=True
        )
    return cli


def audit(cli: Path, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(cli),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"},
            timeout=240,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "accessibility": round(100 * (report["categories"]["accessibility"]["score"] or 0)),
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 1),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failed_a11y": [k for k, a in audits.items() if a.get("score") == 0 and k in _A11Y_IDS(report)],
    }


def _A11Y_IDS(report: dict) -> set[str]:
    return {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cli = lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "w.db")
        server.start()
        try:
            code = prepare(server.db_path, server.url)
            conn = dbmod.open_db(server.db_path)
            try:
                person = store.join(conn, code, "Phare", token="lighthouse-token-0000000000")
                del person
            finally:
                conn.close()
            pages = {"join": f"{server.url}/?code={code}", "personal": f"{server.url}/me?p=lighthouse-token-0000000000"}
            results = {name: [audit(cli, url) for _ in range(args.runs)] for name, url in pages.items()}
        finally:
            server.stop()
    if args.json:
        print(json.dumps(results))
        return 0
    for name, runs in results.items():
        for n, r in enumerate(runs, 1):
            print(
                f"{name:>8} run {n}: performance {r['performance']}, accessibility {r['accessibility']}, CLS {r['cls']}, "
                f"FCP {r['fcp_s']} s, LCP {r['lcp_s']} s, TBT {r['tbt_ms']} ms, {r['bytes'] / 1e6:.2f} MB"
                + (f", failed: {', '.join(r['failed_a11y'])}" if r["failed_a11y"] else "")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
