#!/usr/bin/env bash
# Azurite (the Azure Storage emulator) for the Azure Storage store's tests and for local runs.
#
#   scripts/azurite.sh start   installs Azurite from package-lock.json (npm ci, only when needed), starts it
#                              in the background on 127.0.0.1 with in-memory persistence, waits until it
#                              answers and writes scripts/azurite.env (AZURITE_CONNECTION_STRING=...)
#   scripts/azurite.sh stop    stops the Azurite this script started
#   scripts/azurite.sh status  says whether it runs
#
# Ports default to 10010/10011/10012 (blob/queue/table), not Azurite's usual 10000-10002, so a developer's
# own Azurite does not clash; override with AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

BLOB_PORT="${AZURITE_BLOB_PORT:-10010}"
QUEUE_PORT="${AZURITE_QUEUE_PORT:-10011}"
TABLE_PORT="${AZURITE_TABLE_PORT:-10012}"
STATE_DIR=".azurite"
PID_FILE="$STATE_DIR/azurite.pid"
LOG_FILE="$STATE_DIR/azurite.log"
ENV_FILE="scripts/azurite.env"
# Azurite's well-known development account (public, documented by Microsoft; not a secret).
ACCOUNT="devstoreaccount1"
KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

running() {
  [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

install() {
  # npm ci only when node_modules is missing or older than the lock file.
  if [[ ! -x node_modules/.bin/azurite || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "azurite.sh: installing Azurite from package-lock.json" >&2
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

answers() {
  # Any HTTP answer from all three services means they listen (an unauthenticated request gets 4xx).
  local port
  for port in "$BLOB_PORT" "$QUEUE_PORT" "$TABLE_PORT"; do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/$ACCOUNT" || return 1
  done
}

start() {
  mkdir -p "$STATE_DIR"
  if running; then
    echo "azurite.sh: already running (pid $(cat "$PID_FILE"))" >&2
  else
    install
    # --skipApiVersionCheck: the current SDKs send an API version newer than Azurite knows.
    # --disableTelemetry: Azurite would otherwise call an external endpoint.
    nohup node_modules/.bin/azurite \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --blobPort "$BLOB_PORT" --queuePort "$QUEUE_PORT" --tablePort "$TABLE_PORT" \
      --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --loose --silent \
      >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
  fi

  local deadline=$((SECONDS + 60))
  until answers; do
    if ! running; then
      echo "azurite.sh: Azurite exited; see $LOG_FILE" >&2
      cat "$LOG_FILE" >&2 || true
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "azurite.sh: Azurite did not answer within 60 s; see $LOG_FILE" >&2
      exit 1
    fi
    sleep 0.2
  done

  local connection="DefaultEndpointsProtocol=http;AccountName=$ACCOUNT;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/$ACCOUNT;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/$ACCOUNT;TableEndpoint=http://127.0.0.1:$TABLE_PORT/$ACCOUNT;"
  printf 'export AZURITE_CONNECTION_STRING=%q\n' "$connection" >"$ENV_FILE"
  echo "azurite.sh: Azurite listens on 127.0.0.1:$BLOB_PORT/$QUEUE_PORT/$TABLE_PORT (pid $(cat "$PID_FILE")); source $ENV_FILE" >&2
}

stop() {
  if running; then
    local pid
    pid="$(cat "$PID_FILE")"
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "azurite.sh: stopped (pid $pid)" >&2
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$PID_FILE"))"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: scripts/azurite.sh start|stop|status" >&2; exit 2 ;;
esac
