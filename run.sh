#!/usr/bin/env bash
# Set up (first time) and run the app; seeds the demo workshop into an empty database.
#   bash run.sh                # one server, SQLite (a laptop)
#   bash run.sh --servers 3    # 3 servers behind Caddy sharing PostgreSQL ($WORKSHOP_DATABASE_URL,
#                              # else a local PostgreSQL started for the purpose)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements.txt
if [ "${1:-}" = "--servers" ]; then
  bash scripts/setup-servers.sh
  export WORKSHOP_DATABASE_URL="${WORKSHOP_DATABASE_URL:-$(bash scripts/pg.sh start)}"
  export WORKSHOP_PORT="${PORT:-8501}"
  if [ "${WORKSHOP_DEMO:-1}" != "0" ] && [ "$(.venv/bin/python -c 'from workshop import db, store, config; c = db.open_db(config.database()); print(len(store.workshops_list(c)))')" = "0" ]; then
    .venv/bin/python -m workshop demo
  fi
  exec .venv/bin/python scripts/servers.py --servers "${2:-2}"
fi
# One server: the same Python path a facilitator's installed `thinkdo serve` takes (migrate,
# demo on an empty database, precompress, join address, serve, warm up); no browser opened here.
demo=()
[ "${WORKSHOP_DEMO:-1}" = "0" ] && demo=(--no-demo)
exec .venv/bin/python -m workshop serve --db "${WORKSHOP_DB:-data/workshop.db}" \
  --address "${WORKSHOP_ADDRESS:-0.0.0.0}" --port "${PORT:-8501}" --no-browser "${demo[@]}"
