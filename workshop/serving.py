"""`thinkdo serve`: everything needed to serve one room from a laptop, in Python alone (no bash,
curl, `ip` or apt), the same on Windows, macOS and Linux: migrate, seed the demo the first time,
precompress the frontend, find the join address, start Streamlit, warm it up, open the browser."""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workshop import config, engine, store
from workshop import db as dbmod


@dataclass(frozen=True)
class Plan:
    """What `serve` is about to do, said to the facilitator before it starts."""

    database: str
    static_cache: Path
    home_url: str
    join_base: str
    command: list[str]
    env: dict[str, str]


def healthy(url: str, *, within: float, alive: Callable[[], bool] = lambda: True) -> bool:
    """True once `url`'s /_stcore/health answers ok; False after `within` s or once `alive()` is False."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def plan(*, database: str, address: str, port: int, public_url: str = "") -> Plan:
    """The server's command line and environment: `python -m workshop.launch` (Streamlit's command
    line with the server's bounds, workshop/launch.py) through this very
    interpreter (no shell, no PATH lookup), started in the site folder so its .streamlit/ applies."""
    from workshop import web

    public_url = (public_url or config.public_url_setting()).rstrip("/")
    env = dict(os.environ)
    env.pop("WORKSHOP_DATABASE_URL" if engine.kind(database) == engine.SQLITE else "WORKSHOP_DB", None)
    env["WORKSHOP_DB" if engine.kind(database) == engine.SQLITE else "WORKSHOP_DATABASE_URL"] = database
    env["WORKSHOP_PORT"] = str(port)
    env["PYTHONIOENCODING"] = "utf-8"
    if public_url:
        env["WORKSHOP_PUBLIC_URL"] = public_url
    # A forwarded client address is believed only from the proxy named here (unset: nobody).
    env["FORWARDED_ALLOW_IPS"] = config.trusted_proxy()
    site = config.site_dir()
    command = [
        sys.executable,
        "-m",
        "workshop.launch",
        "run",
        str(site / "serve.py"),
        "--server.address",
        address,
        "--server.port",
        str(port),
    ]
    local = "127.0.0.1" if address in ("0.0.0.0", "::", "") else address
    lan = public_url or f"http://{config.lan_address() or 'localhost'}:{port}"
    return Plan(database, web.static_cache_dir(), f"http://{local}:{port}", lan, command, env)


def prepare(database: str, *, demo: bool, say: Callable[[str], None] = print) -> None:
    """Create or migrate the database; on an empty one, seed the demo workshop (unless told not to)."""
    with dbmod.open_db(database) as db:
        empty = not store.workshops_list(db)
    if demo and empty:
        from workshop import demo as demos

        say("first start: seeding the demo workshop (25 participants)…")
        links = demos.seed_database(database)
        say(f"demo console: {links['facilitator_url']}")


def serve(
    *,
    database: str,
    address: str = "0.0.0.0",
    port: int = 8501,
    demo: bool = True,
    browser: bool = True,
    public_url: str = "",
    say: Callable[[str], None] = functools.partial(print, flush=True),
) -> int:
    """Serve until the server stops, Ctrl+C or a termination request; returns its exit code."""
    from workshop import stclient, web

    # Stopped by the system (a service manager, a closed terminal): stop the server with us
    # rather than leave it holding the port. SIGTERM exists on Windows too.
    signal.signal(signal.SIGTERM, _interrupt)
    os.environ["WORKSHOP_PORT"] = str(port)  # the demo's links, printed below, name this port
    if public_url:
        os.environ["WORKSHOP_PUBLIC_URL"] = public_url

    prepare(database, demo=demo, say=say)
    web.precompress()
    p = plan(database=database, address=address, port=port, public_url=public_url)
    say(f"database: {engine.redact(p.database)}")
    say(f"cache: {p.static_cache}")
    server = subprocess.Popen(p.command, cwd=config.site_dir(), env=p.env)
    try:
        if not healthy(p.home_url, within=90, alive=lambda: server.poll() is None):
            say("the server did not start (see the messages above)")
            return server.poll() or 1
        try:
            # A fresh Streamlit answers the first direct /me or /projector visit with a spurious
            # "Page not found" until one session has run the router: run the home page once.
            asyncio.run(stclient.warm_up(p.home_url, timeout=60))
        except Exception as exc:  # best effort: the app serves without it
            say(f"warm-up skipped: {exc}")
        say(f"home page: {p.home_url}/")
        say(f"participants join at: {p.join_base}/  (the console's Salle tab shows the QR)")
        say("stop with Ctrl+C")
        if browser:
            webbrowser.open(f"{p.home_url}/")
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
