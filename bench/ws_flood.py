"""Compressed WebSocket messages from a guest: the server's memory while it inflates them.

    python bench/ws_flood.py --connections 150 [--before] [--json]

N connections each send one message of 9 MB of zeros, deflated (~9 KB on the air), all at once,
to a real server; reports the server's peak resident memory above its idle level and how long
the home page took meanwhile. `--before` serves with Streamlit's own command line (one 10 MB
bound for both directions) instead of `workshop.launch` (a browser's messages bounded at 1 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stserver import Server


async def one(url: str, size: int) -> int:
    try:
        ws = await websockets.connect(
            url, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], compression="deflate", max_size=None, open_timeout=60
        )
    except Exception:
        return -2
    try:
        await ws.send(b"\0" * size)
        await asyncio.wait_for(ws.recv(), 30)
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else -1
    except Exception:
        return -3
    finally:
        await ws.close()
    return 0


async def flood(url: str, n: int, size: int) -> list[int]:
    return await asyncio.gather(*(one(url, size) for _ in range(n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=150)
    parser.add_argument("--size", type=int, default=9_000_000)
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    srv = Server(Path(tempfile.mkdtemp(prefix="bench-ws-")) / "ws.db")
    if args.before:
        srv.launcher = "streamlit"
    srv.start()
    try:
        proc = psutil.Process(srv.proc.pid)
        idle = proc.memory_info().rss
        peak = [idle]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], proc.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        home: list[float] = []

        def load_home() -> None:
            time.sleep(0.5)
            started = time.monotonic()
            with urllib.request.urlopen(srv.url + "/", timeout=60) as answer:
                answer.read()
            home.append(time.monotonic() - started)

        page = threading.Thread(target=load_home)
        page.start()
        codes = asyncio.run(flood(srv.url.replace("http://", "ws://") + "/_stcore/stream", args.connections, args.size))
        page.join()
        done.set()
        sampler.join()
    finally:
        srv.stop()
    result = {
        "launcher": srv.launcher,
        "connections": args.connections,
        "added_mb": round((peak[0] - idle) / 2**20, 1),
        "home_page_s": round(home[0], 2) if home else None,
        "closed_1009": codes.count(1009),
        "other": len(codes) - codes.count(1009),
    }
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
