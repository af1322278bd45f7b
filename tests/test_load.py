"""The load test in small: 10 protocol-level sessions with double submits and a resume, against
a real server (SQLite), then a real PostgreSQL behind 2 servers and Caddy, one of them killed
mid-burst. Correctness only (nothing lost, nothing duplicated), never timing."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(coro) -> dict:
    """asyncio.run in its own thread: Playwright's sync API may own this thread's event loop."""
    box = {}

    def target() -> None:
        try:
            box["result"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=400)
    if "error" in box:
        raise box["error"]
    return box["result"]


def small_run(**changes) -> dict:
    """A 10-session run of bench/load.py against a real server, one projector."""
    load = load_module()
    options = dict(
        sessions=10,
        submits=3,
        projectors=1,
        think=0.3,
        ramp=1.0,
        burst=False,
        timeout=60.0,
        max_seconds=240.0,
        seed=1,
        projector_rounds=1,
        servers=1,
        database="sqlite",
        kill_one_after=None,
    )
    return run(load.main_async(argparse.Namespace(**{**options, **changes})))


def test_small_load_loses_and_duplicates_nothing():
    result = small_run()
    assert result["joined"] == 10
    assert result["double_submits"] >= 1 and result["resumed"] >= 1
    assert result["submits_sent"] == 30
    assert result["acknowledged"] == 30
    assert result["lost"] == 0
    assert result["duplicated"] == 0
    assert result["rows_landed"] == 30
    assert result["errors"] == {}
    assert result["projector_phase_refreshes"] >= 1  # the projector-only phase ran


def test_burst_loses_nothing():
    result = small_run(submits=2, think=0.0, burst=True, seed=2)
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert result["acknowledged"] == result["submits_sent"] == result["rows_landed"] == 20


def test_two_servers_on_postgresql_one_killed_mid_burst_lose_no_acknowledged_write():
    """SIGKILL one of two app servers while the room submits through the proxy: every write the
    app acknowledged is in PostgreSQL, once; its participants reconnect through the proxy to the
    other server with their personal link and their next submit lands."""
    result = small_run(
        sessions=12, submits=4, think=0.0, burst=True, seed=3, servers=2, database="postgresql", kill_one_after=0.0
    )
    assert result["servers"] == 2 and result["joined"] == 12
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert result["errors"] == {}
    assert result["acknowledged"] == result["submits_sent"] == 48
    assert result["interrupted_by_kill"] >= 1  # the kill did land in the middle of the submits
    assert result["resumed"] >= result["interrupted_by_kill"]
    assert result["rows_landed"] == 48 + result["interrupted_landed_twice"]
