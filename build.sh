#!/usr/bin/env bash
# SeedreamPS build script for machines with or without PowerShell.
#   ./build.sh demo      build, start a simulator, run examples/prompts.csv, list the saved files
#                        (through the cmdlets when pwsh is on PATH, else through SeedreamPS.Core)
#   ./build.sh test      build, run xunit (and Pester when pwsh is on PATH), print the totals
#   ./build.sh build     assemble out/SeedreamPS/ (Import-Module out/SeedreamPS)
#   ./build.sh package   build and zip the module into out/
#   ./build.sh bench     run the throughput, overhead, memory and polling benchmarks (about 90 s)
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-build}"
config="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET SDK (10.0 or later) is required: https://dot.net/download" >&2
    exit 1
  fi
}

build() {
  need_dotnet
  dotnet build SeedreamPS.sln -c "$config" -nologo -v quiet -clp:NoSummary
  echo "Module: $(pwd)/out/SeedreamPS"
}

# Reads passed/failed/skipped from a TRX file's Counters element.
trx_counts() {
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -1)
  local total executed passed failed
  total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  echo "$passed $failed $((total - executed))"
}

run_tests() {
  build
  local results=out/test-results
  rm -rf "$results"
  local status=0
  dotnet test SeedreamPS.sln -c "$config" --no-build --logger "trx;LogFileName=xunit.trx" --logger "console;verbosity=normal" --results-directory "$results" || status=1
  local passed=0 failed=0 skipped=0
  local trx
  trx=$(find "$results" -name '*.trx' | head -1)
  if [ -n "$trx" ]; then
    read -r p f s < <(trx_counts "$trx")
    echo "xunit: $p passed, $f failed, $s skipped"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else
    echo "xunit: no results file was written" >&2
    status=1
  fi

  if command -v pwsh >/dev/null 2>&1; then
    local pester_out="$results/pester-summary.txt"
    pwsh -NoProfile -NonInteractive -File build.ps1 -Task Pester -Configuration "$config" -NoBuild | tee "$pester_out" || status=1
    local line
    line=$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$pester_out" | tail -1 || true)
    if [ -n "$line" ]; then
      read -r p f s < <(sed -E 's/^Pester: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$line")
      passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    else
      echo "Pester: the run printed no totals" >&2
      status=1
    fi
  else
    echo "Pester: SKIPPED - pwsh is not on PATH, so the Pester suite (tests/Pester) was not run. Install PowerShell 7 and Pester 5 to run it."
  fi

  [ "$failed" -eq 0 ] || status=1
  echo "Totals: $passed passed, $failed failed, $skipped skipped"
  return $status
}

case "$task" in
  build) build ;;
  test) run_tests ;;
  demo)
    build
    if command -v pwsh >/dev/null 2>&1; then
      # The real thing: Import-Csv | New-SeedreamImage | Save-SeedreamImage in PowerShell.
      pwsh -NoProfile -NonInteractive -File examples/Demo.ps1 -Configuration "$config"
    else
      echo "pwsh is not on PATH: running the same batch through SeedreamPS.Core (tools/SeedreamPS.Demo)."
      dotnet run --no-build -c "$config" --project tools/SeedreamPS.Demo -- --csv examples/prompts.csv --out out/demo
    fi
    ;;
  bench)
    build
    dotnet run --no-build -c "$config" --project bench/SeedreamPS.Bench -- --configuration "$config"
    ;;
  package)
    build
    version=$(sed -nE "s/^\s*ModuleVersion\s*=\s*'([^']+)'.*/\1/p" SeedreamPS.psd1)
    rm -f "out/SeedreamPS-$version.zip"
    (cd out && python3 -m zipfile -c "SeedreamPS-$version.zip" SeedreamPS/)
    echo "Package: $(pwd)/out/SeedreamPS-$version.zip"
    ;;
  *) echo "usage: ./build.sh [build|test|demo|bench|package]" >&2; exit 2 ;;
esac
