#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine of this kind: restores and builds everything,
# checks formatting, runs every test project, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

results="artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }
fail_setup() { echo "setup failed: $*"; echo "0 passed, 1 failed"; exit 1; }

step "build"
dotnet build Coordinator.sln -c Release -nologo -clp:ErrorsOnly || fail_setup "dotnet build"

step "formatting"
dotnet format Coordinator.sln --verify-no-changes --no-restore || fail_setup "dotnet format --verify-no-changes (run: dotnet format Coordinator.sln)"

passed=0 failed=0 skipped=0 crashed=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  step "$name"
  log="$results/$name.log"
  dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  summary="$(grep -E '(Passed|Failed)!\s+-\s+Failed:' "$log" | tail -n 1)"
  if [[ -z "$summary" ]]; then
    echo "$name: no test summary (exit $status): counted as one failure"
    crashed=$((crashed + 1))
    continue
  fi
  f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  if [[ $status -ne 0 && $f -eq 0 ]]; then
    echo "$name: exit $status without a failed test: counted as one failure"
    crashed=$((crashed + 1))
  fi
done

failed=$((failed + crashed))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && $passed -gt 0 ]]
