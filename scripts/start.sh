#!/usr/bin/env bash
# Starts the embedded single-node coordinator (a silo and the gateway in one process) on
# ws://127.0.0.1:4443 in development mode: no token, loopback connections only.
# Builds the mediasoup worker first if it is not cached yet (about 2 minutes, once).
# Extra arguments are passed to the node, e.g. --Gateway:Port=5000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/build-worker.sh >/dev/null
exec dotnet run -c Release --project src/Gateway -- --Gateway:DevelopmentMode=true "$@"
