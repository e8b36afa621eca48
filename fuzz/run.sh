#!/usr/bin/env bash
# Fuzz the peer-data parsers for about SECONDS in total (default 60), build included.
# Seeds: fuzz/corpus/<target>/; failures: fuzz/crashes/<target>-<hash>.{bin,txt}; exit 1 on any.
# Usage: fuzz/run.sh [seconds] [--target NAME]...   Env: FUZZ_ARTIFACTS (build output), FUZZ_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
total="${1:-60}"
shift || true
artifacts="${FUZZ_ARTIFACTS:-${TMPDIR:-/tmp}/smtpdane-fuzz}"
start=$(date +%s)
dotnet build fuzz/SmtpDane.Fuzz/SmtpDane.Fuzz.csproj -c Release --artifacts-path "$artifacts" -v q -nologo >"$artifacts.build.log" 2>&1 \
  || { cat "$artifacts.build.log"; exit 2; }
# Whatever the build left of the budget goes to fuzzing (at least 5 s), minus start-up slack.
left=$(( total - ($(date +%s) - start) - 2 ))
(( left < 5 )) && left=5
exec dotnet "$artifacts/bin/SmtpDane.Fuzz/release/SmtpDane.Fuzz.dll" \
  --seconds "$left" --corpus fuzz/corpus --crashes fuzz/crashes --seed "${FUZZ_SEED:-20240601}" "$@"
