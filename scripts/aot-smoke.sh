#!/usr/bin/env bash
# Smoke test of the NativeAOT binary: publishes src/SmtpDane.Cli for linux-x64 into
# artifacts/aot/ and runs it, inside the test bed's network namespace, once for every row of
# testbed/scenarios.tsv with -json, in both DNSSEC modes (resolver, and -dnssec local anchored at
# the bed's root: libunbound through P/Invoke in the native binary). A scenario passes when the
# JSON "status" equals the table's "expected" column and the exit code is 0 for ok, 1 for
# warning/error. Last, with libunbound hidden (a private mount namespace), -dnssec local must
# exit 3 naming the package, and resolver mode must still work.
# Prints one line per scenario and a final "N passed, N failed"; exits non-zero on any failure.
#
# Needs root and the test bed up (testbed/up.sh); does not start or stop it.
#   scripts/aot-smoke.sh               publish, then run every scenario
#   scripts/aot-smoke.sh --no-publish  reuse artifacts/aot/smtpdane
#   scripts/aot-smoke.sh --publish-only  publish and check for warnings, run nothing (needs no test bed)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ns=${SMTPDANE_TB_NS:-smtpdane-tb}
bin="$root/artifacts/aot/smtpdane"
log="$root/artifacts/aot-smoke"
mkdir -p "$log"

publish=1; publish_only=0
[ "${1:-}" = "--no-publish" ] && publish=0
[ "${1:-}" = "--publish-only" ] && publish_only=1

if [ $publish = 1 ]; then
  echo "== publish NativeAOT (linux-x64) -> artifacts/aot/"
  # Own artifacts path: keeps the RID-specific restore/obj away from the solution build's.
  if ! dotnet publish src/SmtpDane.Cli -r linux-x64 -c Release -nologo -v quiet \
      -o "$root/artifacts/aot" --artifacts-path "$root/artifacts/aot-build" >"$log/publish.log" 2>&1; then
    echo "aot-smoke: publish failed (see $log/publish.log):"; grep -E "error|warning" "$log/publish.log" | head -20
    echo "0 passed, 1 failed"; exit 1
  fi
  if grep -qE "warning (IL|NETSDK)[0-9]+" "$log/publish.log"; then
    echo "aot-smoke: publish produced trimming/AOT warnings:"; grep -E "warning (IL|NETSDK)" "$log/publish.log" | head -20
    echo "0 passed, 1 failed"; exit 1
  fi
fi
[ -x "$bin" ] || { echo "aot-smoke: $bin missing"; echo "0 passed, 1 failed"; exit 1; }
if [ $publish_only = 1 ]; then echo "aot-smoke: published $bin"; exit 0; fi
if ! ip netns list 2>/dev/null | grep -qw "$ns"; then
  echo "aot-smoke: network namespace $ns not found (run testbed/up.sh as root first)"
  echo "0 passed, 1 failed"; exit 1
fi

passed=0; failed=0
for dnssec in resolver local; do
while IFS=$'\t' read -r id mode argument extra_flags expected _rest; do
  case "$id" in ''|'#'*|id) continue ;; esac
  args=()
  case "$mode" in
    mx) args+=(-mx) ;;
    submission) args+=(-submission) ;;
    submissions) args+=(-submissions) ;;
    host) ;;
    *) echo "FAIL $id: unknown mode '$mode'"; failed=$((failed + 1)); continue ;;
  esac
  # shellcheck disable=SC2206 # flags are space-separated words without quoting
  [ "$extra_flags" != "-" ] && args+=($extra_flags)
  [ "$dnssec" = local ] && args+=(-dnssec local -trust-anchor "$root/testbed/run/root.key")
  args+=(-json "$argument")

  out="$log/$id.$dnssec.json"
  start=$(date +%s%N)
  ip netns exec "$ns" timeout 120 "$bin" "${args[@]}" >"$out" 2>"$log/$id.$dnssec.stderr"
  rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  status=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <"$out" 2>/dev/null || echo "unparsable")
  want_rc=1; [ "$expected" = ok ] && want_rc=0
  if [ "$status" = "$expected" ] && [ "$rc" = "$want_rc" ]; then
    printf 'ok   %-16s %-8s exit %s  %5d ms  smtpdane %s\n' "$id" "$status" "$rc" "$ms" "${args[*]}"
    passed=$((passed + 1))
  else
    printf 'FAIL %-16s status %s (want %s), exit %s (want %s)  smtpdane %s  (see %s)\n' \
      "$id" "$status" "$expected" "$rc" "$want_rc" "${args[*]}" "$out"
    failed=$((failed + 1))
  fi
done <testbed/scenarios.tsv
done

# Without libunbound: local mode fails with one sentence and exit 3; resolver mode never loads it.
lib=$(ls /usr/lib/x86_64-linux-gnu/libunbound.so.8.* 2>/dev/null | head -1)
if [ -n "$lib" ]; then
  out=$(unshare -m sh -c "mount --bind /dev/null '$lib' && ip netns exec '$ns' '$bin' -mx -dnssec local ee311.test 2>&1; echo rc=\$?; ip netns exec '$ns' '$bin' -mx -q ee311.test; echo rc=\$?")
  if printf '%s' "$out" | grep -q 'apt install libunbound8' && printf '%s\n' "$out" | grep -qx 'rc=3' && printf '%s\n' "$out" | tail -1 | grep -qx 'rc=0'; then
    echo "ok   no-libunbound     -dnssec local exits 3 naming libunbound8; resolver mode unaffected"; passed=$((passed + 1))
  else
    echo "FAIL no-libunbound: $out"; failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
