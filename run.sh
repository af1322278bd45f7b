#!/usr/bin/env bash
# Set up (first time) and run the app; seeds the demo workshop into an empty database.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements.txt
DB="${WORKSHOP_DB:-data/workshop.db}"
if [ ! -f "$DB" ] && [ "${WORKSHOP_DEMO:-1}" != "0" ]; then
  .venv/bin/python -m workshop demo --db "$DB"
elif [ -f "$(dirname "$DB")/demo.json" ]; then
  echo "Demo workshop: open http://localhost:${PORT:-8501}/ (links on the home page)"
fi
exec .venv/bin/python -m streamlit run app.py \
  --server.address "${WORKSHOP_ADDRESS:-0.0.0.0}" --server.port "${PORT:-8501}"
