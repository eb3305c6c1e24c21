#!/usr/bin/env bash
# Runs every test. Works on a fresh machine: it installs and starts what the tests need
# (Azurite from the pinned npm lock file, Chromium from Debian) and stops it afterwards.
# Extra arguments go to `dotnet test`, e.g. `./scripts/test.sh --filter Category=Crash`.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Browser for the support-staff page test (Debian's chromium; never a test tool's own download).
if [[ -x scripts/chromium.sh ]]; then
  scripts/chromium.sh ensure
fi

# Azurite for the Azure Storage store tests: started here, stopped on any exit.
if [[ -x scripts/azurite.sh ]]; then
  scripts/azurite.sh start
  trap 'scripts/azurite.sh stop' EXIT
  # shellcheck disable=SC1091
  source scripts/azurite.env
fi

dotnet build AgentOrchestrator.sln -c Release -warnaserror
dotnet test AgentOrchestrator.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
