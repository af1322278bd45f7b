"""The facilitator's laptop: the wheel a facilitator installs with `pipx install` / `uv tool
install`, installed into a fresh environment outside the repository, then served and used with a
PATH that has no bash, curl, ip or apt (as on Windows or a bare Mac)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from workshop import config, serving

ROOT = Path(__file__).resolve().parent.parent


def test_the_serve_command_runs_python_itself_in_the_site_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    p = serving.plan(database=str(tmp_path / "w.db"), address="0.0.0.0", port=8123, public_url="http://10.1.2.3:8123")
    assert p.command[:4] == [sys.executable, "-m", "workshop.launch", "run"]  # no shell, no PATH lookup
    assert Path(p.command[4]) == config.site_dir() / "serve.py"
    assert (config.site_dir() / ".streamlit" / "config.toml").is_file()  # its settings apply (cwd)
    assert p.env["WORKSHOP_DB"] == str(tmp_path / "w.db") and p.env["WORKSHOP_PORT"] == "8123"
    assert p.home_url == "http://127.0.0.1:8123" and p.join_base == "http://10.1.2.3:8123"


def _build_wheel(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)], check=True)
    (wheel,) = out.glob("thinkdo_workshop-*.whl")
    return wheel


def _fresh_env(folder: Path, wheel: Path) -> Path:
    """A new virtual environment outside the repository with the wheel installed. Its
    dependencies are this test run's own installed packages (a .pth file), so the test does not
    download 500 MB again; `pip check` proves the wheel's declared dependencies are satisfied."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    Path(site, "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    return folder / ("Scripts" if os.name == "nt" else "bin")


@pytest.mark.slow
def test_installed_wheel_serves_and_round_trips_without_bash_curl_or_ip(tmp_path):
    from scripts.stserver import free_port

    wheel = _build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    # Only the package: no generic `app`, `pages` or `serve` module in the user's site-packages.
    assert {n.split("/")[0] for n in names} == {
        "workshop",
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    for member in (
        "workshop/site/app.py",
        "workshop/site/serve.py",
        "workshop/site/pages/participate.py",
        "workshop/site/.streamlit/config.toml",
        "workshop/i18n/fr.py",
        "workshop/static/boot.js",
        "workshop/static/fr-regions.json",
        "workshop/static/synonyms.csv",
    ):
        assert member in names, member

    bin_dir = _fresh_env(tmp_path / "laptop-env", wheel)
    thinkdo = str(bin_dir / "thinkdo")
    bare = tmp_path / "bare-path"  # a PATH with none of bash, curl, ip, apt
    bare.mkdir()
    home = tmp_path / "home"
    env = {
        "PATH": str(bare),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "WORKSHOP_PUBLIC_URL": "http://192.168.1.20:8501",
    }
    run = dict(env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    version = subprocess.run([thinkdo, "--version"], **run)
    assert version.returncode == 0 and re.fullmatch(r"thinkdo \d+\.\d+\.\d+\n", version.stdout)

    port = free_port()
    server = subprocess.Popen(
        [thinkdo, "serve", "--port", str(port), "--no-browser", "--address", "127.0.0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        assert serving.healthy(f"http://127.0.0.1:{port}", within=120, alive=lambda: server.poll() is None)
        deadline = time.monotonic() + 90
        while not any("stop with Ctrl+C" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.2)  # warmed up and ready: what it prints last
        data = home / "data" / "thinkdo"
        demo = json.loads((data / "demo.json").read_text())  # seeded the first time, in the user's data folder
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.status == 200 and '<html lang="fr">' in answer.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?code={demo['code']}", timeout=10) as answer:
            page = answer.read().decode()
            assert answer.status == 200 and 'lang="fr"' in page and demo["code"] in page  # the plain join page
    finally:
        server.terminate()  # SIGTERM: the command stops its server too
        server.wait(timeout=30)
        reader.join(timeout=10)
    output = "".join(lines)
    assert f"database: {data / 'workshop.db'}" in output and "participants join at: http://192.168.1.20:8501/" in output
    assert str(home / "cache" / "thinkdo") in output
    assert serving.healthy(f"http://127.0.0.1:{port}", within=2) is False  # nothing left holding the port

    # The rest of today's command line, on the same default database.
    exported = tmp_path / "atelier.zip"
    out = subprocess.run([thinkdo, "export", "--code", demo["code"], "--out", str(exported)], **run)
    assert out.returncode == 0, out.stderr
    other = tmp_path / "next.db"
    imported = subprocess.run([thinkdo, "import", str(exported), "--db", str(other)], **run)
    assert imported.returncode == 0, imported.stderr
    code = json.loads(imported.stdout)["code"]
    themes = subprocess.run([thinkdo, "themes", "--db", str(other), "--code", code, "--json"], **run)
    assert themes.returncode == 0 and json.loads(themes.stdout.splitlines()[-1])["themes"]
    backup = subprocess.run([thinkdo, "backup", "--db", str(other), "--out", str(tmp_path / "copy.db")], **run)
    assert backup.returncode == 0 and (tmp_path / "copy.db").stat().st_size > 0
    seeded = subprocess.run([thinkdo, "demo", "--participants", "5", "--no-themes", "--db", str(other), "--json"], **run)
    assert seeded.returncode == 0 and json.loads(seeded.stdout)["code"] != code
