"""The reverse proxy's configurations are real Caddy configurations: the one scripts/servers.py
writes for `run.sh --servers N` and the deployment's deploy/Caddyfile, checked by Caddy itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from scripts.servers import AFFINITY_COOKIE, caddyfile

ROOT = Path(__file__).resolve().parent.parent


def validate(config: Path) -> subprocess.CompletedProcess:
    caddy = shutil.which("caddy")
    assert caddy, "caddy is missing: bash scripts/setup-servers.sh installs it"
    return subprocess.run(
        [caddy, "validate", "--config", str(config), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env={"HOME": str(config.parent), "PATH": "/usr/bin:/bin"},
    )


def test_the_generated_proxy_config_is_valid_and_keeps_a_room_on_its_servers(tmp_path):
    text = caddyfile(port=8501, upstreams=["127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603"])
    assert f"lb_policy cookie {AFFINITY_COOKIE}" in text  # never by client address (one NAT per room)
    assert "ip_hash" not in text and "client_ip" not in text
    assert "127.0.0.1:8601 127.0.0.1:8602 127.0.0.1:8603" in text
    (tmp_path / "Caddyfile").write_text(text)
    result = validate(tmp_path / "Caddyfile")
    assert result.returncode == 0, result.stderr[-500:]


def test_the_deployment_proxy_config_is_valid_with_the_same_affinity(tmp_path):
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    assert f"lb_policy cookie {AFFINITY_COOKIE}" in text and "health_uri /_stcore/health" in text
    copy = tmp_path / "Caddyfile"
    copy.write_text(text)
    result = validate(copy)
    assert result.returncode == 0, result.stderr[-500:]
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    for service in ("db:", "app1:", "app2:", "app3:", "proxy:"):
        assert f"\n  {service}" in compose
    assert "WORKSHOP_PSEUDONYM_KEY" in compose and "WORKSHOP_DATABASE_URL: postgresql://" in compose


def test_the_proxy_listens_only_on_the_configured_address(tmp_path):
    """WORKSHOP_ADDRESS=127.0.0.1 with several servers: Caddy's own reading of the generated file
    listens on that address only (a site address alone matched the Host header and listened on
    every interface); without an address, on all."""
    import json

    caddy = shutil.which("caddy")
    assert caddy, "caddy is missing: bash scripts/setup-servers.sh installs it"
    listens = {}
    for address in ("127.0.0.1", ""):
        config = tmp_path / f"Caddyfile{address or '-all'}"
        config.write_text(caddyfile(port=8501, upstreams=["127.0.0.1:8601"], address=address))
        adapted = subprocess.run(
            [caddy, "adapt", "--config", str(config), "--adapter", "caddyfile"],
            capture_output=True,
            text=True,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
            check=True,
        )
        servers = json.loads(adapted.stdout)["apps"]["http"]["servers"]
        listens[address] = sorted(addr for server in servers.values() for addr in server["listen"])
    assert listens == {"127.0.0.1": ["127.0.0.1:8501"], "": [":8501"]}
