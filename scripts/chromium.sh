#!/usr/bin/env bash
# Chromium for the support-staff page test (tests/AgentOrchestrator.Host.Tests, Category=Browser).
#   scripts/chromium.sh ensure   installs Debian's chromium if /usr/bin/chromium is missing, prints its version
#   scripts/chromium.sh path     prints the browser path the tests use
# The tests drive the system browser with Microsoft.Playwright; never run `playwright install` (it downloads
# its own browser, which this project's machines cannot reach).
set -euo pipefail

BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"

ensure() {
  if [[ ! -x "$BROWSER" ]]; then
    local sudo=""
    if [[ "$(id -u)" -ne 0 ]]; then
      sudo="sudo -n"
    fi
    echo "chromium.sh: installing Debian's chromium (missing at $BROWSER)" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
  "$BROWSER" --version
}

case "${1:-}" in
  ensure) ensure ;;
  path) echo "$BROWSER" ;;
  *) echo "usage: $0 ensure|path" >&2; exit 2 ;;
esac
