#!/usr/bin/env bash
# Create .venv and install what the project needs; cheap when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
REQ="${1:-requirements.txt}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements.txt "$REQ" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQ"
  touch "$stamp"
fi
# Streamlit's frontend, precompressed once per Streamlit version (.cache/, a few seconds).
.venv/bin/python -c "from workshop import web; web.precompress()"
