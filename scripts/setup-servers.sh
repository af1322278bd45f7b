#!/usr/bin/env bash
# What several app servers need beyond the app: Debian's caddy (the reverse proxy) and
# postgresql (scripts/pg.sh installs it when it starts a local server). Cheap when present.
set -euo pipefail
command -v caddy >/dev/null 2>&1 && exit 0
sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo"
echo "installing Debian's caddy package (first run)" >&2
$sudo apt-get update -qq >&2
# policy-rc.d 101: the package must not start its own Caddy on port 80 behind our back.
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ "$had_policy" = 1 ] || printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
$sudo chmod +x /usr/sbin/policy-rc.d
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy --no-install-recommends >/dev/null
[ "$had_policy" = 1 ] || $sudo rm -f /usr/sbin/policy-rc.d
