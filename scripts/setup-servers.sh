#!/usr/bin/env bash
# What several app servers need beyond the app: Debian's caddy (the reverse proxy); postgresql
# is installed by scripts/pg.sh when it starts a local server. Cheap when present.
set -euo pipefail
command -v caddy >/dev/null 2>&1 || bash "$(dirname "$0")/apt-install.sh" caddy
