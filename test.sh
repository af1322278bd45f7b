#!/usr/bin/env bash
# Set up (first time) and run every test, browser tests included (Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements-dev.txt
# Debian packages the tests drive for real: Chromium (browser tests), LibreOffice Calc (CSV
# files opened as a French spreadsheet would).
sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo"
updated=""
apt_install() {  # apt_install PACKAGE [apt options]: once, quietly
  [ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v chromium >/dev/null 2>&1 || apt_install chromium
command -v soffice >/dev/null 2>&1 || apt_install libreoffice-calc-nogui --no-install-recommends
command -v zbarimg >/dev/null 2>&1 || apt_install zbar-tools --no-install-recommends  # decodes the projected QR
command -v pdftoppm >/dev/null 2>&1 || apt_install poppler-utils --no-install-recommends  # renders the printed kit for zbarimg
# Several servers: Debian's caddy (the proxy) and a throwaway PostgreSQL server on loopback (its
# `postgres` system user runs it when we are root); the store's tests run on both engines.
bash scripts/setup-servers.sh
bash scripts/pg.sh start >/dev/null
# The house style, checked like a test: lint and formatting (ruff, configured in pyproject.toml).
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
