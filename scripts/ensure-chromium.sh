#!/usr/bin/env bash
# The dashboard's browser test drives Debian's Chromium (/usr/bin/chromium) through
# Playwright; a browser is never downloaded by Playwright itself. Installs the system's
# package when it is missing (Debian: chromium), as root; otherwise asks for it.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM not found; installing Debian's chromium" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core >/dev/null
    if [ -x "$CHROMIUM" ]; then
        exit 0
    fi
fi
echo "ensure-chromium: the dashboard test needs Chromium at $CHROMIUM (Debian: apt-get install chromium); install it and retry" >&2
exit 1
