#!/usr/bin/env bash
# SeedreamPS build script for machines with or without PowerShell.
#   ./build.sh demo      build, start a simulator, run examples/prompts.csv through
#                        Import-Csv | New-SeedreamImage | Save-SeedreamImage in PowerShell, list the saved files
#   ./build.sh test      build, run xunit and Pester, print the totals counted from both results files
#   ./build.sh build     assemble out/SeedreamPS/ (Import-Module out/SeedreamPS)
#   ./build.sh package   build and make out/package/SeedreamPS.<version>.nupkg for Install-PSResource
#   ./build.sh bench     run the throughput, overhead, memory, journal, polling and PowerShell pipeline benchmarks
# PowerShell 7.6.9 is the local .NET tool pinned in dotnet-tools.json and Pester 5.9.1 comes from NuGet
# (tools/restore), so the .NET SDK is all a machine needs.
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

# Restores the pinned PowerShell (a local .NET tool) and sets PWSH to its own executable in $PSHOME, which child
# processes and the benchmark start directly. Fails, saying why, when it cannot be restored.
PWSH=""
need_pwsh() {
  need_dotnet
  [ -n "$PWSH" ] && return 0
  local log
  if ! log=$(dotnet tool restore 2>&1); then
    echo "$log" >&2
    echo "build.sh: PowerShell 7.6.9 could not be restored as a .NET tool (dotnet tool restore, dotnet-tools.json)" >&2
    exit 1
  fi
  local home
  home=$(dotnet pwsh -NoProfile -NonInteractive -Command '$PSHOME') || { echo "build.sh: dotnet pwsh did not start" >&2; exit 1; }
  PWSH="$home/pwsh"
  [ -x "$PWSH" ] || { echo "build.sh: no pwsh executable in $home" >&2; exit 1; }
}

build() {
  need_dotnet
  dotnet build SeedreamPS.sln -c "$config" -nologo -v quiet -clp:NoSummary
  echo "Module: $(pwd)/out/SeedreamPS"
}

# Reads passed/failed/skipped from a TRX file's Counters element: the element is matched whole (attributes of digits
# only), then each count by its exact name (passed=, not passedButRunAborted=). Fails, saying why, when one is missing.
trx_counts() {
  local counters
  counters=$(grep -oE '<Counters( [A-Za-z]+="[0-9]+")+ ?/?>' "$1" | head -1)
  [ -n "$counters" ] || { echo "build.sh: no Counters element in $1" >&2; return 1; }
  local name value total="" executed="" passed="" failed=""
  for name in total executed passed failed; do
    value=$(grep -oE " $name=\"[0-9]+\"" <<<"$counters" | grep -oE '[0-9]+')
    [ -n "$value" ] || { echo "build.sh: no $name count in $1" >&2; return 1; }
    printf -v "$name" '%s' "$value"
  done
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
  local counts
  if [ -n "$trx" ] && counts=$(trx_counts "$trx"); then
    read -r p f s <<<"$counts"
    echo "xunit: $p passed, $f failed, $s skipped (from $trx)"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  elif [ -n "$trx" ]; then
    status=1
  else
    echo "xunit: no results file was written" >&2
    status=1
  fi

  need_pwsh
  "$PWSH" -NoProfile -NonInteractive -File build.ps1 -Task Pester -Configuration "$config" -NoBuild || status=1
  local pester_xml="$results/pester.xml"
  if [ -f "$pester_xml" ]; then
    read -r p f s < <(nunit_counts "$pester_xml")
    echo "Pester: $p passed, $f failed, $s skipped (from $pester_xml)"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else
    echo "Pester: no results file was written ($pester_xml); see the lines above" >&2
    status=1
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
    need_pwsh
    # The real thing: Import-Csv | New-SeedreamImage | Save-SeedreamImage in PowerShell.
    "$PWSH" -NoProfile -NonInteractive -File examples/Demo.ps1 -Configuration "$config"
    ;;
  bench)
    build
    need_pwsh
    dotnet run --no-build -c "$config" --project bench/SeedreamPS.Bench -- --configuration "$config" --pwsh "$PWSH"
    ;;
  package)
    need_pwsh
    "$PWSH" -NoProfile -NonInteractive -File build.ps1 -Task Package -Configuration "$config"
    ;;
  *) echo "usage: ./build.sh [build|test|demo|bench|package]" >&2; exit 2 ;;
esac
