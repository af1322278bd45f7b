"""Protocol-level load test of the real app: N participants join with the code (the plain join
page and its form, as a phone does from the QR), then their personal page's sessions submit K
contacts and ideas through the real forms (with think time, some double submits, some
disconnect-and-resume by personal link), while P projector sessions follow their run_every
fragment. Then the database is compared with what was acknowledged. A last phase measures the
projectors alone: refreshes with nothing written, then with one write per refresh interval.

    python bench/load.py --sessions 200 --submits 3 --projectors 2 --think 20 [--burst] [--json]
    python bench/load.py --servers 2 --database postgresql [--kill-one-after 5]   # behind Caddy

With --servers N > 1 the app servers share a PostgreSQL database behind the project's Caddy proxy
(scripts/servers.py); --kill-one-after S kills one of them (SIGKILL) S seconds after the room's first
acknowledged submit (so the kill lands while submits are in flight, however fast the machine):
its participants reconnect through the proxy with their personal link and submit again.

Every loop is bounded in count and time; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.servers import Cluster  # noqa: E402
from scripts.stserver import Server, free_port  # noqa: E402
from workshop import config, engine, store  # noqa: E402
from workshop import db as dbmod  # noqa: E402
from workshop.stclient import Session, choice_state, text_state, trigger  # noqa: E402

METRIC = re.compile(r'data-testid="proj-(contacts|ideas)"><div class="proj-metric">(\d+)</div>')


@dataclass
class Stats:
    sent: int = 0
    acked: list = field(default_factory=list)  # (kind, participant name, text)
    refused: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    ack_times: list = field(default_factory=list)  # (monotonic time, kind)
    doubles: int = 0
    reruns: int = 0  # every participant-side script run during the submit phase
    resumes: int = 0
    sessions: int = 0
    joined: int = 0
    projector_runs: int = 0
    projector_seen: list = field(default_factory=list)  # (time, contacts, ideas)
    interrupted: list = field(default_factory=list)  # (kind, text) whose server died before answering
    failover_s: list = field(default_factory=list)  # kill → that participant's next acknowledged submit
    killed_at: float | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 is read, not followed


def join_over_http(base: str, code: str, name: str, *, timeout: float) -> str:
    """What a phone does from the QR: open the join page, post its form; the personal token, or
    the page's message as an error."""
    page = urllib.request.urlopen(f"{base}/?{urlencode({'code': code})}", timeout=timeout).read().decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    form = urlencode({"code": code, "name": name, "token": token, "lang": "fr"}).encode()
    try:
        answer = urllib.request.build_opener(_NoRedirect).open(urllib.request.Request(f"{base}/join", data=form), timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 303:
            return parse_qs(urlsplit(exc.headers["location"]).query)["p"][0]
        raise
    alert = re.search(r'role="alert">([^<]*)', answer.read().decode())
    raise RuntimeError(f"join refused: {alert.group(1)[:60] if alert else 'no redirect'}")


async def participant(base: str, code: str, n: int, args, stats: Stats, start_gate: asyncio.Event, rng: random.Random):
    name = f"P{n:03d}"
    try:
        token = await asyncio.to_thread(join_over_http, base, code, name, timeout=args.timeout)
    except (OSError, RuntimeError) as exc:
        stats.errors[f"join: {str(exc)[:60]}"] += 1
        return
    stats.joined += 1
    session = Session(base, page_name="me", query={"p": token})
    try:
        async with session:
            stats.sessions += 1
            page = await session.run()
            await start_gate.wait()
            for k in range(args.submits):
                await asyncio.sleep(0 if args.burst else rng.uniform(0.5, 1.5) * args.think)
                # Contacts first, then ideas, as in the room (the map round, then the ideas round).
                kind = "contact" if k < (args.submits + 1) // 2 else "idea"
                text = f"{name}-{kind}-{k}"
                try:
                    page = await submit(session, page, kind, text, stats, double=(n % 10 == 3 and k == 0), timeout=args.timeout)
                except TimeoutError:
                    stats.sent += 1  # sent, never answered
                    stats.unanswered.append((kind, name, text))
                    stats.errors["timeout"] += 1
                    return
                except websockets.ConnectionClosed:
                    # Its server died: as a browser does, reconnect (through the proxy, to a live
                    # server) and reopen the personal link; the person presses the button again.
                    stats.interrupted.append((kind, text))
                    session, page = await reconnect(base, session, stats)
                    page = await submit(session, page, kind, text, stats, double=False, timeout=args.timeout)
                    if stats.killed_at is not None:
                        stats.failover_s.append(time.monotonic() - stats.killed_at)
                if n % 10 == 7 and k == 0:  # disconnect, then come back with the personal link
                    await session.close()
                    resumed = Session(base, page_name="me", query=dict(q.split("=", 1) for q in session.query_string.split("&")))
                    await resumed.__aenter__()
                    page = await resumed.run()
                    stats.reruns += 1
                    if not any(name in t for t in page.texts):
                        stats.errors["resume: name not shown"] += 1
                    stats.resumes += 1
                    session = resumed
            await session.close()
    except Exception as exc:
        stats.errors[f"{type(exc).__name__}: {str(exc)[:80]}"] += 1


async def reconnect(base: str, dead: Session, stats: Stats, *, within: float = 60.0):
    """A new session on the personal link, retried until a server answers (bounded)."""
    query = dict(q.split("=", 1) for q in dead.query_string.split("&"))
    deadline = time.monotonic() + within
    while True:
        session = Session(base, page_name="me", query=query)
        try:
            await session.__aenter__()
            page = await session.run()
            stats.resumes += 1
            return session, page
        except (OSError, websockets.WebSocketException, TimeoutError):
            await session.close()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def submit(session: Session, page, kind: str, text: str, stats: Stats, *, double: bool, timeout: float):
    """One form submit through the real widgets; acknowledged only by the app's confirmation."""
    if kind == "idea" and not _has(page, "text_area", "Publier une idée"):
        page = await session.run(widgets=[choice_state(page.widget("button_group", "Rubrique"), "Idées")], timeout=timeout)
        stats.reruns += 1
    if kind == "contact" and not _has(page, "text_input", "Initiales ou pseudonyme"):
        page = await session.run(widgets=[choice_state(page.widget("button_group", "Rubrique"), "Mon réseau")], timeout=timeout)
        stats.reruns += 1
    if kind == "contact":
        widgets = [
            text_state(page.widget("text_input", "Initiales ou pseudonyme"), text),
            choice_state(page.widget("button_group", "Cercle"), "Loisirs"),
            trigger(page.widget("button", "Ajouter")),
        ]
        expect = f"Ajouté : {text}"
    else:
        widgets = [text_state(page.widget("text_area", "Publier une idée"), text), trigger(page.widget("button", "Publier"))]
        expect = "Idée publiée."
    # As a browser does: a widget inside an st.fragment reruns only that fragment.
    fragment = page.fragment_of(widgets[-1])
    stats.reruns += 1
    started = time.perf_counter()
    run = await session.run(widgets=widgets, fragment_id=fragment, timeout=timeout)
    latency = time.perf_counter() - started
    if double:  # the same submission again, as a double click or a resent message would
        stats.doubles += 1
        stats.reruns += 1
        await session.run(widgets=widgets, fragment_id=fragment, timeout=timeout)
    # Counted once answered: a submit whose server died (even during its double) is counted
    # by the caller as interrupted and sent again, so it must not be counted twice.
    stats.sent += 1
    alerts = run.alert_text()
    if run.exceptions:
        stats.errors["exception: " + run.exceptions[0][:60]] += 1
    if expect in alerts:
        stats.acked.append((kind, text))
        stats.ack_times.append((time.monotonic(), kind))
        stats.latencies.append(latency)
    elif alerts:
        stats.refused.append((kind, text, alerts[:80]))
        stats.errors["refused: " + alerts[:60]] += 1
    else:
        stats.unanswered.append((kind, text))
        stats.errors["no confirmation"] += 1
    return page.merged(run) if fragment else run


def _has(run, kind: str, label: str) -> bool:
    try:
        run.widget(kind, label)
        return True
    except KeyError:
        return False


async def projector(base: str, code: str, stats: Stats, stop: asyncio.Event, interval: float):
    while not stop.is_set():
        session = Session(base, page_name="projector", query={"w": code})
        try:
            async with session:
                run = await session.run()
                while not stop.is_set():
                    await asyncio.sleep(interval)
                    run = await session.tick() if session.clock else await session.run()
                    stats.projector_runs += 1
                    seen = dict((k, int(v)) for k, v in METRIC.findall(" ".join(run.texts)))
                    if seen:
                        stats.projector_seen.append((time.monotonic(), seen.get("contacts", 0), seen.get("ideas", 0)))
        except (OSError, websockets.WebSocketException):
            await asyncio.sleep(0.5)  # its server died: the projector reconnects by itself, as the page does


async def projector_phase(servers: list[Server], target: str, code: str, stats: Stats, rounds: int) -> dict:
    """The projectors alone: first with nothing written, then with one idea written (by a bench
    participant, left out of the counts) before each refresh interval. CPU per projector refresh."""
    out = {}
    conn = dbmod.connect(target)
    try:
        bench_person = store.join(conn, code, "Bench projecteur", token="bench-projector-token-000")
        for phase in ("unchanged", "changed"):
            cpu0, runs0 = cpu_seconds(servers), stats.projector_runs
            for k in range(rounds):
                if phase == "changed":
                    store.add_idea(conn, bench_person, submission_id=f"bench-projector-{k}", text=f"bench projector {k}")
                await asyncio.sleep(config.REFRESH_SECONDS)
            runs = stats.projector_runs - runs0
            out[phase] = round(1000 * (cpu_seconds(servers) - cpu0) / max(1, runs), 1)
            out["refreshes"] = out.get("refreshes", 0) + runs
    finally:
        conn.close()
    out["bench_participant"] = bench_person.id
    return out


def staleness(stats: Stats) -> list[float]:
    """For each acknowledged write: time until a projector run showed a count that includes it."""
    out = []
    counts = {"contact": 0, "idea": 0}
    for t_ack, kind in sorted(stats.ack_times):
        counts[kind] += 1
        need = counts[kind]
        idx = 1 if kind == "contact" else 2
        shown = next((t for t, *vals in stats.projector_seen if t >= t_ack and vals[idx - 1] >= need), None)
        if shown is not None:
            out.append(shown - t_ack)
    return out


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def cpu_seconds(servers: list[Server]) -> float:
    """CPU of the app servers still running (a killed one's last reading is kept)."""
    total = 0.0
    for server in servers:
        if server.proc and server.proc.poll() is None:
            server.last_cpu = server.cpu_seconds()
        total += getattr(server, "last_cpu", 0.0)
    return total


def fresh_database(kind: str) -> str:
    """An empty database for one run: a SQLite file, or a new database on the project's
    PostgreSQL server (scripts/pg.sh)."""
    if kind == engine.SQLITE:
        return str(Path(tempfile.mkdtemp()) / "load.db")
    import subprocess

    url = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg.sh"), "start"], check=True, capture_output=True, text=True
    ).stdout.strip()
    name = f"bench_{os.getpid()}_{int(time.time())}"
    with engine.connect_postgres(url.rsplit("/", 1)[0] + "/postgres") as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


async def kill_one(cluster: Cluster, after: float, stats: Stats, *, wait_s: float) -> None:
    """SIGKILL the first app server `after` seconds after the first acknowledged submit (a crash,
    no goodbye)."""
    # Counted from an acknowledgement, not from the gate: a burst can end within a second, and a
    # fixed delay from the gate could land after the killed server's sessions had finished.
    deadline = time.monotonic() + wait_s
    while not stats.ack_times and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    await asyncio.sleep(after)
    stats.killed_at = time.monotonic()
    cluster.servers[0].last_cpu = cluster.servers[0].cpu_seconds()
    cluster.servers[0].proc.kill()


async def main_async(args) -> dict:
    servers_n = getattr(args, "servers", 1)
    kind = getattr(args, "database", engine.SQLITE)
    if servers_n > 1 and kind != engine.POSTGRESQL:
        raise SystemExit("several servers share a PostgreSQL database: add --database postgresql")
    target = fresh_database(kind)
    conn = dbmod.open_db(target)
    workshop, _ = store.create_workshop(conn, title="Charge", question="Quels cas d'usage ?")
    # Every phone joins at once: the room's join limits opened wide, as a facilitator would.
    store.update_view_settings(conn, workshop.id, max_participants=2000, joins_per_minute=2000)
    opened = dt.datetime.now(dt.UTC)
    store.set_round(conn, workshop.id, "ideas", is_open=True, now=opened)
    # Opened a second later: the current round, the one pages open on (as in a real room).
    store.set_round(conn, workshop.id, "contacts", is_open=True, now=opened + dt.timedelta(seconds=1))
    conn.close()
    deflate = getattr(args, "ws_compression", False)
    extra = ["--server.enableWebsocketCompression", "true"] if deflate else []
    cluster = None
    if servers_n > 1:
        cluster = Cluster(target, servers=servers_n, port=free_port(), address="127.0.0.1")
        cluster.start()
        servers, base = cluster.servers, cluster.url
    else:
        servers = [Server(target, extra_args=extra, script=getattr(args, "script", "serve.py"))]
        servers[0].start()
        base = servers[0].url
    stats = Stats()
    rng = random.Random(args.seed)
    try:
        cpu0 = cpu_seconds(servers)
        stop = asyncio.Event()
        projectors = [
            asyncio.create_task(projector(base, workshop.code, stats, stop, config.WALL_PULSE_SECONDS))
            for _ in range(args.projectors)
        ]
        gate = asyncio.Event()
        started = time.monotonic()
        tasks = []
        for n in range(args.sessions):
            tasks.append(asyncio.create_task(participant(base, workshop.code, n, args, stats, gate, random.Random(rng.random()))))
            await asyncio.sleep(args.ramp / max(1, args.sessions))
        while stats.joined + sum(stats.errors.values()) < args.sessions and time.monotonic() - started < args.max_seconds / 2:
            await asyncio.sleep(0.2)
        cpu_joined = cpu_seconds(servers)
        load_s = time.monotonic() - started
        gate.set()
        submits_started = time.monotonic()
        killer = None
        if cluster and getattr(args, "kill_one_after", None) is not None:
            killer = asyncio.create_task(kill_one(cluster, args.kill_one_after, stats, wait_s=args.max_seconds))
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.max_seconds)
        submit_phase_s = time.monotonic() - submits_started
        if killer:
            await killer
        cpu_submits = cpu_seconds(servers)
        runs_submits = stats.projector_runs
        await asyncio.sleep(config.REFRESH_SECONDS + 1.5)  # let the projectors catch up
        projector_cpu = await projector_phase(servers, target, workshop.code, stats, args.projector_rounds)
        stop.set()
        await asyncio.gather(*projectors, return_exceptions=True)
        live = [s for s in servers if s.proc and s.proc.poll() is None]
        rss = sum(s.rss_mb()[0] for s in live)
        peak = max(s.rss_mb()[1] for s in live)
    finally:
        if cluster:
            cluster.stop()
        else:
            servers[0].stop()
    conn = dbmod.connect(target)
    rows = [("contact", r["label"]) for r in conn.query("SELECT label FROM contacts")]
    bench = [projector_cpu["bench_participant"]]
    rows += [("idea", r["text"]) for r in conn.query("SELECT text FROM ideas WHERE participant_id != ?", bench)]
    conn.close()
    landed = Counter(rows)
    acked = {(kind, text) for kind, text in stats.acked}
    lost = [a for a in acked if a not in landed] + list(stats.unanswered)
    # A submit whose server died before answering, then sent again by its person: it lands twice
    # if the first had committed (reported apart; the app cannot tell it from a second entry).
    resent_twice = sum(1 for a in set(stats.interrupted) if landed.get(a, 0) > 1)
    duplicates = sum(n - 1 for n in landed.values() if n > 1) - resent_twice
    stale = staleness(stats)
    submits = max(1, stats.sent)
    return {
        "sessions": args.sessions,
        "servers": servers_n,
        "database": kind,
        "ws_compression": deflate,
        "script": getattr(args, "script", "serve.py"),
        "projectors": args.projectors,
        "burst": args.burst,
        "sessions_opened": stats.sessions,
        "joined": stats.joined,
        "submits_sent": stats.sent,
        "double_submits": stats.doubles,
        "resumed": stats.resumes,
        "acknowledged": len(stats.acked),
        "rows_landed": sum(landed.values()),
        "lost": len(lost),
        "duplicated": duplicates,
        "refused": len(stats.refused),
        "errors": dict(stats.errors),
        "interrupted_by_kill": len(stats.interrupted),
        "interrupted_landed_twice": resent_twice,
        "failover_max_s": round(max(stats.failover_s, default=0), 2),
        "failover_p50_s": round(pct(stats.failover_s, 0.5) or 0, 2),
        "submit_phase_s": round(submit_phase_s, 1),
        "throughput_submits_per_s": round(stats.sent / max(0.001, submit_phase_s), 1),
        "submit_p50_ms": round(1000 * (pct(stats.latencies, 0.5) or 0), 1),
        "submit_p95_ms": round(1000 * (pct(stats.latencies, 0.95) or 0), 1),
        "submit_max_ms": round(1000 * max(stats.latencies, default=0), 1),
        "staleness_p50_s": round(pct(stale, 0.5) or 0, 2),
        "staleness_max_s": round(max(stale, default=0), 2),
        "refresh_interval_s": config.REFRESH_SECONDS,
        "join_phase_s": round(load_s, 1),
        "cpu_join_phase_s": round(cpu_joined - cpu0, 2),
        "cpu_per_submit_ms": round(1000 * (cpu_submits - cpu_joined) / submits, 1),
        "participant_reruns": stats.reruns,
        "cpu_per_script_run_ms": round(1000 * (cpu_submits - cpu_joined) / max(1, stats.reruns + runs_submits), 1),
        "projector_refreshes": runs_submits,
        "cpu_per_projector_refresh_unchanged_ms": projector_cpu["unchanged"],
        "cpu_per_projector_refresh_changed_ms": projector_cpu["changed"],
        "projector_phase_refreshes": projector_cpu["refreshes"],
        "peak_rss_mb": round(peak, 1),
        "rss_mb": round(rss, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--submits", type=int, default=3, help="submits per participant (contacts and ideas alternate)")
    parser.add_argument("--projectors", type=int, default=2)
    parser.add_argument("--think", type=float, default=20.0, help="mean seconds between a participant's submits")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which sessions connect")
    parser.add_argument("--burst", action="store_true", help="everyone submits in the same second, no think time")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a submit counts as unanswered")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--projector-rounds", type=int, default=4, help="refresh intervals of the projector-only phase")
    parser.add_argument("--ws-compression", action="store_true", help="server and clients deflate WebSocket messages")
    parser.add_argument("--script", default="serve.py", help="serve.py (front door) or app.py (bare Streamlit), for before/after")
    parser.add_argument("--servers", type=int, default=1, help="app servers behind Caddy (more than 1 needs PostgreSQL)")
    parser.add_argument("--database", choices=(engine.SQLITE, engine.POSTGRESQL), default=engine.SQLITE)
    parser.add_argument(
        "--kill-one-after",
        type=float,
        default=None,
        help="SIGKILL one server this many seconds after the first acknowledged submit",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.ws_compression:
        os.environ["STCLIENT_DEFLATE"] = "1"  # every Session of this run offers deflate, as browsers do
    result = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}  {value}")


if __name__ == "__main__":
    main()
    sys.exit(0)
