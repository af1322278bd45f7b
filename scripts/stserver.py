"""Start the real app (`streamlit run serve.py`, as run.sh does) on a loopback port with its own database (a SQLite
file or a PostgreSQL URL); used by the browser tests, the load test, the benchmarks and the multi-server launcher.
Stops by its own PID."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script (scripts/servers.py) or imported by the tests

from workshop.serving import healthy  # noqa: E402  (the same wait the laptop command does)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One streamlit process on a database; can be killed and restarted on the same port."""

    def __init__(
        self,
        database: Path | str,
        *,
        log: Path | None = None,
        extra_args: list[str] | None = None,
        script: str = "serve.py",
        env: dict | None = None,
        port: int | None = None,
        public_url: str | None = None,
    ) -> None:
        self.database = str(database)
        self.postgres = self.database.startswith(("postgresql://", "postgres://"))
        self.db_path = None if self.postgres else Path(database)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.public_url = self.url if public_url is None else public_url  # "": the app works it out
        self.proc: subprocess.Popen | None = None
        self.log = log or (Path(f"/tmp/workshop-server-{self.port}.log") if self.postgres else self.db_path.with_suffix(".log"))
        self.extra_args = extra_args or []
        self.script = script  # serve.py: the app behind its front door; app.py: bare Streamlit (for before/after)
        self.env = env or {}
        self.launcher = "workshop.launch"  # "streamlit": Streamlit's own command line (for before/after)

    def start(self, *, warm: bool = True) -> None:
        where = {"WORKSHOP_DATABASE_URL": self.database} if self.postgres else {"WORKSHOP_DB": self.database}
        inherited = {k: v for k, v in os.environ.items() if k != "WORKSHOP_DATABASE_URL"}
        env = {**inherited, **where, "WORKSHOP_PUBLIC_URL": self.public_url, **self.env}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "workshop", "migrate", "--db", self.database],
            cwd=ROOT,
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                self.launcher,
                "run",
                self.script,
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                *self.extra_args,
            ],
            cwd=ROOT,
            env=env,
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
        )
        if not healthy(self.url, within=60):
            raise RuntimeError(f"streamlit did not start; see {self.log}")
        if warm:
            # As run.sh does: one main-page run, so a first direct /me or /projector visit is clean.
            subprocess.run(
                [sys.executable, "-m", "workshop.stclient", self.url],
                check=True,
                cwd=ROOT,
                timeout=120,
                stdout=subprocess.DEVNULL,
            )

    def stop(self, *, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            self.proc.wait(timeout=20)

    def cpu_seconds(self) -> float:
        """utime + stime of the server process (from /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        """(current, peak) resident memory in MB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        values = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))}
        return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024
