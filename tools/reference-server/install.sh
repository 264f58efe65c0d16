#!/usr/bin/env bash
# Installs the reference server's dependencies into tools/reference-server/node_modules, exactly as
# package-lock.json pins them (mediasoup 2.6.19, protoo-server 3.0.2, ws for compare.mjs), and gives
# mediasoup its worker binary.
#
# mediasoup's own install script compiles the C++ worker (1-3 minutes, make, g++ and Python 2). The
# repository already builds that same worker, from the same mediasoup 2.6.19 package, with
# scripts/build-worker.sh (into .cache/mediasoup-worker/2.6.19/). So the packages are installed with
# their scripts off and that binary is copied to where mediasoup's lib/Worker.js looks for it:
# node_modules/mediasoup/worker/out/Release/mediasoup-worker. Only if scripts/build-worker.sh cannot
# provide it is mediasoup's own build run (`npm rebuild mediasoup`).
#
# Idempotent: when node_modules matches package-lock.json and the worker is in place it exits at
# once. Prints the worker's path as its last line. Needs node and npm (network access to the npm
# registry on the first run).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${HERE}/../.." && pwd)"
readonly HERE REPO_ROOT
readonly WORKER_DEST="${HERE}/node_modules/mediasoup/worker/out/Release/mediasoup-worker"
readonly STAMP="${HERE}/node_modules/.reference-server-installed"

log() { printf '[reference-server] %s\n' "$*" >&2; }
die() { printf '[reference-server] ERROR: %s\n' "$*" >&2; exit 1; }

is_elf_executable() {
  [[ -f "$1" && -x "$1" ]] || return 1
  [[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" == "7f454c46" ]]
}

for tool in node npm sha256sum; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is not installed (Debian: apt-get install -y nodejs npm coreutils)"
done

lock_hash="$(sha256sum "${HERE}/package-lock.json" | cut -d' ' -f1)"
installed() { [[ -f "${STAMP}" && "$(cat "${STAMP}")" == "${lock_hash}" ]] && is_elf_executable "${WORKER_DEST}"; }

if installed; then
  log "already installed: ${HERE}/node_modules"
  echo "${WORKER_DEST}"
  exit 0
fi

# Serialise concurrent runs (test runs may start together); the second finds the first's result.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${HERE}/.install.lock"
  flock 9
  if installed; then
    log "already installed (by a concurrent run): ${HERE}/node_modules"
    echo "${WORKER_DEST}"
    exit 0
  fi
fi

started=${SECONDS}
# --ignore-scripts: no worker compile here (see above); bufferutil and utf-8-validate, which protoo's
# WebSocket library uses, load their bundled prebuilt binaries instead of building.
# --omit=optional: skips clang-tools-prebuilt, a lint helper of mediasoup that downloads a binary.
log "npm ci (package-lock.json: mediasoup 2.6.19, protoo-server 3.0.2, ws)"
(cd "${HERE}" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund --loglevel=error >&2) \
  || die "npm ci failed in ${HERE} (is the npm registry reachable?)"

node -e 'const v = require(process.argv[1]).version; if (v !== "2.6.19") { console.error(`mediasoup ${v} installed, 2.6.19 expected`); process.exit(1); }' \
  "${HERE}/node_modules/mediasoup/package.json" || die "wrong mediasoup version in node_modules"

mkdir -p "$(dirname "${WORKER_DEST}")"
if cached="$(bash "${REPO_ROOT}/scripts/build-worker.sh" | tail -n 1)" && is_elf_executable "${cached}"; then
  cp "${cached}" "${WORKER_DEST}.tmp"
  chmod 0755 "${WORKER_DEST}.tmp"
  mv -f "${WORKER_DEST}.tmp" "${WORKER_DEST}"
  log "worker: copied ${cached}"
else
  log "scripts/build-worker.sh could not provide the worker; compiling mediasoup's own instead"
  log "(npm rebuild mediasoup: make Release in node_modules/mediasoup/worker, 1-3 minutes; needs make, g++"
  log " and a Python 2 interpreter for gyp, given as \$PYTHON)"
  (cd "${HERE}" && npm rebuild mediasoup --foreground-scripts >&2) || die "the worker build failed (output above)"
fi
is_elf_executable "${WORKER_DEST}" || die "no worker at ${WORKER_DEST}"

echo "${lock_hash}" > "${STAMP}"
log "installed in $((SECONDS - started)) s"
echo "${WORKER_DEST}"
