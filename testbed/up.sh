#!/usr/bin/env bash
# Builds and starts the hermetic DANE test bed inside the network namespace
# "smtpdane-tb" (loopback only): a private DNSSEC-signed hierarchy (. -> test. ->
# <scenario>.test.) served by knotd on 127.0.0.53, a validating unbound on
# 127.0.0.1:53, a test PKI, one Postfix instance with one listener per scenario
# certificate and small OCSP-stapling SMTP shims. All state goes to testbed/run/.
#
# Idempotent: it first runs down.sh and wipes testbed/run/, then builds everything
# fresh (keys, certificates, TLSA records, signatures are generated now, never
# committed). Exits non-zero with a message naming the component that failed.
# Address plan and scenarios: docs/scenarios.md and testbed/scenarios.tsv.
set -euo pipefail
TB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN="$TB/run"
NS=${SMTPDANE_TB_NS:-smtpdane-tb}  # another name runs a second bed beside it (one per worktree)
DNS_ADDR=127.0.0.53
PY=/usr/bin/python3

die() { echo "up.sh: ERROR: $*" >&2; echo "up.sh: logs are in $RUN/ (up.log, knot.log, unbound.log, postfix.log, ocsp-*.log)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
for b in ip knotd knotc unbound dnssec-keygen dnssec-signzone dnssec-dsfromkey dig postfix postconf posttls-finger openssl "$PY" setsid; do
  command -v "$b" >/dev/null 2>&1 || die "missing $b; run testbed/install.sh"
done
nsx() { ip netns exec "$NS" "$@"; }
started() { echo "$2" >"$RUN/$1.pid"; }

T0=$(date +%s)
bash "$TB/down.sh" >/dev/null 2>&1 || true
rm -rf "$RUN"
mkdir -p "$RUN"
exec 3>&1
exec >>"$RUN/up.log" 2>&1
say() { echo "up.sh: $*" >&3; echo "up.sh: $*"; }
trap 'rc=$?; if [ $rc != 0 ]; then echo "up.sh: ERROR: failed (exit $rc) near line $LINENO; see $RUN/up.log" >&3; tail -n 15 "$RUN/up.log" >&3; fi' EXIT

# --------------------------------------------------------------------------------
# 1. Network namespace: loopback only.
ip netns add "$NS" || die "cannot create namespace $NS"
nsx ip link set lo up
nsx sysctl -qw net.ipv6.conf.lo.disable_ipv6=0 2>/dev/null || true
mkdir -p "/etc/netns/$NS"
printf 'nameserver 127.0.0.1\noptions trust-ad\n' >"/etc/netns/$NS/resolv.conf"
# ::1 may need a moment (DAD is skipped on lo, but be patient anyway).
for _ in $(seq 1 20); do nsx ip -6 addr show dev lo | grep -q '::1/128' && break; sleep 0.1; done
nsx ip -6 addr show dev lo | grep -q '::1/128' || die "::1 not available in namespace $NS"

# --------------------------------------------------------------------------------
# 2. PKI: root CA -> intermediate CA -> leaves; a separate "other" CA; self-signed.
PKI="$RUN/pki"; export PKI
mkdir -p "$PKI"/{inter,other,any}/new
export SAN="DNS:unused.invalid" CA_CRT="$PKI/inter.crt" CA_KEY="$PKI/inter.key"  # defaults; ca_any uses CA_*
cat >"$PKI/ca.cnf" <<'EOF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ v3_leaf_client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[ v3_subca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_any ]
dir = $ENV::PKI/any
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
certificate = $ENV::CA_CRT
private_key = $ENV::CA_KEY
default_md = sha256
default_days = 365
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ v3_self ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
[ ca_inter ]
dir = $ENV::PKI/inter
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
certificate = $ENV::PKI/inter.crt
private_key = $ENV::PKI/inter.key
default_md = sha256
default_days = 365
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ ca_other ]
dir = $ENV::PKI/other
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
certificate = $ENV::PKI/other.crt
private_key = $ENV::PKI/other.key
default_md = sha256
default_days = 365
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ policy_any ]
commonName = supplied
EOF
CNF="$PKI/ca.cnf"
for d in inter other any; do : >"$PKI/$d/index.txt"; echo 1000 >"$PKI/$d/serial"; done
ts() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
eckey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

openssl req -x509 -config "$CNF" -extensions v3_root -newkey rsa:2048 -nodes -keyout "$PKI/root.key" \
  -subj "/O=smtpdane testbed/CN=Testbed Root CA" -days 3650 -out "$PKI/root.crt"
eckey "$PKI/inter.key"
openssl req -new -config "$CNF" -key "$PKI/inter.key" -subj "/O=smtpdane testbed/CN=Testbed Intermediate CA" -out "$PKI/inter.csr"
openssl x509 -req -in "$PKI/inter.csr" -CA "$PKI/root.crt" -CAkey "$PKI/root.key" -set_serial 0x100 -days 1825 \
  -extfile "$CNF" -extensions v3_inter -out "$PKI/inter.crt"
openssl req -x509 -config "$CNF" -extensions v3_root -newkey rsa:2048 -nodes -keyout "$PKI/other.key" \
  -subj "/O=unrelated testbed/CN=Other Root CA" -days 3650 -out "$PKI/other.crt"

# leaf NAME ISSUER(inter|other|self) SANS START END [root]  -> NAME.{key,crt,pem}
# NAME.pem is a Postfix chain file: key, leaf, issuer chain (plus root if asked).
leaf() {
  local n=$1 iss=$2 sans=$3 start=$4 end=$5 withroot=${6:-}
  local san="" cn=${sans%%,*} s
  for s in ${sans//,/ }; do san+="${san:+,}DNS:$s"; done
  eckey "$PKI/$n.key"
  if [ "$iss" = self ]; then
    SAN=$san openssl req -x509 -config "$CNF" -extensions v3_self -key "$PKI/$n.key" -subj "/CN=$cn" -days 365 -out "$PKI/$n.crt"
  else
    openssl req -new -config "$CNF" -key "$PKI/$n.key" -subj "/CN=$cn" -out "$PKI/$n.csr"
    SAN=$san openssl ca -batch -config "$CNF" -name "ca_$iss" -in "$PKI/$n.csr" -out "$PKI/$n.crt" \
      -extensions v3_leaf -notext -startdate "$start" -enddate "$end" 2>>"$RUN/up.log" >/dev/null
  fi
  { cat "$PKI/$n.key" "$PKI/$n.crt"
    [ "$iss" = self ] || cat "$PKI/$iss.crt"
    [ -n "$withroot" ] && cat "$PKI/root.crt"
    true; } >"$PKI/$n.pem"
}
NB=$(ts '-1 day'); NA=$(ts '+365 days')
leaf ee311          self  mx.ee311.test                        "$NB" "$NA"
leaf ee312          inter mx.ee312.test                        "$NB" "$NA"
leaf ee300          inter mx.ee300.test                        "$NB" "$NA"
leaf ta201          inter mx.ta201.test                        "$NB" "$NA"
leaf ta201root      inter mx.ta201root.test                    "$NB" "$NA" root
leaf ta210          inter mx.ta210.test                        "$NB" "$NA"
leaf eemismatch     inter mx.eemismatch.test                   "$NB" "$NA"
leaf tanamemismatch inter www.elsewhere.test,elsewhere.test    "$NB" "$NA"
leaf tawrongca      other mx.tawrongca.test                    "$NB" "$NA"
leaf expiredee      inter mx.expiredee.test                    "$(ts '-400 days')" "$(ts '-35 days')"
leaf expiredta      inter mx.expiredta.test                    "$(ts '-400 days')" "$(ts '-35 days')"
leaf expiring       inter mx.expiring.test                     "$(ts '-300 days')" "$(ts '+3 days')"
leaf notlsa         inter mx.notlsa.test                       "$NB" "$NA"
leaf insecure       inter mx.insecure.test                     "$NB" "$NA"
leaf bogussig       inter mx.bogussig.test                     "$NB" "$NA"
leaf bogusds        inter mx.bogusds.test                      "$NB" "$NA"
leaf nostarttls     inter mx.nostarttls.test                   "$NB" "$NA"
leaf cname          inter real.cname.test,mx.cname.test        "$NB" "$NA"
leaf multimx1       inter mx1.multimx.test                     "$NB" "$NA"
leaf multimx2wrong  other mx2.multimx.test                     "$NB" "$NA"
leaf multimx2       inter mx2.multimx.test                     "$NB" "$NA"
leaf unusable       inter mx.unusable.test                     "$NB" "$NA"
leaf dupmx          inter mx.dupmx.test                        "$NB" "$NA"
leaf v6             inter mx.v6only.test,mx.multiaddr.test     "$NB" "$NA"
leaf sub            inter mail.sub.test                        "$NB" "$NA"
leaf subs           inter mail.subs.test                       "$NB" "$NA"
leaf ocspgood       inter mx.ocspgood.test                     "$NB" "$NA"
leaf ocspmissing    inter mx.ocspmissing.test                  "$NB" "$NA"
leaf ocsprevoked    inter mx.ocsprevoked.test                  "$NB" "$NA"
leaf multi3         inter mx1.multi3.test,mx2.multi3.test,mx3.multi3.test "$NB" "$NA"
# Issue #11 scenarios (path validation, OCSP issuer proof, TLS hygiene).
# issue NAME CA(name of CA files) EXT SANS START END [openssl ca args...] -> NAME.crt (key NAME.key made if absent)
issue() {
  local n=$1 ca=$2 ext=$3 sans=$4 start=$5 end=$6; shift 6
  local san="" cn=${sans%%,*} s
  for s in ${sans//,/ }; do san+="${san:+,}DNS:$s"; done
  [ -f "$PKI/$n.key" ] || eckey "$PKI/$n.key"
  openssl req -new -config "$CNF" -key "$PKI/$n.key" -subj "/CN=$cn" -out "$PKI/$n.csr"
  SAN=${san:-DNS:unused.invalid} CA_CRT="$PKI/$ca.crt" CA_KEY="$PKI/$ca.key" openssl ca -batch -config "$CNF" -name ca_any \
    -in "$PKI/$n.csr" -out "$PKI/$n.crt" -extensions "$ext" -notext -startdate "$start" -enddate "$end" "$@" 2>>"$RUN/up.log" >/dev/null
}
chainfile() { local n=$1; shift; { cat "$PKI/$n.key" "$PKI/$n.crt"; for c in "$@"; do cat "$PKI/$c.crt"; done; } >"$PKI/$n.pem"; }
issue taclientauth   inter v3_leaf_client mx.taclientauth.test "$NB" "$NA";           chainfile taclientauth inter
issue subca          inter v3_subca       "Testbed Sub CA"     "$NB" "$NA"
issue tapathlen      subca v3_leaf        mx.tapathlen.test    "$NB" "$NA";           chainfile tapathlen subca inter root
issue interexp       root  v3_subca       "Testbed Expired CA" "$(ts '-800 days')" "$(ts '-10 days')"
issue taexpiredinter interexp v3_leaf     mx.taexpiredinter.test "$NB" "$NA";         chainfile taexpiredinter interexp root
issue ocspforeign    inter v3_leaf        mx.ocspforeign.test  "$NB" "$NA"
issue tls10          inter v3_leaf        mx.tls10.test        "$NB" "$NA";           chainfile tls10 inter
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$PKI/rsa1024.key" 2>/dev/null
issue rsa1024        inter v3_leaf        mx.rsa1024.test,mx.rsa1024ta.test "$NB" "$NA";           chainfile rsa1024 inter
issue sha1sig        inter v3_leaf        mx.sha1sig.test      "$NB" "$NA" -md sha1;  chainfile sha1sig inter
eckey "$PKI/unused.key"   # its SPKI digest is the TLSA of the "eemismatch" scenario

# OCSP responses (signed by the issuing intermediate itself): good, revoked.
openssl ca -config "$CNF" -name ca_inter -revoke "$PKI/ocsprevoked.crt" -crl_reason keyCompromise 2>>"$RUN/up.log"
for n in ocspgood ocsprevoked; do
  openssl ocsp -issuer "$PKI/inter.crt" -cert "$PKI/$n.crt" -no_nonce -reqout "$PKI/$n.ocspreq" >/dev/null
  openssl ocsp -index "$PKI/inter/index.txt" -CA "$PKI/inter.crt" -rsigner "$PKI/inter.crt" -rkey "$PKI/inter.key" \
    -reqin "$PKI/$n.ocspreq" -respout "$PKI/$n.ocsp.der" -ndays 7 >/dev/null
done
openssl ocsp -respin "$PKI/ocsprevoked.ocsp.der" -resp_text -noverify | grep -q 'Cert Status: revoked' || die "OCSP revoked response not revoked"
openssl ocsp -respin "$PKI/ocspgood.ocsp.der" -resp_text -noverify | grep -q 'Cert Status: good' || die "OCSP good response not good"
# A "good" staple for ocspforeign's leaf, signed by the unrelated CA with a CertID over that CA
# (the server sends other.crt as if it were the issuer): it proves nothing about the leaf.
serial=$(openssl x509 -in "$PKI/ocspforeign.crt" -noout -serial | cut -d= -f2)
grep -P "\t$serial\t" "$PKI/any/index.txt" >"$PKI/ocspforeign.index"
openssl ocsp -issuer "$PKI/other.crt" -serial "0x$serial" -no_nonce -reqout "$PKI/ocspforeign.ocspreq" >/dev/null
openssl ocsp -index "$PKI/ocspforeign.index" -CA "$PKI/other.crt" -rsigner "$PKI/other.crt" -rkey "$PKI/other.key" \
  -reqin "$PKI/ocspforeign.ocspreq" -respout "$PKI/ocspforeign.ocsp.der" -ndays 7 >/dev/null
openssl ocsp -respin "$PKI/ocspforeign.ocsp.der" -resp_text -noverify | grep -q 'Cert Status: good' || die "OCSP foreign response not good"
cat "$PKI/root.crt" "$PKI/inter.crt" >"$PKI/ca-bundle.pem"

# TLSA data helpers
hexdump_() { od -An -tx1 -v | tr -d ' \n'; }
spki_der() { if [[ $1 == *.key ]]; then openssl pkey -in "$1" -pubout -outform DER; else openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER; fi; }
cert_der() { openssl x509 -in "$1" -outform DER; }
t311() { echo "3 1 1 $(spki_der "$PKI/$1" | sha256sum | cut -d' ' -f1)"; }
t312() { echo "3 1 2 $(spki_der "$PKI/$1" | sha512sum | cut -d' ' -f1)"; }
t300() { echo "3 0 0 $(cert_der "$PKI/$1" | hexdump_)"; }
t201() { echo "2 0 1 $(cert_der "$PKI/$1" | sha256sum | cut -d' ' -f1)"; }
t210() { echo "2 1 0 $(spki_der "$PKI/$1" | hexdump_)"; }
t001() { echo "0 0 1 $(cert_der "$PKI/$1" | sha256sum | cut -d' ' -f1)"; }
t111() { echo "1 1 1 $(spki_der "$PKI/$1" | sha256sum | cut -d' ' -f1)"; }

# --------------------------------------------------------------------------------
# 2b. MTA-STS (issue 15): policy hosts mta-sts.<domain> on nginx (127.0.0.60:443) with
#     test-CA certificates; the MX hosts reuse existing listeners (mx.ta201.test: CA-issued,
#     DANE-TA; mx.ee311.test: self-signed, not Web-PKI valid; mx.notlsa.test: CA-issued, no
#     TLSA). Scenarios and expectations: testbed/mta-sts-scenarios.tsv, docs/mta-sts.md.
STS_ADDR=127.0.0.60
STS_ZONES=(stsenforce stsnocover ststesting stsexpired stswrongname stsnopolicy stsredirect stsbig
           stsmalformed stsnone stsnodane tlsrptbad tlsrptnone)
for z in "${STS_ZONES[@]}"; do
  case $z in
    stsexpired)   leaf "sts-$z" inter "mta-sts.$z.test" "$(ts '-400 days')" "$(ts '-35 days')" ;;
    stswrongname) leaf "sts-$z" inter "www.elsewhere.test" "$NB" "$NA" ;;
    *)            leaf "sts-$z" inter "mta-sts.$z.test" "$NB" "$NA" ;;
  esac
  cat "$PKI/sts-$z.crt" "$PKI/inter.crt" >"$PKI/sts-$z.chain"
done
sts_policy() { # mode mx...
  local mode=$1; shift
  printf 'version: STSv1\r\nmode: %s\r\n' "$mode"
  local m; for m in "$@"; do printf 'mx: %s\r\n' "$m"; done
  printf 'max_age: 604800\r\n'
}
STS_WWW="$RUN/mta-sts-www"
sts_site() { # zone -> the policy file (or none) its nginx server serves
  local d="$STS_WWW/$1/.well-known"; mkdir -p "$d"
  case $1 in
    stsnopolicy)  rmdir "$d" ;;  # 404
    ststesting)   sts_policy testing "*.ee311.test" >"$d/mta-sts.txt" ;;
    stsnodane)    sts_policy enforce mx.notlsa.test >"$d/mta-sts.txt" ;;
    stsbig)       { sts_policy enforce mx.ta201.test
                    for _ in $(seq 1 1200); do printf 'x-padding: %060d\r\n' 0; done; } >"$d/mta-sts.txt" ;;
    stsmalformed) printf 'version: STSv1\r\nmode: enforcing\r\nmx: mx.ta201.test\r\nmax_age: 604800\r\n' >"$d/mta-sts.txt" ;;
    stsnone)      printf 'version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n' >"$d/mta-sts.txt" ;;
    *)            sts_policy enforce mx.ta201.test >"$d/mta-sts.txt" ;;  # stsnocover: mx.ee312.test missing
  esac
}
sts_records() { # zone -> MX, _mta-sts TXT, mta-sts A, _smtp._tls TXT
  local mx=mx.ta201.test.
  case $1 in
    ststesting) mx=mx.ee311.test. ;;
    stsnodane)  mx=mx.notlsa.test. ;;
  esac
  echo "@ MX 10 $mx"
  [ "$1" = stsnocover ] && echo "@ MX 20 mx.ee312.test."
  echo "_mta-sts TXT \"v=STSv1; id=20261203$1\""
  echo "mta-sts A $STS_ADDR"
  case $1 in
    tlsrptbad)  echo '_smtp._tls TXT "v=TLSRPTv1; rua=ftp://reports.example.net/tls"' ;;
    tlsrptnone) ;;
    *)          echo "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@$1.test\"" ;;
  esac
  true
}
# end of 2b (MTA-STS)

# --------------------------------------------------------------------------------
# 3. DNS zones. Every scenario has its own child zone of test.; algorithms and
#    denial-of-existence alternate (see zone_params).
DNS="$RUN/dns"; mkdir -p "$DNS/zones" "$DNS/keys"
SERIAL=$(date +%s)
ZONES=(ee311 ee312 ee300 ta201 ta201root ta210 eemismatch tanamemismatch tawrongca expiredee expiredta
       expiring notlsa insecure bogussig bogusds nostarttls cname multimx unusable nullmx dupmx v6only
       multiaddr sub subs ocspgood ocspmissing ocsprevoked multi3
       taclientauth tapathlen taexpiredinter ocspforeign tls10 rsa1024 rsa1024ta sha1sig)
ZONES+=("${STS_ZONES[@]}")  # MTA-STS zones (2b)
head_() { # origin
  printf '$ORIGIN %s\n$TTL 300\n@ SOA ns.test. hostmaster.test. %s 3600 600 86400 60\n@ NS ns.test.\n' "$1" "$SERIAL"
}
mx1() { # ip tlsa...   -> "@ MX 10 mx", mx A/AAAA ip, _25._tcp.mx TLSA ...
  local ip=$1; shift
  echo "@ MX 10 mx"
  if [[ $ip == *:* ]]; then echo "mx AAAA $ip"; else echo "mx A $ip"; fi
  local t; for t in "$@"; do echo "_25._tcp.mx TLSA $t"; done
}
records() {
  case $1 in
    ee311)          mx1 127.0.0.11 "$(t311 ee311.crt)" ;;
    ee312)          mx1 127.0.0.12 "$(t312 ee312.crt)" ;;
    ee300)          mx1 127.0.0.13 "$(t300 ee300.crt)" ;;
    ta201)          mx1 127.0.0.14 "$(t201 inter.crt)" ;;
    ta201root)      mx1 127.0.0.15 "$(t201 root.crt)" ;;
    ta210)          mx1 127.0.0.16 "$(t210 root.crt)" ;;
    eemismatch)     mx1 127.0.0.17 "$(t311 unused.key)" ;;
    tanamemismatch) mx1 127.0.0.18 "$(t201 inter.crt)" ;;
    tawrongca)      mx1 127.0.0.19 "$(t201 inter.crt)" ;;
    expiredee)      mx1 127.0.0.20 "$(t311 expiredee.crt)" ;;
    expiredta)      mx1 127.0.0.21 "$(t201 inter.crt)" ;;
    expiring)       mx1 127.0.0.22 "$(t311 expiring.crt)" ;;
    notlsa)         mx1 127.0.0.23 ;;
    insecure)       mx1 127.0.0.24 "$(t311 insecure.crt)" ;;
    bogussig)       mx1 127.0.0.25 "$(t311 bogussig.crt)" ;;
    bogusds)        mx1 127.0.0.26 "$(t311 bogusds.crt)" ;;
    nostarttls)     mx1 127.0.0.27 "$(t311 nostarttls.crt)" ;;
    cname)          echo "@ MX 10 mx"; echo "mx CNAME real"; echo "real A 127.0.0.28"
                    echo "_25._tcp.real TLSA $(t311 cname.crt)" ;;
    multimx)        echo "@ MX 10 mx1"; echo "@ MX 20 mx2"
                    echo "mx1 A 127.0.0.29"; echo "mx2 A 127.0.0.30"; echo "mx2 A 127.0.0.31"
                    echo "_25._tcp.mx1 TLSA $(t311 multimx1.crt)"; echo "_25._tcp.mx2 TLSA $(t311 multimx2.crt)" ;;
    unusable)       mx1 127.0.0.32 "$(t001 root.crt)" "$(t111 unusable.crt)" ;;
    nullmx)         echo "@ MX 0 ." ;;
    dupmx)          mx1 127.0.0.33 "$(t311 dupmx.crt)"; echo "@ MX 20 mx" ;;
    v6only)         mx1 ::1 "$(t311 v6.crt)" ;;
    multiaddr)      mx1 127.0.0.34 "$(t311 v6.crt)"; echo "mx A 127.0.0.35"; echo "mx AAAA ::1" ;;
    sub)            echo "_submission._tcp SRV 0 1 587 mail"; echo "mail A 127.0.0.36"
                    echo "_587._tcp.mail TLSA $(t311 sub.crt)" ;;
    subs)           echo "_submissions._tcp SRV 0 1 465 mail"; echo "mail A 127.0.0.37"
                    echo "_465._tcp.mail TLSA $(t311 subs.crt)" ;;
    ocspgood)       mx1 127.0.0.38 "$(t311 ocspgood.crt)" ;;
    ocspmissing)    mx1 127.0.0.39 "$(t311 ocspmissing.crt)" ;;
    ocsprevoked)    mx1 127.0.0.40 "$(t311 ocsprevoked.crt)" ;;
    multi3)         local h a=41; for h in mx1 mx2 mx3; do   # 3 MX hosts x 2 addresses (bench case 3)
                      echo "@ MX $(( ${h#mx} * 10 )) $h"; echo "$h A 127.0.0.$a"; echo "$h A 127.0.0.$((a + 1))"
                      echo "_25._tcp.$h TLSA $(t311 multi3.crt)"; a=$((a + 2)); done ;;
    sts*|tlsrpt*) sts_records "$1" ;;  # MTA-STS (2b)
    taclientauth)   mx1 127.0.0.61 "$(t201 inter.crt)" ;;
    tapathlen)      mx1 127.0.0.62 "$(t201 root.crt)" ;;
    taexpiredinter) mx1 127.0.0.63 "$(t201 root.crt)" ;;
    ocspforeign)    mx1 127.0.0.64 "$(t311 ocspforeign.crt)" ;;
    tls10)          mx1 127.0.0.65 "$(t311 tls10.crt)" ;;
    rsa1024)        mx1 127.0.0.66 "$(t311 rsa1024.crt)" ;;
    rsa1024ta)      mx1 127.0.0.66 "$(t201 inter.crt)" ;;
    sha1sig)        mx1 127.0.0.67 "$(t201 inter.crt)" ;;
    *) die "no records for zone $1" ;;
  esac
}
algname() { case $1 in 13) echo ECDSAP256SHA256 ;; 8) echo RSASHA256 ;; esac; }
keygen() { # dir alg zone [KSK]
  local extra=(); [ "$2" = 8 ] && extra=(-b 2048)
  [ -n "${4:-}" ] && extra+=(-f KSK)
  dnssec-keygen -q -P -100d -A -100d -K "$1" -a "$(algname "$2")" "${extra[@]}" -n ZONE "$3"
}
# sign LABEL ORIGIN ALG nsec|nsec3 csk|split [expired] -> zones/LABEL.zone, LABEL.ds
sign() {
  local label=$1 origin=$2 alg=$3 denial=$4 layout=$5 mode=${6:-}
  local kd="$DNS/keys/$label" src="$DNS/zones/$label.unsigned" ksk zsk args=()
  mkdir -p "$kd"
  ksk=$(keygen "$kd" "$alg" "$origin" KSK)
  if [ "$layout" = split ]; then zsk=$(keygen "$kd" "$alg" "$origin"); cat "$kd/$zsk.key" >>"$src"; else args+=(-z); fi
  cat "$kd/$ksk.key" >>"$src"
  [ "$denial" = nsec3 ] && args+=(-3 - -H 0)
  if [ "$mode" = expired ]; then args+=(-P -s "$(date -u -d '-60 days' +%Y%m%d%H%M%S)" -e "$(date -u -d '-30 days' +%Y%m%d%H%M%S)")
  else args+=(-s -3600 -e +2592000); fi
  dnssec-signzone -q -d "$kd" -K "$kd" -o "$origin" -f "$DNS/zones/$label.zone" "${args[@]}" "$src" >/dev/null \
    || die "dnssec-signzone failed for $origin"
  dnssec-dsfromkey -2 "$kd/$ksk.key" >"$DNS/zones/$label.ds"
  echo "$ksk" >"$kd/ksk"
}
declare -A ZALG ZDEN
i=0
for z in "${ZONES[@]}"; do
  if (( i % 2 == 0 )); then ZALG[$z]=13; else ZALG[$z]=8; fi
  if (( (i / 2) % 2 == 1 )); then ZDEN[$z]=nsec3; else ZDEN[$z]=nsec; fi
  i=$((i + 1))
  { head_ "$z.test."; records "$z"; } >"$DNS/zones/$z.unsigned"
  case $z in
    insecure) cp "$DNS/zones/$z.unsigned" "$DNS/zones/$z.zone"; ZALG[$z]=-; ZDEN[$z]=- ;;
    bogussig) sign "$z" "$z.test." "${ZALG[$z]}" "${ZDEN[$z]}" csk expired ;;
    bogusds)  sign "$z" "$z.test." "${ZALG[$z]}" "${ZDEN[$z]}" csk
              # publish a DS for a key that is not in the child zone
              k=$(keygen "$DNS/keys/$z" "${ZALG[$z]}" "$z.test." KSK)
              dnssec-dsfromkey -2 "$DNS/keys/$z/$k.key" >"$DNS/zones/$z.ds"
              rm -f "$DNS/keys/$z/$k".* ;;
    *)        sign "$z" "$z.test." "${ZALG[$z]}" "${ZDEN[$z]}" csk ;;
  esac
done
# bulk.test. (ECDSA P-256, NSEC, one combined key): a hosting provider's customers, BULK_N distinct
# mail domains dNNNN.bulk.test on a few shared MX hosts that reuse existing listeners (DANE-EE
# ignores certificate names): mx1 -> 127.0.0.11 (ee311 key), mx2 -> 127.0.0.12 (ee312 key) are good;
# mxbad -> 127.0.0.11 with a 3 1 1 of an unrelated key, mxnotlsa -> 127.0.0.13 without TLSA are bad.
# The expected verdict per domain goes to run/bulk-domains.tsv, in domain order (batch test input).
BULK_N=1000
{ head_ "bulk.test."
  echo "mx1 A 127.0.0.11";      echo "_25._tcp.mx1 TLSA $(t311 ee311.crt)"
  echo "mx2 A 127.0.0.12";      echo "_25._tcp.mx2 TLSA $(t311 ee312.crt)"
  echo "mxbad A 127.0.0.11";    echo "_25._tcp.mxbad TLSA $(t311 unused.key)"
  echo "mxnotlsa A 127.0.0.13"
  printf 'domain\texpected\tmx\n' >"$RUN/bulk-domains.tsv.tmp"
  for ((n = 1; n <= BULK_N; n++)); do
    printf -v d 'd%04d' "$n"
    if   (( n % 100 == 0 ));  then mxs=(mxbad);     want=error  # TLSA does not match
    elif (( n % 100 == 50 )); then mxs=(mxnotlsa);  want=error  # no TLSA: DANE not deployed
    elif (( n % 100 == 25 )); then mxs=(mx1 mxbad); want=error  # one good, one bad MX host
    elif (( n % 10 == 5 ));   then mxs=(mx1 mx2);   want=ok
    elif (( n % 2 == 1 ));    then mxs=(mx1);       want=ok
    else                           mxs=(mx2);       want=ok
    fi
    pref=10 hosts=""
    for h in "${mxs[@]}"; do echo "$d MX $pref $h"; pref=$((pref + 10)); hosts+="${hosts:+,}$h.bulk.test"; done
    printf '%s.bulk.test\t%s\t%s\n' "$d" "$want" "$hosts" >>"$RUN/bulk-domains.tsv.tmp"
  done; } >"$DNS/zones/bulk.unsigned"
sign bulk bulk.test. 13 nsec csk
mv "$RUN/bulk-domains.tsv.tmp" "$RUN/bulk-domains.tsv"
# scale.test. (ECDSA P-256, NSEC), only with SMTPDANE_TB_SCALE=N (N up to 99999; bench/run --scale):
# N distinct mail domains dNNNNN.scale.test, each with its own MX host mx.dNNNNN.scale.test (so
# its own SNI, TLSA name and probe: nothing is shared), all DANE-EE 3 1 1 of one key, spread
# over the four listeners 127.0.0.47-.50. The domain list goes to run/scale-domains.txt.
SCALE_N=${SMTPDANE_TB_SCALE:-0}
[[ $SCALE_N =~ ^[0-9]{1,5}$ ]] || die "SMTPDANE_TB_SCALE must be a number of domains (0-99999), not '$SCALE_N'"
if (( SCALE_N > 0 )); then
  leaf scale inter mx.scale.test "$NB" "$NA"
  scale_tlsa=$(t311 scale.crt)
  { head_ "scale.test."
    for ((n = 1; n <= SCALE_N; n++)); do
      printf 'd%05d MX 10 mx.d%05d\nmx.d%05d A 127.0.0.%d\n_25._tcp.mx.d%05d TLSA %s\n' \
        "$n" "$n" "$n" $((47 + n % 4)) "$n" "$scale_tlsa"
    done; } >"$DNS/zones/scale.unsigned"
  sign scale scale.test. 13 nsec csk
  for ((n = 1; n <= SCALE_N; n++)); do printf 'd%05d.scale.test\n' "$n"; done >"$RUN/scale-domains.txt"
fi
# test. (RSA/SHA-256, NSEC3, KSK+ZSK) with delegations + DS
{ head_ "test."
  echo "ns A $DNS_ADDR"
  for z in "${ZONES[@]}"; do
    echo "$z NS ns.test."
    [ -f "$DNS/zones/$z.ds" ] && cat "$DNS/zones/$z.ds"
  done
  echo "bulk NS ns.test."; cat "$DNS/zones/bulk.ds"
  if (( SCALE_N > 0 )); then echo "scale NS ns.test."; cat "$DNS/zones/scale.ds"; fi
  true; } >"$DNS/zones/test.unsigned"
sign test test. 8 nsec3 split
# . (ECDSA P-256, NSEC, KSK+ZSK)
{ head_ "."
  echo "test. NS ns.test."; echo "ns.test. A $DNS_ADDR"
  cat "$DNS/zones/test.ds"; } >"$DNS/zones/root.unsigned"
sign root . 13 nsec split
ZALG[test]=8; ZDEN[test]=nsec3; ZALG[root]=13; ZDEN[root]=nsec
rootksk=$(cat "$DNS/keys/root/ksk")
cp "$DNS/zones/root.ds" "$RUN/root.ds"
grep -v '^;' "$DNS/keys/root/$rootksk.key" >"$RUN/root.key"
{ printf 'zone\talgorithm\tdenial\n'; printf '.\t13\tnsec\ntest.\t8\tnsec3\n'
  for z in "${ZONES[@]}"; do printf '%s.test.\t%s\t%s\n' "$z" "${ZALG[$z]}" "${ZDEN[$z]}"; done
  printf 'bulk.test.\t13\tnsec\n'; } >"$RUN/zones.tsv"

# --------------------------------------------------------------------------------
# 4. knotd (authoritative, pre-signed zones, no online signing) on 127.0.0.53.
mkdir -p "$RUN/knot/db"
{ cat <<EOF
server:
    listen: $DNS_ADDR@53
    rundir: "$RUN/knot"
    pidfile: "$RUN/knot/knot.pid"
database:
    storage: "$RUN/knot/db"
log:
  - target: "$RUN/knot.log"
    any: info
template:
  - id: default
    storage: "$DNS/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: .
    file: root.zone
  - domain: test.
    file: test.zone
EOF
  for z in "${ZONES[@]}"; do printf '  - domain: %s.test.\n    file: %s.zone\n' "$z" "$z"; done
  printf '  - domain: bulk.test.\n    file: bulk.zone\n'
  if (( SCALE_N > 0 )); then printf '  - domain: scale.test.\n    file: scale.zone\n'; fi
} >"$RUN/knot/knot.conf"
knotc -c "$RUN/knot/knot.conf" conf-check >/dev/null || die "knot configuration invalid"
setsid ip netns exec "$NS" knotd -c "$RUN/knot/knot.conf" >>"$RUN/knot.log" 2>&1 </dev/null &
started knot $!

# --------------------------------------------------------------------------------
# 5. unbound (validating recursive) on 127.0.0.1:53; trust anchor = our root DS.
mkdir -p "$RUN/unbound"
printf '. 3600000 NS ns.test.\nns.test. 3600000 A %s\n' "$DNS_ADDR" >"$RUN/unbound/root.hints"
cat >"$RUN/unbound/unbound.conf" <<EOF
server:
    interface: 127.0.0.1
    port: 53
    access-control: 127.0.0.0/8 allow
    do-ip4: yes
    do-ip6: no
    do-udp: yes
    do-tcp: yes
    username: ""
    chroot: ""
    directory: "$RUN/unbound"
    pidfile: "$RUN/unbound/unbound.pid"
    logfile: "$RUN/unbound.log"
    use-syslog: no
    log-time-ascii: yes
    verbosity: 1
    val-log-level: 2
    log-servfail: yes
    do-daemonize: no
    do-not-query-localhost: no
    root-hints: "$RUN/unbound/root.hints"
    trust-anchor-file: "$RUN/root.ds"
    local-zone: "test." nodefault
    module-config: "validator iterator"
    qname-minimisation: no
    aggressive-nsec: no
    cache-max-ttl: 300
    msg-cache-size: 32m
    rrset-cache-size: 64m
    cache-max-negative-ttl: 30
    infra-host-ttl: 30
    val-bogus-ttl: 5
    harden-dnssec-stripped: yes
    harden-below-nxdomain: yes
remote-control:
    control-enable: no
EOF
unbound-checkconf "$RUN/unbound/unbound.conf" >/dev/null || die "unbound configuration invalid"

for _ in $(seq 1 50); do
  nsx dig +time=1 +tries=1 +norec @"$DNS_ADDR" . SOA >/dev/null 2>&1 && break; sleep 0.1
done
nsx dig +time=1 +tries=1 +norec @"$DNS_ADDR" . SOA | grep -q 'status: NOERROR' || die "knotd does not answer on $DNS_ADDR:53 (see knot.log)"

setsid ip netns exec "$NS" unbound -d -c "$RUN/unbound/unbound.conf" >>"$RUN/unbound.log" 2>&1 </dev/null &
started unbound $!
for _ in $(seq 1 50); do
  nsx dig +time=1 +tries=1 @127.0.0.1 . SOA >/dev/null 2>&1 && break; sleep 0.1
done

# --------------------------------------------------------------------------------
# 6. Postfix: one private instance, one listener per scenario certificate.
PF="$RUN/postfix"; mkdir -p "$PF/etc" "$PF/spool" "$PF/data"
chown postfix "$PF/data"
cat >"$PF/etc/main.cf" <<EOF
# Generated by testbed/up.sh. Accepts connections, EHLO, STARTTLS, QUIT; never delivers.
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mta.testbed.test
mydomain = testbed.test
myorigin = \$myhostname
mydestination =
mynetworks = 127.0.0.0/8 [::1]/128
inet_interfaces = all
inet_protocols = all
maillog_file_prefixes = $RUN/
maillog_file = $RUN/postfix.log
smtpd_banner = \$myhostname ESMTP smtpdane test bed
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = no
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
default_transport = error:test bed does not deliver mail
relay_transport = error:test bed does not deliver mail
local_transport = error:test bed does not deliver mail
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
EOF
{ cat <<'EOF'
# Generated by testbed/up.sh.
# service type  private unpriv  chroot  wakeup  maxproc command + args
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  L() { # addr:port chain|none [extra -o ...]
    local ap=$1 chain=$2; shift 2
    if [ "$chain" = none ]; then
      echo "$ap inet n - n - - smtpd -o smtpd_tls_security_level=none $*"
    else
      echo "$ap inet n - n - - smtpd -o smtpd_tls_chain_files=$PKI/$chain.pem -o smtpd_tls_security_level=may $*"
    fi
  }
  L 127.0.0.11:25 ee311;          L 127.0.0.11:587 ee311;   L 127.0.0.11:465 ee311 -o smtpd_tls_wrappermode=yes
  L 127.0.0.12:25 ee312;          L 127.0.0.13:25 ee300
  L 127.0.0.14:25 ta201;          L 127.0.0.15:25 ta201root; L 127.0.0.16:25 ta210
  L 127.0.0.17:25 eemismatch;     L 127.0.0.18:25 tanamemismatch; L 127.0.0.19:25 tawrongca
  L 127.0.0.20:25 expiredee;      L 127.0.0.21:25 expiredta; L 127.0.0.22:25 expiring
  L 127.0.0.23:25 notlsa;         L 127.0.0.24:25 insecure
  L 127.0.0.25:25 bogussig;       L 127.0.0.26:25 bogusds;  L 127.0.0.27:25 none
  L 127.0.0.28:25 cname
  L 127.0.0.29:25 multimx1;       L 127.0.0.30:25 multimx2wrong; L 127.0.0.31:25 multimx2
  L 127.0.0.32:25 unusable;       L 127.0.0.33:25 dupmx
  L '[::1]:25' v6;                L 127.0.0.34:25 v6;        L 127.0.0.35:25 v6
  L 127.0.0.36:587 sub;           L 127.0.0.36:25 sub
  L 127.0.0.37:465 subs -o smtpd_tls_wrappermode=yes
  for a in 41 42 43 44 45 46; do L "127.0.0.$a:25" multi3; done
  if (( SCALE_N > 0 )); then for a in 47 48 49 50; do L "127.0.0.$a:25" scale; done; fi
  # Debian's OpenSSL (SECLEVEL 2, MinProtocol TLSv1.2) needs @SECLEVEL=0 for TLS 1.0, RSA-1024 and SHA-1.
  L 127.0.0.61:25 taclientauth;   L 127.0.0.62:25 tapathlen; L 127.0.0.63:25 taexpiredinter
  L 127.0.0.65:25 tls10 -o smtpd_tls_protocols=TLSv1,!TLSv1.1,!TLSv1.2,!TLSv1.3 -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0
  L 127.0.0.66:25 rsa1024 -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0
  L 127.0.0.67:25 sha1sig -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0
} >"$PF/etc/master.cf"
# posttls-finger needs a main.cf of its own (MAIL_CONFIG=$RUN/posttls-finger-client).
mkdir -p "$RUN/posttls-finger-client"
printf 'compatibility_level = 3.6\nsmtp_dns_support_level = dnssec\n' >"$RUN/posttls-finger-client/main.cf"
PFX=(postfix -c "$PF/etc")
nsx "${PFX[@]}" check >>"$RUN/up.log" 2>&1 || die "postfix check failed (see up.log)"
nsx "${PFX[@]}" start >>"$RUN/up.log" 2>&1 || die "postfix start failed (see up.log, postfix.log)"
for _ in $(seq 1 50); do [ -s "$PF/spool/pid/master.pid" ] && break; sleep 0.1; done
[ -s "$PF/spool/pid/master.pid" ] || die "postfix master did not write its pid file"
started postfix "$(tr -dc '0-9' <"$PF/spool/pid/master.pid")"

# --------------------------------------------------------------------------------
# 7. OCSP-stapling SMTP shims (openssl s_server -status_file behind a STARTTLS shim).
shim() { # name addr staple|- [chain CA name, default inter]
  local staple=$3 chain=${4:-inter}; [ "$staple" = - ] || staple="$PKI/$staple"
  setsid ip netns exec "$NS" "$PY" "$TB/ocsp-smtpd.py" "$2" 25 "mx.$1.test" "$PKI/$1.crt" "$PKI/$1.key" \
    "$PKI/$chain.crt" "$staple" "$RUN/ocsp-$1.pid" >>"$RUN/ocsp-$1.log" 2>&1 </dev/null &
  started "ocsp-$1" $!
}
shim ocspgood    127.0.0.38 ocspgood.ocsp.der
shim ocspmissing 127.0.0.39 -
shim ocsprevoked 127.0.0.40 ocsprevoked.ocsp.der
shim ocspforeign 127.0.0.64 ocspforeign.ocsp.der other   # sends the unrelated CA as "issuer"

# --------------------------------------------------------------------------------
# 7b. MTA-STS policy hosts (issue 15): nginx on $STS_ADDR:443, one server per mta-sts.<zone>.test.
NGX="$RUN/nginx"; mkdir -p "$NGX/tmp"
for z in "${STS_ZONES[@]}"; do sts_site "$z"; done
{ cat <<EOF
user root;
worker_processes 1;
daemon off;
pid $NGX/nginx.pid;
error_log $RUN/nginx.log info;
events { worker_connections 64; }
http {
  access_log $RUN/nginx-access.log;
  client_body_temp_path $NGX/tmp/body; proxy_temp_path $NGX/tmp/proxy; fastcgi_temp_path $NGX/tmp/fcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi; scgi_temp_path $NGX/tmp/scgi;
  default_type text/plain;
  server { listen $STS_ADDR:443 ssl default_server; server_name _; return 421;
           ssl_certificate $PKI/sts-stsenforce.chain; ssl_certificate_key $PKI/sts-stsenforce.key; }
EOF
  for z in "${STS_ZONES[@]}"; do
    printf '  server { listen %s:443 ssl; server_name mta-sts.%s.test; root %s;\n' "$STS_ADDR" "$z" "$STS_WWW/$z"
    printf '    ssl_certificate %s; ssl_certificate_key %s;\n' "$PKI/sts-$z.chain" "$PKI/sts-$z.key"
    [ "$z" = stsredirect ] && echo '    location = /.well-known/mta-sts.txt { return 301 https://mta-sts.stsenforce.test/.well-known/mta-sts.txt; }'
    echo '  }'
  done
  echo '}'
} >"$NGX/nginx.conf"
nsx nginx -t -c "$NGX/nginx.conf" -e "$RUN/nginx.log" >>"$RUN/up.log" 2>&1 || die "nginx configuration invalid (see up.log)"
setsid ip netns exec "$NS" nginx -c "$NGX/nginx.conf" -e "$RUN/nginx.log" >>"$RUN/nginx.log" 2>&1 </dev/null &
started nginx $!
for _ in $(seq 1 50); do nsx bash -c "exec 3<>/dev/tcp/$STS_ADDR/443" 2>/dev/null && break; sleep 0.1; done
nsx bash -c "exec 3<>/dev/tcp/$STS_ADDR/443" 2>/dev/null || die "nginx does not listen on $STS_ADDR:443 (see nginx.log)"
# end of 7b (MTA-STS)

# --------------------------------------------------------------------------------
# 8. Readiness: DNS answers with AD, every SMTP listener greets.
ad() { nsx dig +time=2 +tries=2 +dnssec "$@" | grep -E '^;; flags:' | grep -qw ad; }
status_of() { nsx dig +time=2 +tries=2 +dnssec "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
ok=0
for _ in $(seq 1 30); do ad @127.0.0.1 . SOA && ok=1 && break; sleep 0.2; done
[ $ok = 1 ] || die "unbound does not validate the root (no AD for . SOA; see unbound.log)"
ad @127.0.0.1 _25._tcp.mx.ee311.test TLSA || die "no AD for _25._tcp.mx.ee311.test TLSA (see unbound.log)"
ad @127.0.0.1 d0001.bulk.test MX || die "no AD for d0001.bulk.test MX (see unbound.log)"
ad @127.0.0.1 _25._tcp.mx1.bulk.test TLSA || die "no AD for _25._tcp.mx1.bulk.test TLSA (see unbound.log)"
if (( SCALE_N > 0 )); then
  ad @127.0.0.1 _25._tcp.mx.d00001.scale.test TLSA || die "no AD for _25._tcp.mx.d00001.scale.test TLSA (see unbound.log)"
fi
ad @127.0.0.1 mx.insecure.test A && die "insecure.test unexpectedly validated as secure"
[ "$(status_of @127.0.0.1 mx.insecure.test A)" = NOERROR ] || die "insecure.test does not resolve"
[ "$(status_of @127.0.0.1 mx.bogussig.test A)" = SERVFAIL ] || die "bogussig.test is not bogus"
[ "$(status_of @127.0.0.1 mx.bogusds.test A)" = SERVFAIL ] || die "bogusds.test is not bogus"

LISTENERS=(127.0.0.11:25 127.0.0.11:587 127.0.0.11:465 127.0.0.12:25 127.0.0.13:25 127.0.0.14:25 127.0.0.15:25
  127.0.0.16:25 127.0.0.17:25 127.0.0.18:25 127.0.0.19:25 127.0.0.20:25 127.0.0.21:25 127.0.0.22:25 127.0.0.23:25
  127.0.0.24:25 127.0.0.25:25 127.0.0.26:25 127.0.0.27:25 127.0.0.28:25 127.0.0.29:25 127.0.0.30:25 127.0.0.31:25
  127.0.0.32:25 127.0.0.33:25 ::1:25 127.0.0.34:25 127.0.0.35:25 127.0.0.36:587 127.0.0.36:25 127.0.0.37:465
  127.0.0.38:25 127.0.0.39:25 127.0.0.40:25 127.0.0.41:25 127.0.0.42:25 127.0.0.43:25 127.0.0.44:25 127.0.0.45:25
  127.0.0.46:25
  127.0.0.61:25 127.0.0.62:25 127.0.0.63:25 127.0.0.64:25 127.0.0.65:25 127.0.0.66:25 127.0.0.67:25)
(( SCALE_N > 0 )) && LISTENERS+=(127.0.0.47:25 127.0.0.48:25 127.0.0.49:25 127.0.0.50:25)
nsx "$PY" - "${LISTENERS[@]}" <<'PYEOF' || die "some SMTP listeners are not ready (see above, postfix.log, ocsp-*.log)"
import socket, ssl, sys, time
bad = []
for ap in sys.argv[1:]:
    host, port = ap.rsplit(":", 1)
    port = int(port)
    ok = False
    for _ in range(50):
        try:
            fam = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect((host, port))
            if port == 465:
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                s = ctx.wrap_socket(s)
            ok = s.recv(512).startswith(b"220")
            s.sendall(b"QUIT\r\n")
            s.close()
            if ok:
                break
        except OSError:
            time.sleep(0.1)
    if not ok:
        bad.append(ap)
if bad:
    print("not ready: " + " ".join(bad))
    sys.exit(1)
PYEOF

date -u +%Y-%m-%dT%H:%M:%SZ >"$RUN/up.stamp"
trap - EXIT
cat >&3 <<EOF
up.sh: test bed up in $(( $(date +%s) - T0 ))s (namespace $NS)
  dns:      knotd $DNS_ADDR:53 (zones: ., test., ${#ZONES[@]} scenario zones, bulk.test. with $BULK_N domains), unbound 127.0.0.1:53 (validating)
  anchors:  $RUN/root.ds, $RUN/root.key
  bulk:     $RUN/bulk-domains.tsv (domain, expected verdict, MX hosts)
  scale:    $( (( SCALE_N > 0 )) && echo "scale.test. with $SCALE_N domains, each its own MX host: $RUN/scale-domains.txt" || echo "off (SMTPDANE_TB_SCALE=10000 bash testbed/up.sh)")
  pki:      $PKI/{root,inter,other}.crt
  smtp:     postfix on ${#LISTENERS[@]} listeners incl. [::1]:25, 465 wrapper; OCSP shims on 127.0.0.38-40,64:25
  try:      ip netns exec $NS dig +dnssec _25._tcp.mx.ee311.test TLSA
            ip netns exec $NS env MAIL_CONFIG=$RUN/posttls-finger-client posttls-finger -c -l dane ee311.test
  mta-sts:  nginx on $STS_ADDR:443 for mta-sts.<zone>.test, zones ${STS_ZONES[*]}
  stop:     bash testbed/down.sh
EOF
