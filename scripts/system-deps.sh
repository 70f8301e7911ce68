#!/usr/bin/env bash
# Installs (as root on Debian) or names (otherwise) the system packages the portal needs.
#   scripts/system-deps.sh run    — WeasyPrint's Pango, the Times-compatible font, python3-venv
#   scripts/system-deps.sh test   — the same, plus Debian's Chromium and poppler-utils for the tests
#   scripts/system-deps.sh backup — the same as run, plus pg_dump/pg_restore (postgresql-client)
set -euo pipefail
purpose=${1:-run}
packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core)
if [ "$purpose" = test ]; then
  packages+=(chromium libatomic1 poppler-utils)  # libatomic1: the node driver inside the playwright wheel
  packages+=(redis-server)  # the fault suite (tests/test_fault.py) stops and starts a Redis of its own
fi
if [ "$purpose" = test ] || [ "$purpose" = backup ]; then
  packages+=(postgresql-client)  # pg_dump/pg_restore for manage.py backup/restore (and their tests)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure these (or your system's equivalents) are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "Missing system packages. Run this, then try again:" >&2
echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
exit 1
