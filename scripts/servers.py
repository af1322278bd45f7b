"""Several app servers behind one reverse proxy, sharing one PostgreSQL database: what
`bash run.sh --servers N` starts.

- The database: WORKSHOP_DATABASE_URL, else a local PostgreSQL this script starts (scripts/pg.sh).
- N `streamlit run serve.py` processes on loopback ports, each warmed once.
- Caddy on the public port: cookie affinity (a room shares one public IP, so never by address),
  WebSockets, gzip/zstd for what the front door did not compress, active health checks, and
  retries on another server while one is down.
- A server that exits is started again; its phones meanwhile reconnect through the proxy to
  another server and resume with their personal link.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stserver import ROOT, Server, healthy

AFFINITY_COOKIE = "td_server"


def caddyfile(*, port: int, upstreams: list[str], address: str = "") -> str:
    """The proxy's configuration (the same shape as deploy/Caddyfile). `address`: the only one it
    listens on (`bind`: a site address alone only matches the Host header, Caddy still listened
    on every interface); empty: all."""
    return f"""{{
	admin off
	auto_https off
}}

http://:{port} {{
{f"	bind {address}" + chr(10) if address else ""}	encode zstd gzip
	reverse_proxy {" ".join(upstreams)} {{
		lb_policy cookie {AFFINITY_COOKIE}
		lb_try_duration 10s
		lb_try_interval 250ms
		fail_duration 10s
		health_uri /_stcore/health
		health_interval 2s
		health_timeout 2s
		flush_interval -1
	}}
}}
"""


def local_postgres() -> str:
    """Start (creating it the first time) the project's own PostgreSQL and return its URL."""
    out = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start"], check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Cluster:
    """N app servers and the proxy in front of them; stop() ends them all."""

    def __init__(
        self,
        database: str,
        *,
        servers: int,
        port: int,
        address: str = "",
        first_port: int | None = None,
        public_url: str | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.database, self.port, self.address = database, port, address
        self.url = f"http://127.0.0.1:{port}"
        self.log_dir = log_dir or ROOT / ".cache" / "servers"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        first = first_port or port + 100
        env = {"FORWARDED_ALLOW_IPS": "127.0.0.1", "WORKSHOP_PORT": str(port)}  # the proxy's address is believed
        self.servers = [
            Server(database, port=first + i, public_url=public_url or "", env=env, log=self.log_dir / f"server-{first + i}.log")
            for i in range(servers)
        ]
        self.proxy: subprocess.Popen | None = None

    def start(self) -> None:
        for server in self.servers:
            server.start()
        config = self.log_dir / "Caddyfile"
        config.write_text(
            caddyfile(port=self.port, upstreams=[f"127.0.0.1:{s.port}" for s in self.servers], address=self.address)
        )
        caddy = shutil.which("caddy")
        if not caddy:
            raise SystemExit("caddy is not installed: bash scripts/setup-servers.sh installs it")
        self.proxy = subprocess.Popen(
            [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
            stdout=open(self.log_dir / "caddy.log", "ab"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": str(self.log_dir)},
        )
        if not healthy(self.url, within=30):
            raise RuntimeError(f"the proxy did not answer; see {self.log_dir / 'caddy.log'}")

    def revive(self) -> list[int]:
        """Start again every app server that exited; returns their ports."""
        revived = []
        for server in self.servers:
            if server.proc and server.proc.poll() is not None:
                server.start()
                revived.append(server.port)
        return revived

    def stop(self) -> None:
        if self.proxy and self.proxy.poll() is None:
            self.proxy.terminate()
            self.proxy.wait(timeout=10)
        for server in self.servers:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="several app servers behind Caddy, sharing PostgreSQL")
    p.add_argument("--servers", type=int, default=2)
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8501")))
    p.add_argument("--address", default=os.environ.get("WORKSHOP_ADDRESS", ""), help="listen address (default: all)")
    args = p.parse_args(argv)
    database = os.environ.get("WORKSHOP_DATABASE_URL") or local_postgres()
    cluster = Cluster(
        database,
        servers=args.servers,
        port=args.port,
        address=args.address,
        public_url=os.environ.get("WORKSHOP_PUBLIC_URL") or None,
    )
    stop = False

    def on_signal(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
        print(f"{args.servers} app servers behind http://localhost:{args.port}/ (logs in {cluster.log_dir})", flush=True)
        while not stop:
            time.sleep(1)
            for port in cluster.revive():
                print(f"app server on port {port} had stopped: started again", flush=True)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
