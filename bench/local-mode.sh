#!/usr/bin/env bash
# -dnssec local (libunbound) against resolver mode on the test bed (issue #14 target 4, #12).
# Benchmarks, not pass/fail. Prints a markdown section; raw data in bench/out/local-mode/.
#   1. every MX scenario domain of testbed/scenarios.tsv in one invocation, both modes:
#      hyperfine wall time and CPU (user+sys), ratios from the same run
#   2. callgrind instruction counts (load-independent) of the same two runs, and of one
#      ECDSA-signed (ee311.test, alg 13) and one RSA-signed (ee312.test, alg 8) domain per mode
# Needs root, the test bed up (SMTPDANE_TB_NS, default smtpdane-tb), hyperfine and valgrind.
#   bench/local-mode.sh [--no-publish] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ns=${SMTPDANE_TB_NS:-smtpdane-tb}
out="$root/bench/out/local-mode"
mkdir -p "$out"
publish=1; [ "${1:-}" = "--no-publish" ] && { publish=0; shift; }
runs=${1:-20}
aot="$root/artifacts/aot/smtpdane"
if [ $publish = 1 ]; then
  dotnet publish src/SmtpDane.Cli -r linux-x64 -c Release -nologo -v quiet \
    -o "$root/artifacts/aot" --artifacts-path "$root/artifacts/aot-build" >"$out/publish.log" 2>&1 \
    || { cat "$out/publish.log" >&2; exit 1; }
fi
ta="$root/testbed/run/root.key"
mapfile -t domains < <(awk -F'\t' '$2 == "mx" { print $3 }' testbed/scenarios.tsv)
local_flags="-dnssec local -trust-anchor $ta"
in_ns() { ip netns exec "$ns" "$@"; }

in_ns hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$out/all-mx.json" \
  -n resolver "$aot -mx -q ${domains[*]}" \
  -n local "$aot -mx -q $local_flags ${domains[*]}" >"$out/all-mx.txt" 2>&1

instructions() { # name args...: total instructions over all threads
  local name=$1; shift
  in_ns valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" "$aot" "$@" >/dev/null 2>"$out/$name.valgrind" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/$name.valgrind" | tail -1
}
i_res=$(instructions all-resolver -mx -q "${domains[@]}")
# shellcheck disable=SC2086 # local_flags are words
i_loc=$(instructions all-local -mx -q $local_flags "${domains[@]}")
i_ec_res=$(instructions ee311-resolver -mx -q ee311.test)
# shellcheck disable=SC2086
i_ec_loc=$(instructions ee311-local -mx -q $local_flags ee311.test)
i_rsa_res=$(instructions ee312-resolver -mx -q ee312.test)
# shellcheck disable=SC2086
i_rsa_loc=$(instructions ee312-local -mx -q $local_flags ee312.test)

python3 - "$out/all-mx.json" "${#domains[@]}" "$i_res" "$i_loc" "$i_ec_res" "$i_ec_loc" "$i_rsa_res" "$i_rsa_loc" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2]); ires, iloc, iecr, iecl, irsr, irsl = (int(v) for v in sys.argv[3:9])
res, loc = r["resolver"], r["local"]
cpu = lambda x: (x["user"] + x["system"]) * 1e3
print(f"| {n} MX domains, one invocation | resolver | local | local/resolver |")
print("|---|---|---|---|")
print(f"| wall, median (ms) | {res['median']*1e3:.1f} | {loc['median']*1e3:.1f} | {loc['median']/res['median']:.2f}x |")
print(f"| wall, mean ± sd (ms) | {res['mean']*1e3:.1f} ± {(res['stddev'] or 0)*1e3:.1f} | {loc['mean']*1e3:.1f} ± {(loc['stddev'] or 0)*1e3:.1f} | {loc['mean']/res['mean']:.2f}x |")
print(f"| CPU user+sys, mean (ms) | {cpu(res):.1f} | {cpu(loc):.1f} | {cpu(loc)/cpu(res):.2f}x |")
print(f"| instructions (callgrind, all threads) | {ires/1e6:.1f} M | {iloc/1e6:.1f} M | {iloc/ires:.2f}x |")
print()
print("| one domain, instructions (callgrind) | resolver | local | local/resolver |")
print("|---|---|---|---|")
print(f"| ee311.test (zone ECDSA P-256, 13) | {iecr/1e6:.1f} M | {iecl/1e6:.1f} M | {iecl/iecr:.2f}x |")
print(f"| ee312.test (zone RSA/SHA-256, 8) | {irsr/1e6:.1f} M | {irsl/1e6:.1f} M | {irsl/irsr:.2f}x |")
print(f"| RSA/ECDSA | {irsr/iecr:.2f}x | {irsl/iecl:.2f}x | |")
PY
