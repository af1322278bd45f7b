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
DB="${WORKSHOP_DB:-data/workshop.db}"
# The join address: WORKSHOP_PUBLIC_URL if given, else the app finds this laptop's address on
# the local network (config.public_base_url), so the projected QR opens on phones.
export WORKSHOP_PORT="${PORT:-8501}"
if [ ! -f "$DB" ] && [ "${WORKSHOP_DEMO:-1}" != "0" ]; then
  .venv/bin/python -m workshop demo --db "$DB"
elif [ -f "$(dirname "$DB")/demo.json" ]; then
  echo "Demo workshop: open http://localhost:${PORT:-8501}/ (links on the home page)"
fi
.venv/bin/python -m workshop migrate --db "$DB"
# Client addresses (rate limits) come from the connection itself; a forwarded address is believed
# only from the reverse proxy named here (e.g. WORKSHOP_TRUSTED_PROXY=127.0.0.1 behind Caddy).
export FORWARDED_ALLOW_IPS="${WORKSHOP_TRUSTED_PROXY:-}"
# serve.py = app.py behind the front door (workshop/web.py): static files precompressed (brotli,
# gzip) and cached for a year, the page shell in French; WebSocket messages deflated.
.venv/bin/python -m streamlit run serve.py \
  --server.address "${WORKSHOP_ADDRESS:-0.0.0.0}" --server.port "${PORT:-8501}" &
server=$!
trap 'kill "$server" 2>/dev/null' INT TERM EXIT
# One main-page run: a fresh Streamlit answers the first direct /projector or /me visit with a
# spurious "Page not found" dialog until some session has run st.navigation.
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:${PORT:-8501}/_stcore/health" >/dev/null 2>&1 && break
  sleep 0.5
done
.venv/bin/python scripts/stclient.py "http://127.0.0.1:${PORT:-8501}" || true
wait "$server"
