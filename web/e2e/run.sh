#!/usr/bin/env bash
# End-to-end browser test of the filo workspace (web UI + `filo serve`).
# Run from the repository root:  bash web/e2e/run.sh
# Set SAVE_SCREENSHOTS=1 to copy the screenshots to docs/screenshots/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WEB="$ROOT/web"
cd "$ROOT"

log() { printf '== %s\n' "$*"; }

# Chromium (Debian package); never download a browser.
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  log "installing chromium with apt-get"
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
fi
export CHROMIUM

log "building the web UI"
(cd "$WEB" && npm ci --no-audit --no-fund && npm run build)

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

log "building filo (embeds web/dist)"
go build -o "$TMP/filo" ./cmd/filo
FILO="$TMP/filo"

log "creating a synthetic case"
"$FILO" synth --out "$TMP/case" --seed 1 --scale 0.05
"$FILO" ingest --db "$TMP/case.db" "$TMP/case"
"$FILO" scan --db "$TMP/case.db"

export SAM_PASSWORD="sam-e2e-password"
export ALICE_PASSWORD="alice-e2e-password"
export VIC_PASSWORD="vic-e2e-password"
printf '%s\n' "$ALICE_PASSWORD" | "$FILO" user add --db "$TMP/case.db" --username alice --role analyst --unit north --password-stdin
printf '%s\n' "$SAM_PASSWORD" | "$FILO" user add --db "$TMP/case.db" --username sam --role supervisor --unit north --password-stdin
printf '%s\n' "$VIC_PASSWORD" | "$FILO" user add --db "$TMP/case.db" --username vic --role viewer --unit north --password-stdin

# A free port.
PORT=""
for _ in $(seq 1 50); do
  p=$((18080 + RANDOM % 1000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { echo "no free port found" >&2; exit 1; }
export BASE_URL="http://127.0.0.1:$PORT"

log "starting filo serve on $BASE_URL"
"$FILO" serve --db "$TMP/case.db" --addr "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 100); do
  if node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$BASE_URL/api/openapi.yaml"; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "filo serve exited early:" >&2; cat "$TMP/serve.log" >&2; exit 1
  fi
  if [ "$i" = 100 ]; then echo "filo serve did not answer in time" >&2; cat "$TMP/serve.log" >&2; exit 1; fi
  sleep 0.2
done

log "running the browser test"
rm -rf "$WEB/e2e/screenshots"
status=0
node "$WEB/e2e/e2e.mjs" || status=$?
if [ "$status" != 0 ]; then
  echo "--- filo serve log (last 40 lines) ---" >&2
  tail -n 40 "$TMP/serve.log" >&2 || true
fi

if [ "${SAVE_SCREENSHOTS:-}" = 1 ] && [ "$status" = 0 ]; then
  mkdir -p "$ROOT/docs/screenshots"
  for f in "$WEB"/e2e/screenshots/0*.png; do cp "$f" "$ROOT/docs/screenshots/"; done
  log "screenshots copied to docs/screenshots/"
fi
exit "$status"
