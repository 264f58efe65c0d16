#!/usr/bin/env bash
# Checks that the repository stands on its own. It copies the working tree (tracked files, and untracked
# files git does not ignore) and the cached mediasoup worker (.cache/mediasoup-worker, so nothing is
# rebuilt) into a fresh temporary folder that holds nothing else, then, in that copy:
#   1. dotnet build Coordinator.sln -c Release
#   2. dotnet test tests/Protocol.Tests and tests/LoadTool.Tests
#   3. one micro-benchmark class (OrtcBenchmarks) in BenchmarkDotNet's dry job, started from another folder
# and ends with one line: "self-contained check: PASS (N s)" or "self-contained check: FAIL: <what> (N s)".
# Exit status 0 on PASS. The copy is deleted at the end; KEEP_COPY=1 keeps it and prints where it is.
# Most of its time is the solution build in the copy: a few minutes on 2 cores.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
started=${SECONDS}

TMP=""
cleanup() {
  [[ -n "${TMP}" ]] || return 0
  if [[ "${KEEP_COPY:-0}" == 1 ]]; then
    echo "self-contained: copy kept in ${TMP}/repo"
  else
    rm -rf "${TMP}"
  fi
}
trap cleanup EXIT

step() { printf '\n== self-contained: %s\n' "$*"; }
finish() {
  local verdict="$1"
  trap - EXIT
  cleanup
  echo
  echo "self-contained check: ${verdict} ($((SECONDS - started)) s)"
  [[ "${verdict}" == PASS ]]
  exit $?
}
fail() { finish "FAIL: $*"; }

command -v git >/dev/null || fail "git is not installed (the copy is made from git ls-files)"
git -C "${ROOT}" rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "${ROOT} is not a git checkout"

# The copy sits alone in its own temporary folder: the repository's parent there holds nothing else,
# so no sibling folder of the original checkout is reachable by a relative path.
TMP="$(mktemp -d "${TMPDIR:-/tmp}/coordinator-self-contained.XXXXXX")" || fail "mktemp -d"
readonly TMP
readonly COPY="${TMP}/repo"
# Nothing may point the copy back at data kept beside the original checkout.
unset COORDINATOR_SHARED_DIR

step "copy the working tree into ${COPY}"
mkdir -p "${COPY}"
# .cache (a folder in a clone, a symlink in a git worktree) is copied below, dereferenced; files
# deleted from the working tree but still tracked are skipped.
(
  cd "${ROOT}" &&
    git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do
      [[ "${file}" == .cache || "${file}" == .cache/* ]] && continue
      [[ -e "${file}" || -L "${file}" ]] && printf '%s\0' "${file}"
    done |
    tar --null --no-recursion -T - -cf - | tar -xf - -C "${COPY}"
) || fail "copying the working tree"
echo "$(find "${COPY}" -type f | wc -l) files"

step "the cached mediasoup worker"
bash "${ROOT}/scripts/build-worker.sh" >/dev/null || fail "scripts/build-worker.sh"
mkdir -p "${COPY}/.cache"
cp -RL "${ROOT}/.cache/mediasoup-worker" "${COPY}/.cache/" || fail "copying .cache/mediasoup-worker"
du -sh "${COPY}/.cache/mediasoup-worker"

[[ ! -e "${TMP}/shared" && "$(ls -A "${TMP}")" == repo ]] || fail "${TMP} holds more than the copy"
[[ ! -e "${COPY}/.git" ]] || fail "the copy has a .git"

cd "${COPY}" || fail "cd ${COPY}"

step "build"
dotnet build Coordinator.sln -c Release -nologo -clp:ErrorsOnly -nodeReuse:false || fail "dotnet build Coordinator.sln"

for project in tests/Protocol.Tests tests/LoadTool.Tests; do
  step "${project}"
  dotnet test "${project}" -c Release --no-build --nologo || fail "dotnet test ${project}"
done

step "micro-benchmarks (OrtcBenchmarks, dry job), started from ${TMP}"
benchmarks="${COPY}/benchmarks/Coordinator.Benchmarks/bin/Release/net10.0/Coordinator.Benchmarks.dll"
log="${TMP}/benchmarks.log"
(cd "${TMP}" && dotnet "${benchmarks}" --filter '*OrtcBenchmarks*' --job dry --inProcess) >"${log}" 2>&1
status=$?
sed -n '/^| Method/,/^$/p' "${log}"
# BenchmarkDotNet exits 0 even when a benchmark throws: its row then reads NA where the mean belongs.
executed="$(sed -nE 's/^Run time: .*executed benchmarks: ([0-9]+).*/\1/p' "${log}" | tail -n 1)"
if [[ ${status} -ne 0 || -z "${executed}" || "${executed}" -eq 0 ]] \
  || grep -qE '^\|[^|]+\| +NA +\|' "${log}"; then
  tail -n 40 "${log}"
  fail "benchmarks (exit ${status}, ${executed:-no} benchmarks executed)"
fi

finish PASS
