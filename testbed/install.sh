#!/usr/bin/env bash
# Installs the Debian packages the test bed, the build and the benchmarks need.
# Idempotent; safe to run as root on a fresh Debian 12 machine. No service is left
# running on the host: policy-rc.d forbids package scripts from starting daemons,
# and Postfix is pre-seeded to "No configuration".
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "install.sh: must run as root (apt-get)" >&2; exit 1; }

pkgs=(knot knot-dnsutils ldnsutils bind9-dnsutils bind9-utils unbound unbound-anchor postfix openssl
      iproute2 procps psmisc util-linux python3 clang zlib1g-dev hyperfine time
      prometheus   # prometheus: only for promtool (exporter tests); policy-rc.d keeps the daemon stopped
      libunbound8 unbound-host  # libunbound8: -dnssec local; unbound-host: reference validator for its tests
      lintian man-db systemd yamllint python3-yaml binutils  # the .deb check (scripts/package-check.sh)
      nagios4-core icinga2-bin  # only to validate deploy/nagios and deploy/icinga2; no daemon runs
      nginx-light postfix-mta-sts-resolver  # MTA-STS (issue 15): nginx serves the policy hosts; mta-sts-query is the reference
      afl++)  # coverage-guided fuzzing of the parsers (fuzz/run.sh, SharpFuzz)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install.sh: all packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string smtpdane-testbed.invalid" | debconf-set-selections

# Keep package scripts from starting daemons on the host (knot, unbound, postfix).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ $created_policy = 1 ] && rm -f "$policy"' EXIT

apt-get update -qq || apt-get update
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install.sh: installed ${missing[*]}"
