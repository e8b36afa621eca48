#!/usr/bin/env bash
# The main job, on the hermetic test bed: install packages, build smtpdane, bring up the
# private DNSSEC hierarchy and the Postfix servers in the "smtpdane-tb" network namespace, and
# check a few mail domains with `smtpdane -mx`, showing the verdicts and the exit codes.
# Run as root on Debian 12 with the .NET 10 SDK. The test bed stays up afterwards so that you
# can try more commands; `bash testbed/down.sh` removes it.
set -uo pipefail
cd "$(dirname "$0")/.."

bash testbed/install.sh >/dev/null || { echo "demo: package install failed" >&2; exit 1; }
echo "== building smtpdane"
mkdir -p artifacts
dotnet build src/SmtpDane.Cli -c Release -nologo -v quiet -o artifacts/demo >artifacts/demo-build.log 2>&1 \
  || { cat artifacts/demo-build.log >&2; exit 1; }
echo "== starting the test bed"
bash testbed/up.sh >/dev/null || { echo "demo: test bed failed to start; run 'bash testbed/up.sh' to see why" >&2; exit 1; }

run() {
  echo
  echo "\$ smtpdane $*"
  ip netns exec smtpdane-tb artifacts/demo/smtpdane "$@"
  echo "(exit code $?)"
}

run -mx ee311.test          # DANE-EE 3 1 1: verified
run -mx eemismatch.test     # TLSA digest of another key: DANE fails
run -terse -mx notlsa.test  # signed zone without TLSA: DANE not in effect
run -nagios -expect-ocsp -mx ocspgood.test   # Nagios OK, with a good OCSP staple
run -nagios -mx multimx.test                 # Nagios CRITICAL: one of three addresses fails

echo
echo "The test bed is still up. Try more, e.g.:"
echo "  ip netns exec smtpdane-tb artifacts/demo/smtpdane -show-cert-info -mx ta201.test"
echo "Scenario list: testbed/scenarios.tsv. Remove the test bed with: bash testbed/down.sh"
