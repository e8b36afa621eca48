#!/usr/bin/env bash
# Stops what testbed/up.sh started (by the pid files under testbed/run/) and removes
# the network namespace. Safe to run any number of times, also after a failed up.sh.
# Generated state (keys, zones, certificates, logs) is kept in testbed/run/ for
# inspection; up.sh wipes it before building a new bed.
set -uo pipefail
TB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN="$TB/run"
NS=${SMTPDANE_TB_NS:-smtpdane-tb}  # another name runs a second bed beside it (one per worktree)
[ "$(id -u)" = 0 ] || { echo "down.sh: must run as root (ip netns)" >&2; exit 1; }

in_ns() { # pid -> true if the process lives in our namespace (guards against pid reuse)
  [ -n "$1" ] && [ -d "/proc/$1" ] && [ "$(ip netns identify "$1" 2>/dev/null)" = "$NS" ]
}

rm -f "$RUN/up.stamp"

# Postfix first: its own stop command also ends the smtpd children.
stopped=()
if [ -f "$RUN/postfix/etc/main.cf" ] && ip netns list 2>/dev/null | grep -qw "$NS"; then
  ip netns exec "$NS" postfix -c "$RUN/postfix/etc" stop >/dev/null 2>&1 && stopped+=(postfix)
fi

shopt -s nullglob
for pf in "$RUN"/*.pid; do
  pid=$(tr -dc '0-9' <"$pf")
  name=$(basename "$pf" .pid)
  if in_ns "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    if [ -d "/proc/$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    stopped+=("$name")
  fi
  rm -f "$pf"
done

if ip netns list 2>/dev/null | grep -qw "$NS"; then
  left=$(ip netns pids "$NS" 2>/dev/null | tr '\n' ' ')
  if [ -n "$left" ]; then
    echo "down.sh: note: processes still in $NS (not started by up.sh?): $left" >&2
  fi
  ip netns del "$NS" || true
fi
rm -rf "/etc/netns/$NS"
echo "down.sh: stopped ${stopped[*]:-nothing}; namespace $NS removed"
