#!/usr/bin/env bash
# Coverage-guided fuzzing of the peer-data parsers: SharpFuzz instruments the library, AFL++
# (Debian afl++, testbed/install.sh) drives each target for its share of SECONDS (default 60,
# build included). Seeds: fuzz/corpus/<target>/ (kept in the repository); failures are copied to
# fuzz/crashes/<target>/; exit 1 on any. Replay one:
#   fuzz/run.sh --replay TARGET fuzz/crashes/TARGET/FILE
# Usage: fuzz/run.sh [seconds] [--target NAME]...   Env: FUZZ_ARTIFACTS (build and AFL output).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
artifacts="${FUZZ_ARTIFACTS:-${TMPDIR:-/tmp}/smtpdane-fuzz}"
mkdir -p "$artifacts"
bin="$artifacts/bin/SmtpDane.Fuzz/release"
build() {
  dotnet build fuzz/SmtpDane.Fuzz/SmtpDane.Fuzz.csproj -c Release --artifacts-path "$artifacts" -v q -nologo >"$artifacts/build.log" 2>&1 \
    || { cat "$artifacts/build.log"; exit 2; }
}
if [ "${1:-}" = "--replay" ]; then
  shift; build
  exec dotnet "$bin/SmtpDane.Fuzz.dll" --replay "$@"
fi
total="${1:-60}"
shift || true
targets=()
while [ $# -gt 0 ]; do
  case "$1" in --target) targets+=("$2"); shift 2 ;; *) echo "usage: fuzz/run.sh [seconds] [--target NAME]... | --replay TARGET FILE..." >&2; exit 2 ;; esac
done
command -v afl-fuzz >/dev/null || { echo "fuzz/run.sh: afl-fuzz missing (bash testbed/install.sh)"; exit 2; }
start=$(date +%s)
build
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(dotnet "$bin/SmtpDane.Fuzz.dll" --list)
# SharpFuzz instruments a copy of the library (coverage for AFL; instrumented code runs only under
# the fuzzer), so the plain build stays usable for --list, --dict and --replay.
tools="$artifacts/tools"
[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >"$artifacts/tool.log" 2>&1 \
  || { cat "$artifacts/tool.log"; exit 2; }
afl_bin="$artifacts/afl-bin"; rm -rf "$afl_bin"; cp -r "$bin" "$afl_bin"
"$tools/sharpfuzz" "$afl_bin/SmtpDane.Library.dll" >"$artifacts/instrument.log" 2>&1 || { cat "$artifacts/instrument.log"; exit 2; }
left=$(( total - ($(date +%s) - start) ))
per=$(( left / ${#targets[@]} )); (( per < 5 )) && per=5
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1
failed=0
for t in "${targets[@]}"; do
  out="$artifacts/afl/$t"; rm -rf "$out"; mkdir -p "$out"
  dotnet "$bin/SmtpDane.Fuzz.dll" --dict "$t" >"$artifacts/$t.dict"
  # -V: stop after $per seconds; -t: a generous per-input limit (the JIT warms up on the first runs).
  afl-fuzz -V "$per" -t 5000 -m none -i "fuzz/corpus/$t" -o "$out" -x "$artifacts/$t.dict" -- dotnet "$afl_bin/SmtpDane.Fuzz.dll" --afl "$t" \
    >"$out.log" 2>&1 || { echo "fuzz $t: afl-fuzz failed:"; tail -20 "$out.log"; failed=1; continue; }
  stats="$out/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  printf 'fuzz %-12s execs=%-8s corpus=%-5s edges=%-5s crashes=%s (%ss)\n' "$t" "$(get execs_done)" "$(get corpus_count)" "$(get edges_found)" "$crashes" "$per"
  if [ "$crashes" -gt 0 ]; then
    mkdir -p "fuzz/crashes/$t"
    for f in "$out"/default/crashes/id:*; do cp "$f" "fuzz/crashes/$t/$(sha256sum "$f" | cut -c1-16)"; done
    echo "fuzz $t: $crashes crash(es) in fuzz/crashes/$t/; replay: fuzz/run.sh --replay $t fuzz/crashes/$t/<file>"
    failed=1
  fi
done
exit $failed
