#!/usr/bin/env python3
"""Instruction counts by stage from a symbolized callgrind profile of smtpdane (cg-symbolize.py).

Reads `callgrind_annotate --inclusive=yes` output and sums, per stage, the inclusive cost of the
functions that enter it. Async methods resume many times; each resumption is a separate call of
MoveNext, so their inclusive costs add up. Stages may overlap a little (a DNS continuation that
starts a probe); they are a guide to where the time goes, the total is exact.
usage: cg-breakdown.py ANNOTATE_OUTPUT  -> "stage<TAB>instructions" lines, total first
"""
import re
import sys

STAGES = [
    ("total", r"PROGRAM TOTALS"),
    ("runtime start-up (NativeAOT module init)", r"StartupCodeHelpers__InitializeModules$"),
    ("argument parsing and options", r"SmtpDane_Cli_(ArgumentParser__Parse|OptionsBuilder__Build)$"),
    ("DNS (queries, parsing, answers)", r"SmtpDane_Dns_AdBitResolver__(FetchAsync_d__\d+__MoveNext|Parse)$"),
    ("TCP connect", r"SmtpDane_Net_TcpConnector__ConnectAsync_d__\d+__MoveNext$"),
    ("SMTP dialogue (greeting, EHLO, STARTTLS, QUIT)", r"SmtpDane_Smtp_SmtpSession__\w+_d__\d+__MoveNext$"),
    ("TLS handshake (BouncyCastle)", r"SmtpDane_Tls_DaneTlsClient__HandshakeAsync_d__\d+__MoveNext$"),
    ("  of which ECDSA signature check", r"Org_BouncyCastle_Crypto_Signers_ECDsaSigner__VerifySignature$"),
    ("  of which RSA signature check", r"Org_BouncyCastle_Crypto_Signers_(PssSigner|RsaDigestSigner)__VerifySignature$"),
    ("  of which X25519 key exchange", r"Org_BouncyCastle_Math_EC_Rfc7748_X25519__(ScalarMultBase|CalculateAgreement)$"),
    ("  of which P-256 key exchange", r"Org_BouncyCastle_Tls_Crypto_Impl_BC_BcTlsECDomain__(GenerateKeyPair|CalculateECDHAgreement)$"),
    ("certificate parsing and DANE verification", r"SmtpDane_Probing_AddressProber__Verify$"),
    ("output (rendering)", r"SmtpDane_Reporting_\w+Renderer__(Render|Write)\w*$"),
    ("GC allocation and collection", r"^(RhpGcAlloc|RhpNewArray|RhpNewFast|RhpNewObject)|GCHeap.*GarbageCollect"),
    ("OpenSSL (libssl/libcrypto start-up and calls)", r"CryptoNative_EnsureOpenSslInitialized$"),
]

totals = {name: 0 for name, _ in STAGES}
line_re = re.compile(r"^\s*([\d,]+) \([ \d.]+%\)\s+(?:\S*?:)?(.*?)(?:'\d+)? \[")
for line in open(sys.argv[1]):
    if "PROGRAM TOTALS" in line:
        totals["total"] = int(line.split()[0].replace(",", ""))
        continue
    m = line_re.match(line)
    if not m:
        continue
    cost, fn = int(m.group(1).replace(",", "")), m.group(2)
    if "'" in line.split("[")[0]:
        continue  # recursive instance ('2): already inside its outer call
    for name, pat in STAGES[1:]:
        if re.search(pat, fn):
            totals[name] += cost
            break
for name, _ in STAGES:
    print("%s\t%d" % (name, totals[name]))
