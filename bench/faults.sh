#!/usr/bin/env bash
# The fault catalogue (tests/SmtpDane.IntegrationTests/Faults) as a report, not pass/fail:
# per fault the exit code, JSON status, wall time against its -timeout deadline, and the
# finding codes that explain it (routine smtp.banner/address.found/tlsa.found left out).
# Loopback only; no test bed needed. Raw TSV: bench/out/faults.tsv.
#   bench/faults.sh            Env: FAULTS_ARTIFACTS (build output dir)
set -uo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
tsv="$out/faults.tsv"
rm -f "$tsv"
artifacts="${FAULTS_ARTIFACTS:-${TMPDIR:-/tmp}/smtpdane-faults}"
FAULTS_REPORT="$PWD/$tsv" dotnet test tests/SmtpDane.IntegrationTests/SmtpDane.IntegrationTests.csproj \
  --artifacts-path "$artifacts" --filter "FullyQualifiedName~Faults" -nologo >"$out/faults.test.log" 2>&1
rc=$?
printf '%-44s %4s %-7s %8s %8s  %s\n' fault exit status wall_s deadline codes
printf '%-44s %4s %-7s %8s %8s  %s\n' ----- ---- ------ ------ -------- -----
# Hostile-argument runs are many and alike: one summary line for them.
grep -v '^hostile arguments' "$tsv" | sort -t$'\t' -k1,1 |
  awk -F'\t' '{ c=$6; if (length(c) > 90) c=substr(c,1,87) "..."; printf "%-44s %4s %-7s %8s %8s  %s\n", substr($1,1,44), $2, $3, $4, $5, c }'
awk -F'\t' '/^hostile arguments/ { n++; if ($2 == 0) z++; if ($4 > m) m=$4 }
  END { if (n) printf "%-44s %4s %-7s %8s %8s  %s\n", "hostile arguments (" n " runs)", "!=0", "-", m, "5", (z ? z " exited 0!" : "none exited 0, no stack trace") }' "$tsv"
echo
echo "tests: $(grep -Eo '(Passed|Failed)!.*' "$out/faults.test.log" | head -1) (log: $out/faults.test.log)"
exit $rc
