#!/usr/bin/env bash
# Builds the mediasoup 2.6.19 C++ worker from the npm package into a cached, git-ignored folder,
# and keeps the package's JavaScript lib/ beside it for the differential ORTC test
# (tests/Protocol.Tests/Differential), which runs the real lib/ortc.js under node:
#   <repo>/.cache/mediasoup-worker/2.6.19/mediasoup-worker
#   <repo>/.cache/mediasoup-worker/2.6.19/lib/ortc.js (and the rest of lib/, with lib/node_modules/
#   holding the npm dependencies lib/utils.js requires, at pinned versions)
# Idempotent: when both are there it exits at once; a cache with the binary but without lib/ gains
# lib/ without rebuilding the worker.
# Needs: npm (or curl/wget for the worker alone), tar, make, g++ and a Python 2 interpreter for the
# bundled gyp.
# Python 2 is looked up as $PYTHON2, then $(pyenv root)/versions/2.7.18/bin/python2
# (pyenv may live in ~/.pyenv without being on PATH), then python2 on PATH.
set -euo pipefail

readonly VERSION="2.6.19"
readonly TARBALL_URL="https://registry.npmjs.org/mediasoup/-/mediasoup-${VERSION}.tgz"
readonly TARBALL_SHA1="feba9a99aa8521fdbb4ece8c84091040ba749564"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly DEST_DIR="${REPO_ROOT}/.cache/mediasoup-worker/${VERSION}"
readonly DEST="${DEST_DIR}/mediasoup-worker"
readonly LIB_DIR="${DEST_DIR}/lib"
# What lib/ortc.js needs beyond lib/ itself: lib/utils.js requires randomatic and random-number.
# mediasoup 2.6.19's package.json asks for randomatic ^3.1.1 (3.1.1 is the last 3.x) and
# random-number 0.0.9; randomatic's own dependencies are pinned too, at the versions its ranges
# resolve to, so every cache holds the same code.
readonly LIB_NPM_PACKAGES=(
  "randomatic@3.1.1" "random-number@0.0.9"
  "is-number@4.0.0" "kind-of@6.0.3" "math-random@1.0.4"
)

log() { printf '[build-worker] %s\n' "$*" >&2; }
die() { printf '[build-worker] ERROR: %s\n' "$*" >&2; exit 1; }

# An executable ELF file (checked by its magic bytes; no need for `file` or for running it).
is_elf_executable() {
  [[ -f "$1" && -x "$1" ]] || return 1
  [[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" == "7f454c46" ]]
}

worker_built() { is_elf_executable "${DEST}"; }

# lib/ is moved into place whole, so its files and its node_modules/ appear together.
lib_installed() {
  [[ -f "${LIB_DIR}/ortc.js" && -f "${LIB_DIR}/node_modules/randomatic/package.json" \
    && -f "${LIB_DIR}/node_modules/random-number/package.json" ]]
}

if worker_built && lib_installed; then
  log "already built: ${DEST} (and ${LIB_DIR})"
  echo "${DEST}"
  exit 0
fi

mkdir -p "${DEST_DIR}"

# Serialise concurrent runs (the second one then finds the binary and lib/ and exits).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${DEST_DIR}/.build.lock"
  flock 9
  if worker_built && lib_installed; then
    log "already built (by a concurrent run): ${DEST}"
    echo "${DEST}"
    exit 0
  fi
fi

NEED_WORKER=1
if worker_built; then
  NEED_WORKER=0
  if ! command -v npm >/dev/null 2>&1; then
    log "WARNING: npm not found, so ${LIB_DIR} cannot be installed (the differential ORTC test needs it and node)"
    echo "${DEST}"
    exit 0
  fi
  log "worker already built: ${DEST}; adding lib/ only"
fi

# --- build dependencies -------------------------------------------------------------------------
# (only when the worker is to be built: lib/ needs nothing but npm)
if ((NEED_WORKER)); then
  missing=()
  for tool in make g++ tar strip; do
    command -v "${tool}" >/dev/null 2>&1 || missing+=("${tool}")
  done
  if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
      log "missing ${missing[*]}; installing build-essential with apt-get"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update
      apt-get install -y build-essential
    else
      die "missing build tools: ${missing[*]}. Install them (Debian: apt-get install -y build-essential) and re-run."
    fi
  fi
fi

is_python2() {
  [[ -n "$1" ]] && "$1" -c 'import sys; sys.exit(0 if sys.version_info[0] == 2 else 1)' >/dev/null 2>&1
}

find_python2() {
  local candidates=()
  [[ -n "${PYTHON2:-}" ]] && candidates+=("${PYTHON2}")
  local pyenv_root=""
  if command -v pyenv >/dev/null 2>&1; then
    pyenv_root="$(pyenv root 2>/dev/null || true)"
  elif [[ -x "${HOME}/.pyenv/bin/pyenv" ]]; then
    pyenv_root="$("${HOME}/.pyenv/bin/pyenv" root 2>/dev/null || true)"
  fi
  [[ -z "${pyenv_root}" && -d "${HOME}/.pyenv" ]] && pyenv_root="${HOME}/.pyenv"
  [[ -n "${pyenv_root}" ]] && candidates+=("${pyenv_root}/versions/2.7.18/bin/python2")
  # Any other pyenv 2.7.x.
  if [[ -n "${pyenv_root}" ]]; then
    local p
    for p in "${pyenv_root}"/versions/2.7.*/bin/python2; do
      [[ -e "${p}" ]] && candidates+=("${p}")
    done
  fi
  # python2 on PATH (may be a pyenv shim that does not work; is_python2 weeds that out).
  command -v python2 >/dev/null 2>&1 && candidates+=("$(command -v python2)")
  local c
  for c in "${candidates[@]}"; do
    if is_python2 "${c}"; then
      echo "${c}"
      return 0
    fi
  done
  return 1
}

if ((NEED_WORKER)); then
  PYTHON2_BIN="$(find_python2)" || die "no Python 2 interpreter found. The worker's bundled gyp needs Python 2.7 \
(Debian 12 has no python2 package). Install it with pyenv (pyenv install 2.7.18), or set PYTHON2=/path/to/python2, and re-run."
  log "using Python 2: ${PYTHON2_BIN}"
fi

# --- fetch the package --------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")"
STAGED=""
STAGED_LIB=""
cleanup() {
  rm -rf "${WORK}"
  [[ -n "${STAGED}" ]] && rm -f "${STAGED}"
  [[ -n "${STAGED_LIB}" ]] && rm -rf "${STAGED_LIB}"
  return 0
}
trap cleanup EXIT

started=${SECONDS}
tarball="${WORK}/mediasoup-${VERSION}.tgz"
if command -v npm >/dev/null 2>&1; then
  log "npm pack mediasoup@${VERSION}"
  (cd "${WORK}" && npm pack --silent "mediasoup@${VERSION}" >/dev/null)
elif command -v curl >/dev/null 2>&1; then
  log "npm not found; downloading ${TARBALL_URL} with curl"
  curl -fsSL -o "${tarball}" "${TARBALL_URL}"
elif command -v wget >/dev/null 2>&1; then
  log "npm not found; downloading ${TARBALL_URL} with wget"
  wget -q -O "${tarball}" "${TARBALL_URL}"
else
  die "need npm (or curl/wget) to fetch mediasoup@${VERSION}"
fi
[[ -f "${tarball}" ]] || die "the package tarball ${tarball} was not produced"
if command -v sha1sum >/dev/null 2>&1; then
  actual="$(sha1sum "${tarball}" | cut -d' ' -f1)"
  [[ "${actual}" == "${TARBALL_SHA1}" ]] || die "tarball sha1 ${actual} != expected ${TARBALL_SHA1}"
fi
tar -xzf "${tarball}" -C "${WORK}"

# --- lib/ for the differential ORTC test ---------------------------------------------------------
# The package's lib/ as shipped (ortc.js, utils.js, supportedRtpCapabilities.js, ...) plus the npm
# dependencies lib/utils.js requires, installed by npm into lib/node_modules/ (node finds them there
# from lib/utils.js). Staged beside the cache and moved into place whole.
install_lib() {
  STAGED_LIB="$(mktemp -d "${DEST_DIR}/.lib.XXXXXX")"
  cp -R "${WORK}/package/lib/." "${STAGED_LIB}/"
  cp "${WORK}/package/package.json" "${STAGED_LIB}/mediasoup-package.json"
  log "npm install ${LIB_NPM_PACKAGES[*]} into lib/node_modules"
  (cd "${STAGED_LIB}" && npm install --silent --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --prefix "${STAGED_LIB}" "${LIB_NPM_PACKAGES[@]}" >/dev/null) || die "npm install of lib/'s dependencies failed"
  [[ -f "${STAGED_LIB}/ortc.js" && -f "${STAGED_LIB}/node_modules/randomatic/package.json" \
    && -f "${STAGED_LIB}/node_modules/random-number/package.json" ]] || die "lib/ was staged incompletely in ${STAGED_LIB}"
  chmod 0755 "${STAGED_LIB}"
  rm -rf "${LIB_DIR}"
  mv "${STAGED_LIB}" "${LIB_DIR}"
  STAGED_LIB=""
  log "lib/ installed: ${LIB_DIR}"
}

if ! lib_installed; then
  if command -v npm >/dev/null 2>&1; then
    install_lib
  else
    log "WARNING: npm not found, so ${LIB_DIR} was not installed (the differential ORTC test needs it and node)"
  fi
fi

if ((NEED_WORKER == 0)); then
  echo "${DEST}"
  exit 0
fi

# --- build --------------------------------------------------------------------------------------
jobs="$(nproc 2>/dev/null || echo 2)"
log "building the worker (make Release, ${jobs} jobs); this takes about a minute on 2 cores"
make -C "${WORK}/package/worker" Release PYTHON="${PYTHON2_BIN}" CORES="${jobs}" \
  >"${WORK}/build.log" 2>&1 || {
    tail -n 40 "${WORK}/build.log" >&2
    die "the worker build failed (last lines above)"
  }
built="${WORK}/package/worker/out/Release/mediasoup-worker"
is_elf_executable "${built}" || die "the build finished but ${built} is not an executable ELF file"

# --- install atomically -------------------------------------------------------------------------
STAGED="$(mktemp "${DEST_DIR}/.mediasoup-worker.XXXXXX")"
cp "${built}" "${STAGED}"
strip "${STAGED}"
chmod 0755 "${STAGED}"
mv -f "${STAGED}" "${DEST}"
STAGED=""

log "built in $((SECONDS - started)) s: ${DEST} ($(du -h "${DEST}" | cut -f1))"
echo "${DEST}"
