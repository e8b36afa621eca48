#!/usr/bin/env bash
# The whole test suite: build, unit tests, then the integration tests inside the hermetic
# test bed (DNSSEC-signed zones, validating unbound, Postfix), torn down even on failure.
# Ends with one line "N passed, N failed[, N skipped]". Run as root on Debian 12.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/artifacts/test"
mkdir -p "$out"
rm -f "$out"/*.log

bash testbed/install.sh || { echo "test.sh: package install failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== restore and build"
if ! dotnet build smtpdane.slnx -c Release -nologo -v quiet 2>&1 | tee "$out/build.log" | grep -E "error|Warn|Error" ; then :; fi
if ! grep -q " 0 Error(s)" "$out/build.log"; then
  echo "test.sh: build failed (see $out/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== format check"
format_failed=0
if ! dotnet format smtpdane.slnx --verify-no-changes --no-restore >"$out/format.log" 2>&1; then
  echo "test.sh: 'dotnet format' would change files:"; head -20 "$out/format.log"; format_failed=1
fi

echo "== unit tests"
dotnet test tests/SmtpDane.Tests -c Release --no-build -nologo 2>&1 | tee "$out/unit.log" | grep -E "^(Passed|Failed)!|error|\[FAIL\]" || true

# The exporter load test (tests/SmtpDane.IntegrationTests/Exporter) runs the NativeAOT binary.
echo "== NativeAOT publish"
aot_published=1
if ! bash scripts/aot-smoke.sh --publish-only >"$out/aot-publish.log" 2>&1; then
  aot_published=0; echo "test.sh: NativeAOT publish failed (see $out/aot-publish.log)"; tail -5 "$out/aot-publish.log"
fi

echo "== test bed"
testbed_ok=0
if [ "$(id -u)" = 0 ]; then
  trap 'bash "$root/testbed/down.sh" >"$out/testbed-down.log" 2>&1' EXIT
  # To a file, not a pipe: the daemons up.sh starts inherit its stdout and would hold a pipe open.
  if bash testbed/up.sh >"$out/testbed-up.log" 2>&1; then testbed_ok=1; fi
  tail -8 "$out/testbed-up.log"
else
  echo "test.sh: not root: integration tests will be skipped (the test bed needs network namespaces)"
fi

echo "== integration tests"
if [ $testbed_ok = 1 ]; then
  ip netns exec "${SMTPDANE_TB_NS:-smtpdane-tb}" env SMTPDANE_TESTBED=1 \
    dotnet test tests/SmtpDane.IntegrationTests -c Release --no-build -nologo 2>&1 | tee "$out/integration.log" | grep -E "^(Passed|Failed)!|error|\[FAIL\]" || true
  echo "== NativeAOT binary on every scenario"
  bash scripts/aot-smoke.sh --no-publish >"$out/aot-smoke.log" 2>&1 || true
  tail -1 "$out/aot-smoke.log"
fi
if [ "$(id -u)" = 0 ]; then
  echo "== Debian package: build, lintian, dpkg -i, checks, dpkg -r (and deploy/ manifests)"
  # Reuses the binary aot-smoke.sh just published; publishes itself when the bed was down.
  publish_flag=(); [ $testbed_ok = 1 ] && [ -x artifacts/aot/smtpdane ] && publish_flag=(--no-publish)
  bash scripts/package-check.sh "${publish_flag[@]}" >"$out/package-check.log" 2>&1 || true
  grep -E "^FAIL" "$out/package-check.log"; tail -1 "$out/package-check.log"
else
  echo "test.sh: not root: the Debian package check is skipped (dpkg -i needs root)"
fi
if [ $testbed_ok = 0 ]; then
  dotnet test tests/SmtpDane.IntegrationTests -c Release --no-build -nologo 2>&1 | tee "$out/integration.log" | grep -E "^(Passed|Failed)!|error|\[FAIL\]" || true
fi

echo "== fuzzing the peer-data parsers (bounded)"
fuzz_failed=0
if bash fuzz/run.sh 60 >"$out/fuzz.log" 2>&1; then tail -3 "$out/fuzz.log"; else
  echo "test.sh: fuzzing found a failure (see $out/fuzz.log and fuzz/crashes/)"; tail -20 "$out/fuzz.log"; fuzz_failed=1
fi

# Sum xunit's summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13").
passed=0; failed=0; skipped=0; runs=0
for log in "$out/unit.log" "$out/integration.log"; do
  line=$(grep -E "^(Passed|Failed)! +- Failed:" "$log" | tail -1)
  if [ -z "$line" ]; then
    echo "test.sh: no test summary in $(basename "$log"): the test run itself failed"; failed=$((failed + 1)); continue
  fi
  runs=$((runs + 1))
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
[ $format_failed = 1 ] && failed=$((failed + 1))
[ $aot_published = 0 ] && failed=$((failed + 1))
if [ $fuzz_failed = 1 ]; then failed=$((failed + 1)); else passed=$((passed + 1)); fi
if [ $testbed_ok = 1 ]; then
  # scripts/aot-smoke.sh ends with its own "N passed, N failed" (one per scenario).
  aot=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$out/aot-smoke.log" | tail -1)
  if [ -z "$aot" ]; then
    echo "test.sh: the AOT smoke run did not finish (see $out/aot-smoke.log)"; failed=$((failed + 1))
  else
    passed=$((passed + ${aot%% passed*})); f=${aot#*, }; failed=$((failed + ${f%% failed}))
  fi
fi
if [ "$(id -u)" = 0 ]; then
  # scripts/package-check.sh ends with its own "N passed, N failed" (one per check).
  pkg=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$out/package-check.log" | tail -1)
  if [ -z "$pkg" ]; then
    echo "test.sh: the package check did not finish (see $out/package-check.log)"; failed=$((failed + 1))
  else
    passed=$((passed + ${pkg%% passed*})); f=${pkg#*, }; failed=$((failed + ${f%% failed}))
  fi
fi
if [ "$(id -u)" = 0 ] && [ $testbed_ok = 0 ]; then
  echo "test.sh: the test bed did not come up (see $out/testbed-up.log)"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
