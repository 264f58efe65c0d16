#!/usr/bin/env bash
# Starts the embedded single-node coordinator (a silo and the gateway in one process) on
# ws://127.0.0.1:4443 in development mode: no token, loopback connections only.
# Builds the mediasoup worker first if it is not cached yet (about 2 minutes, once), and the room
# page at http://127.0.0.1:4443/ (needs npm; without it the node starts without the pages).
# Extra arguments are passed to the node, e.g. --Gateway:Port=5000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/build-worker.sh >/dev/null
pages=()
if ! command -v npm >/dev/null; then
  echo "npm not found: starting without the browser pages (install Node.js 20+ with npm for them)" >&2
  pages=(--property:BuildWebPages=false)
fi
exec dotnet run -c Release --project src/Gateway "${pages[@]}" -- --Gateway:DevelopmentMode=true "$@"
