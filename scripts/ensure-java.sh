#!/usr/bin/env bash
# Spark in session mode needs a Java runtime (17). Installs the system's package when none is
# found (Debian: openjdk-17-jre-headless), as root; otherwise asks for one.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-java: no java found; installing openjdk-17-jre-headless" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    exit 0
fi
echo "ensure-java: Spark needs Java 17 (java on PATH); install it and retry" >&2
exit 1
