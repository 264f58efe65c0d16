#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine of this kind: builds the mediasoup worker (cached),
# restores and builds everything, checks formatting, runs every test project, the Node.js SDK's
# tests and the browser pages' unit tests, checks that a copy of the repository with nothing beside
# it builds and passes (scripts/check-self-contained.sh), and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

results="artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }
fail_setup() { echo "setup failed: $*"; echo "0 passed, 1 failed"; exit 1; }

step "mediasoup worker (built once, then cached in .cache/)"
bash scripts/build-worker.sh || fail_setup "scripts/build-worker.sh"

step "Chromium (Debian's package, for the browser tests)"
if ! command -v chromium >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || fail_setup "apt-get install chromium"
  else
    fail_setup "chromium is missing: apt-get install chromium"
  fi
fi

step "cluster and deployment test tools (redis-server, postgresql, docker-compose, Dockerfile linter)"
bash scripts/install-test-tools.sh || fail_setup "scripts/install-test-tools.sh"

step "build"
dotnet build Coordinator.sln -c Release -nologo -clp:ErrorsOnly || fail_setup "dotnet build"

step "formatting"
dotnet format Coordinator.sln --verify-no-changes --no-restore || fail_setup "dotnet format --verify-no-changes (run: dotnet format Coordinator.sln)"

passed=0 failed=0 skipped=0 crashed=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  step "$name"
  log="$results/$name.log"
  dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  counters="$(grep -o '<Counters [^>]*>' "$results/$name.trx" 2>/dev/null | head -n 1)"
  if [[ -z "$counters" ]]; then
    echo "$name: no test results (exit $status): counted as one failure"
    crashed=$((crashed + 1))
    continue
  fi
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  p=$(count passed) f=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
  s=$(count notExecuted)
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  if [[ $status -ne 0 && $f -eq 0 ]]; then
    echo "$name: exit $status without a failed test: counted as one failure"
    crashed=$((crashed + 1))
  fi
done

# An npm project's own tests (Node's test runner, TAP output), counted like the projects above:
#   npm_tests <folder> <label> <test command, run by bash in the folder>
npm_tests() {
  local folder="$1" label="$2" command="$3"
  step "$folder ($label)"
  local log="$results/${folder//\//-}.log"
  if ! (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "$folder: npm ci failed: counted as one failure"
    crashed=$((crashed + 1))
    return
  fi
  (cd "$folder" && bash -c "$command") 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  tap() { sed -nE "s/^# $1 ([0-9]+)$/\1/p" "$log" | tail -n 1; }
  local p f s
  p=$(tap pass) f=$(tap fail) s=$(tap skipped)
  if [[ -z "$p" ]]; then
    echo "$folder: no test results (exit $status): counted as one failure"
    crashed=$((crashed + 1))
    return
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
  if [[ $status -ne 0 && $f -eq 0 ]]; then
    echo "$folder: exit $status without a failed test: counted as one failure"
    crashed=$((crashed + 1))
  fi
}

# The Node.js SDK's tests run against a real embedded node; the pages' tests are pure logic.
npm_tests clients/node "the Node.js SDK" "node --test --test-concurrency=1 --test-reporter=tap test/*.test.js"
npm_tests clients/web "the browser pages' logic" "node --test --test-reporter=tap test/"

# The repository alone, in a copy with nothing beside it: build, the protocol and load-tool tests, one
# benchmark class. Its tests already ran above, so only a failure is counted (as one).
step "self-contained copy (scripts/check-self-contained.sh)"
self_contained_log="$results/self-contained.log"
bash scripts/check-self-contained.sh 2>&1 | tee "$self_contained_log"
self_contained_status=${PIPESTATUS[0]}
if [[ $self_contained_status -ne 0 ]]; then
  echo "self-contained check failed (exit $self_contained_status): counted as one failure"
  crashed=$((crashed + 1))
fi

failed=$((failed + crashed))
# The failing tests again, at the end, where a truncated log still shows them.
if [[ $failed -gt 0 ]]; then
  step "failures"
  for trx in "$results"/*.trx; do
    python3 scripts/trx-failures.py "$trx" || true
  done
  if [[ $self_contained_status -ne 0 ]]; then
    tail -n 1 "$self_contained_log"
  fi
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && $passed -gt 0 ]]
