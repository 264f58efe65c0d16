#!/usr/bin/env bash
# Installs what the cluster and deployment tests need besides .NET, once (idempotent):
#   - redis-server (Debian): the membership store of the multi-process cluster tests;
#   - postgresql (Debian): the other cluster store, for the PostgreSQL cluster tests (the server
#     binaries live in /usr/lib/postgresql/VERSION/bin, not on PATH);
#   - docker-compose (Debian, 1.29): validates docker/docker-compose.yml (`config -q`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
command -v docker-compose >/dev/null || missing+=(docker-compose)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# A packaged redis-server or postgresql starts a system service on install (where services run);
# the tests start their own, on free ports, and leave it alone.

# --- Dockerfile linter (tests/Deployment.Tests) ---------------------------------------------------
# dockerfile-utils, pinned by docker/lint/package-lock.json: pure JavaScript, runs offline once installed.
if [[ ! -x docker/lint/node_modules/.bin/dockerfile-utils ]]; then
  command -v npm >/dev/null || { echo "missing: npm (needed for the Dockerfile linter in docker/lint)" >&2; exit 1; }
  npm ci --prefix docker/lint --no-audit --no-fund
fi
