#!/usr/bin/env bash
# CI check of the Debian package and deploy/: builds the .deb (scripts/package-deb.sh), runs
# lintian, checks deploy/ (yamllint, promtool, nagios4 -v, icinga2 daemon -C,
# scripts/check-deploy.py), installs the package
# with dpkg -i, checks what it installed (smtpdane -version, man -w, systemd-analyze verify, the
# bash completion, the exporter with the unit's and the Kubernetes Deployment's flags, the
# Indexed Job's shard script), then removes and purges it with dpkg.
# Prints one line per check and a final "N passed, N failed"; exits non-zero on any failure.
# Needs root (dpkg -i) and testbed/install.sh's packages.
#   scripts/package-check.sh               publish NativeAOT first
#   scripts/package-check.sh --no-publish  reuse artifacts/aot/smtpdane (after scripts/aot-smoke.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log="$root/artifacts/package-check"
rm -rf "$log"; mkdir -p "$log"
ns=${SMTPDANE_TB_NS:-smtpdane-tb}
passed=0; failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+ (see $2)}"; failed=$((failed + 1)); }
# check NAME CMD...: one check, output in $log/NAME.log.
check() {
  local name=$1; shift
  if "$@" >"$log/$name.log" 2>&1; then ok "$name"; else fail "$name" "$log/$name.log"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

[ "$(id -u)" = 0 ] || { echo "package-check: must run as root (dpkg -i)"; fail "root"; finish; }
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
deb="$root/artifacts/deb/smtpdane_${version}_amd64.deb"

check package-builds bash scripts/package-deb.sh "$@"
# The .NET tool package takes the same number (what dotnet pack would stamp on smtpdane.nupkg).
check tool-package-version bash -c "test \"\$(dotnet msbuild src/SmtpDane.Cli -getProperty:PackageVersion -p:Configuration=Release)\" = '$version'"
[ -f "$deb" ] || finish
# Every tag, down to pedantic and experimental, fails unless packaging/debian/*.lintian-overrides
# explains it.
check lintian-clean lintian --fail-on error,warning,info,pedantic,experimental --pedantic --display-info --display-experimental "$deb"

/usr/bin/env -i "$root/artifacts/aot/smtpdane" -help 2>"$log/help.txt"
check deploy-manifests python3 scripts/check-deploy.py "$log/help.txt"
check yamllint-deploy yamllint -c deploy/.yamllint -s deploy/
check promtool-scrape-config promtool check config deploy/prometheus/prometheus.yml
check promtool-alert-rules promtool check rules deploy/prometheus/smtpdane-rules.yml

# The Nagios and Icinga 2 examples, loaded by the real programs (configuration check only, no
# daemon): Debian's stock Nagios templates plus one host; one host for the Icinga apply rule.
monitoring_config() {
  local t="$log/monitoring"
  mkdir -p "$t/results"; chmod 0755 "$log" "$t"; chmod 1777 "$t/results"  # nagios4 -v drops to user nagios
  {
    printf 'cfg_file=/etc/nagios4/objects/%s.cfg\n' commands contacts timeperiods templates
    printf 'cfg_file=%s\n' "$t/hosts.cfg" "$root/deploy/nagios/smtpdane.cfg"
    printf 'check_result_path=%s\n' "$t/results"
    printf '%s\n' "illegal_macro_output_chars=\`~\$&|'\"<>"
  } >"$t/nagios.cfg"
  printf 'define host {\n use generic-host\n host_name mail.example.org\n address 192.0.2.25\n max_check_attempts 3\n check_period 24x7\n contact_groups admins\n}\n' >"$t/hosts.cfg"
  printf 'include "%s"\nobject Host "mail.example.org" {\n  check_command = "smtpdane"\n  vars.mail_domain = "example.org"\n}\n' \
    "$root/deploy/icinga2/smtpdane.conf" >"$t/icinga2.conf"
  chmod 0644 "$t"/*.cfg "$t"/*.conf
  local out rc
  case $1 in
    nagios) out=$(nagios4 -v "$t/nagios.cfg" 2>&1); rc=$?; echo "$out"; [ $rc = 0 ] && grep -q "Total Warnings: 0" <<<"$out" ;;
    icinga2) out=$(icinga2 daemon -C -c "$t/icinga2.conf" 2>&1); rc=$?; echo "$out"; [ $rc = 0 ] && ! grep -qE "warning/|critical/" <<<"$out" ;;
  esac
}
check nagios-config monitoring_config nagios
check icinga2-config monitoring_config icinga2

# Installing is machine-wide: one check at a time (helpers and CI runs share the machine), and
# wait for dpkg's own lock rather than fail on it.
exec 9>/run/lock/smtpdane-package-check.lock
flock -w 900 9 || { fail "lock" ""; finish; }
dpkg_wait() {
  local i
  for i in $(seq 60); do
    dpkg "$@" && return 0
    fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1 || return 1
    sleep 2
  done
  return 1
}
# --path-include: Docker-style images exclude /usr/share/man via /etc/dpkg/dpkg.cfg.d; the
# check must see the page the package ships, so it is re-included for this install.
check dpkg-install dpkg_wait -i --path-include=/usr/share/man/man1/smtpdane.1.gz "$deb"
trap 'dpkg_wait -P smtpdane >/dev/null 2>&1' EXIT

check package-version test "$(dpkg-query -W -f='${Version}' smtpdane)" = "$version"
check version-flag bash -c "/usr/bin/smtpdane -version | tee /dev/stderr | head -1 | grep -qx 'smtpdane (dotnet) $version'"
check man-w bash -c 'test "$(man -w smtpdane)" = /usr/share/man/man1/smtpdane.1.gz'
# man-db renders it without a groff warning, and it lists every flag the installed -help lists.
check man-renders bash -c 'MANWIDTH=80 man --warnings=w smtpdane 2>&1 >/dev/null | tee /dev/stderr | grep -q . && exit 1; exit 0'
check man-lists-every-help-flag bash -c '
  page=$(zcat /usr/share/man/man1/smtpdane.1.gz | sed "s/\\\\-/-/g")
  flags=$(/usr/bin/smtpdane -help 2>&1 | sed -n "s/^  -\([^ \t]*\).*/\1/p")
  [ "$(wc -w <<<"$flags")" -gt 30 ] || exit 1
  for f in $flags; do grep -qF "\\fB-$f\\fR" <<<"$page" || { echo "missing: -$f"; exit 1; }; done'

unit=/lib/systemd/system/smtpdane-exporter.service
# verify exits 0 on unknown keys (it only warns), so any output is a failure too. It needs no
# running systemd: it loads the unit offline.
check systemd-analyze-verify bash -c "out=\$(systemd-analyze verify $unit 2>&1); rc=\$?; echo \"\$out\"; [ \$rc = 0 ] && [ -z \"\$out\" ]"
check systemd-exposure-ok bash -c "systemd-analyze security --offline=true --threshold=20 $unit | tail -1 | tee /dev/stderr | grep -q 'OK'"
check unit-shipped-disabled bash -c "! ls /etc/systemd/system/*.wants/smtpdane-exporter.service 2>/dev/null"
check bash-completion bash -c '
  source /usr/share/bash-completion/completions/smtpdane && complete -p smtpdane | grep -q _smtpdane &&
  COMP_WORDS=(smtpdane -dnssec l) COMP_CWORD=2 && _smtpdane && [ "${COMPREPLY[*]}" = local ]'

# The exporter with the flags the unit passes (/etc/default/smtpdane), and with the Kubernetes
# Deployment's, each on a free port, under W^X denial as MemoryDenyWriteExecute=yes imposes
# (prctl PR_SET_MDWE, kept across execve): /metrics must answer.
cat >"$log/mdwe.py" <<'EOF'
import ctypes, os, sys
if ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, REFUSE_EXEC_GAIN
    sys.exit("prctl(PR_SET_MDWE) failed: kernel older than 6.3?")
os.execv(sys.argv[1], sys.argv[1:])
EOF
serve_check() {  # serve_check HOST PORT FLAGS...: starts smtpdane serve, asks /metrics with Host: HOST:PORT
  local host=$1 port=$2; shift 2
  python3 "$log/mdwe.py" /usr/bin/smtpdane serve "$@" &
  local pid=$! code=000 i
  for i in $(seq 50); do
    code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' -H "Host: $host:$port" "http://127.0.0.1:$port/metrics")
    [ "$code" = 200 ] && break
    sleep 0.2
  done
  kill "$pid"; wait "$pid"
  echo "/metrics: HTTP $code"; [ "$code" = 200 ]
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# shellcheck disable=SC1091 # the installed conffile
read -ra flags <<<"$(. /etc/default/smtpdane; sed -E "s/-listen [^ ]+/-listen 127.0.0.1:$port/" <<<"$SMTPDANE_OPTS")"
check exporter-with-unit-flags serve_check 127.0.0.1 "$port" "${flags[@]}"
kargs=$(python3 -c '
import sys, yaml
for d in yaml.safe_load_all(open("deploy/kubernetes/exporter.yaml")):
    if d["kind"] == "Deployment":
        print(" ".join(d["spec"]["template"]["spec"]["containers"][0]["args"][1:]))')
read -ra flags <<<"$(sed -E "s/(-listen [^ :]+):[0-9]+/\1:$port/" <<<"$kargs")"
# Prometheus reaches it by the Service's name, so the Host header is that name.
check exporter-with-kubernetes-flags serve_check smtpdane-exporter "$port" "${flags[@]}"

# The Indexed Job's script, once per completion index, with /targets and /results mapped to
# local directories and DNS failing fast: every target lands in exactly one shard file, and a
# failed check (exit 1) still completes the pod.
check kubernetes-job-shards python3 - "$log/job" <<'EOF'
import json, os, subprocess, sys, yaml
work = sys.argv[1]
docs = list(yaml.safe_load_all(open("deploy/kubernetes/scan-job.yaml")))
job = next(d for d in docs if d["kind"] == "Job")
targets = next(d for d in docs if d["kind"] == "ConfigMap")["data"]["domains.txt"]
container = job["spec"]["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in container["env"]}
script = container["args"][0].replace("/targets", work + "/targets").replace("/results", work + "/results")
os.makedirs(work + "/targets"); os.makedirs(work + "/results")
open(work + "/targets/domains.txt", "w").write(targets)
for k in range(job["spec"]["completions"]):
    rc = subprocess.run(container["command"] + [script], env=dict(os.environ, **env, JOB_COMPLETION_INDEX=str(k),
                        DNS_RESOLVER="127.0.0.1:1")).returncode
    print(f"index {k}: exit {rc}"); assert rc == 0
seen = []
for k in range(1, job["spec"]["completions"] + 1):
    lines = [json.loads(l) for l in open(f"{work}/results/shard-{k}-of-{env['SMTPDANE_SHARDS']}.jsonl")]
    assert lines[-1]["type"] == "run" and lines[-1]["summary"]["shard"] == f"{k}/{job['spec']['completions']}", lines[-1]
    seen += [l["argument"] for l in lines[:-1]]
want = [l.split()[-1] for l in targets.splitlines() if l.strip() and not l.lstrip().startswith("#")]
print("targets:", sorted(want), "found:", sorted(seen)); assert sorted(seen) == sorted(want)
EOF

# With the test bed up: the installed binary verifies a DANE-EE scenario under W^X denial, so
# the TLS and DNSSEC paths run too.
if ip netns list 2>/dev/null | grep -qw "$ns"; then
  check verifies-under-mdwe ip netns exec "$ns" python3 "$log/mdwe.py" /usr/bin/smtpdane -mx ee311.test
fi

check dpkg-remove bash -c "$(declare -f dpkg_wait); dpkg_wait -r smtpdane && ! test -e /usr/bin/smtpdane && ! test -e $unit && test -e /etc/default/smtpdane"
check dpkg-purge bash -c "$(declare -f dpkg_wait); dpkg_wait -P smtpdane && ! test -e /etc/default/smtpdane && ! dpkg-query -W smtpdane 2>/dev/null | grep -q ."
trap - EXIT
finish
