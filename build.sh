#!/usr/bin/env bash
# SeedreamPS build script for machines with or without PowerShell.
#   ./build.sh demo      build, start a simulator, run examples/prompts.csv, list the saved files
#                        (through the cmdlets when pwsh is on PATH, else through SeedreamPS.Core)
#   ./build.sh test      build, run xunit (and Pester when pwsh is on PATH), print the totals
#   ./build.sh build     assemble out/SeedreamPS/ (Import-Module out/SeedreamPS)
#   ./build.sh package   build and zip the module into out/
#   ./build.sh bench     run the throughput, overhead, memory, journal and polling benchmarks (about two minutes)
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

# Reads passed/failed/skipped from Pester's NUnit XML: each test-case's result attribute.
nunit_counts() {
  local cases passed failed total
  cases=$(grep -o '<test-case [^>]*' "$1" || true)
  total=$(grep -c 'result="' <<<"$cases" || true)
  passed=$(grep -c 'result="Success"' <<<"$cases" || true)
  failed=$(grep -cE 'result="(Failure|Error)"' <<<"$cases" || true)
  echo "$passed $failed $((total - passed - failed))"
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
    echo "xunit: $p passed, $f failed, $s skipped (from $trx)"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else
    echo "xunit: no results file was written" >&2
    status=1
  fi

  if command -v pwsh >/dev/null 2>&1; then
    pwsh -NoProfile -NonInteractive -File build.ps1 -Task Pester -Configuration "$config" -NoBuild || status=1
    local pester_xml="$results/pester.xml"
    if [ -f "$pester_xml" ]; then
      read -r p f s < <(nunit_counts "$pester_xml")
      echo "Pester: $p passed, $f failed, $s skipped (from $pester_xml)"
      passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    else
      # build.ps1 says why above (Pester 5 not installed); a run that broke down has already set status.
      echo "Pester: no results file was written ($pester_xml); see the lines above"
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
