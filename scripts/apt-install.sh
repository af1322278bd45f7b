#!/usr/bin/env bash
# apt-install.sh PACKAGE…: install Debian packages quietly (as root, or through sudo), without
# letting a package start its own service (policy-rc.d 101): caddy would take port 80, and
# postgresql its own cluster on 5432, behind our back.
set -euo pipefail
sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo"
echo "installing Debian's $* (first run)" >&2
$sudo apt-get update -qq >&2
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ "$had_policy" = 1 ] || printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
$sudo chmod +x /usr/sbin/policy-rc.d
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" --no-install-recommends >/dev/null
[ "$had_policy" = 1 ] || $sudo rm -f /usr/sbin/policy-rc.d
