#!/usr/bin/env python3
"""Names the NativeAOT functions in a callgrind profile of the smtpdane binary.

valgrind 3.19 cannot read the DWARF 5 that ILC/clang emits, and it does not attribute the
__managedcode section to the executable, so managed frames show as raw addresses. This maps
them through the symbol table of smtpdane.dbg (`nm -n`):
  - "0x... [<binary>]" frames are offsets into the binary;
  - "0x... [???]" frames are absolute addresses at valgrind's PIE load base (0x108000).
usage: cg-symbolize.py NM_OUTPUT CALLGRIND_IN CALLGRIND_OUT
"""
import bisect
import re
import sys

PIE_BASE = 0x108000
syms = []
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16), p[2]))
syms.sort()
addrs = [a for a, _ in syms]


def lookup(addr):
    i = bisect.bisect_right(addrs, addr) - 1
    return syms[i][1] if i >= 0 else None


# Callgrind compresses names: "fn=(12) name" defines id 12, later "fn=(12)" reuses it; the
# object ("ob=(3) path") in force decides how to read the address.
objs = {}
cur_ob = None
pending_cob = None
pat = re.compile(r"^(c?fn|c?ob)=\((\d+)\)(?: (.*))?$")
out = open(sys.argv[3], "w")
for line in open(sys.argv[2]):
    m = pat.match(line.rstrip("\n"))
    if m:
        kind, ident, rest = m.groups()
        if kind in ("ob", "cob"):
            if rest is not None:
                objs[ident] = rest
            if kind == "ob":
                cur_ob = objs.get(ident)
            else:
                pending_cob = objs.get(ident)
        else:
            obj = cur_ob
            if kind == "cfn":
                obj = pending_cob or cur_ob
                pending_cob = None
            if rest is not None and rest.startswith("0x"):
                raw = rest.split("'")[0]
                a = int(raw, 16)
                name = None
                if obj == "???":
                    name = lookup(a - PIE_BASE)
                elif obj is not None and obj.endswith("/smtpdane"):
                    name = lookup(a)
                if name:
                    line = "%s=(%s) %s%s\n" % (kind, ident, name, rest[len(raw):])
    out.write(line)
