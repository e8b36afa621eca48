using Org.BouncyCastle.Asn1.X509;
using SmtpDane.Dane;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Dane;

/// <summary>
/// RFC 5280 §6 path validation under DANE-TA(2) (issue #11), each rule checked the way OpenSSL 3.0
/// decided it on the test bed with <c>openssl s_client -dane_tlsa_rrdata</c>.
/// </summary>
public class DaneTaPathValidationTests
{
    private const string Host = "mx.example.org";
    private static readonly DateTimeOffset Now = Pki.DefaultNow;

    private readonly TestCertificate _root = Pki.CreateRoot("Test Root");
    private readonly TestCertificate _intermediate;

    public DaneTaPathValidationTests()
    {
        _intermediate = Pki.CreateIntermediate(_root, "Test Intermediate");
    }

    [Fact]
    public void Verify_ExpiredLeafUnderTa_ZeroWarningWindow_StillRejected()
    {
        // The Go tool's -expiration-warning 0 only stops the warning; x509.Verify still rejects.
        var leaf = Leaf(_intermediate, notAfter: Now.AddDays(-35));

        var result = Verify(Pki.Chain(leaf, _intermediate), [Record(2, 0, 1, _intermediate)], TimeSpan.Zero);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f is { Code: FindingCodes.CertExpired, Severity: Severity.Error });
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneNotVerified);
    }

    [Fact]
    public void Verify_ExpiredLeafUnderEe_ZeroWarningWindow_ErrorButNoExpiringWarning()
    {
        var expired = Leaf(_intermediate, notAfter: Now.AddDays(-3));
        var expiring = Leaf(_intermediate, notAfter: Now.AddDays(2));

        var e = Verify([expired.Der], [Record(3, 1, 1, expired)], TimeSpan.Zero);
        var w = Verify([expiring.Der], [Record(3, 1, 1, expiring)], TimeSpan.Zero);

        Assert.Contains(e.Findings, f => f is { Code: FindingCodes.CertExpired, Severity: Severity.Error });
        Assert.DoesNotContain(w.Findings, f => f.Code.StartsWith("cert.", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ClientAuthOnlyLeafUnderTa_Rejected()
    {
        var leaf = Leaf(_intermediate, usages: [KeyPurposeID.id_kp_clientAuth]);

        var result = Verify(Pki.Chain(leaf, _intermediate), [Record(2, 0, 1, _intermediate)]);

        Assert.False(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertNoServerAuth);
        Assert.Equal("clientAuth", finding.Data!["extendedKeyUsage"]);
    }

    [Theory]
    [InlineData("serverAuth")]
    [InlineData("any")]
    public void Verify_ServerAuthOrAnyUsageLeafUnderTa_Verified(string usage)
    {
        var leaf = Leaf(_intermediate, usages: [usage == "any" ? KeyPurposeID.AnyExtendedKeyUsage : KeyPurposeID.id_kp_serverAuth]);

        Assert.True(Verify(Pki.Chain(leaf, _intermediate), [Record(2, 0, 1, _intermediate)]).Verified);
    }

    [Fact]
    public void Verify_ClientAuthOnlyLeafUnderEe_Verified()
    {
        // OpenSSL: DANE-EE(3) authenticates the key alone (RFC 7672 §3.1.1), purpose included.
        var leaf = Leaf(_intermediate, usages: [KeyPurposeID.id_kp_clientAuth]);

        Assert.True(Verify([leaf.Der], [Record(3, 1, 1, leaf)]).Verified);
    }

    [Fact]
    public void Verify_IntermediateWithClientAuthOnlyUnderRootTa_Rejected()
    {
        var ca = Pki.Create(new TestCertificateSpec { CommonName = "Client CA", IsCa = true, ExtendedKeyUsages = [KeyPurposeID.id_kp_clientAuth] }, _root);
        var leaf = Leaf(ca);

        var result = Verify(Pki.Chain(leaf, ca, _root), [Record(2, 0, 1, _root)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.CertNoServerAuth);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_PathLengthExceeded_Rejected(bool anchorAtRoot)
    {
        // root -> CA (pathLen 0) -> sub-CA -> leaf: one intermediate too many below the CA. OpenSSL
        // rejects it whether the anchor is the root or the constrained CA itself.
        var constrained = Pki.Create(new TestCertificateSpec { CommonName = "PathLen0 CA", IsCa = true, PathLength = 0 }, _root);
        var sub = Pki.CreateIntermediate(constrained, "Sub CA");
        var leaf = Leaf(sub);

        var result = Verify(Pki.Chain(leaf, sub, constrained, _root), [Record(2, 0, 1, anchorAtRoot ? _root : constrained)]);

        Assert.False(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertPathLength);
        Assert.Equal("0", finding.Data!["pathLenConstraint"]);
        Assert.Equal("1", finding.Data["intermediates"]);
    }

    [Fact]
    public void Verify_PathLengthRespected_Verified()
    {
        var constrained = Pki.Create(new TestCertificateSpec { CommonName = "PathLen0 CA", IsCa = true, PathLength = 0 }, _root);
        var leaf = Leaf(constrained);

        Assert.True(Verify(Pki.Chain(leaf, constrained, _root), [Record(2, 0, 1, _root)]).Verified);
    }

    [Fact]
    public void Verify_ExpiredIntermediateUnderRootTa_Rejected()
    {
        var expired = Pki.Create(new TestCertificateSpec { CommonName = "Expired CA", IsCa = true, NotBefore = Now.AddDays(-800), NotAfter = Now.AddDays(-10) }, _root);
        var leaf = Leaf(expired);

        var result = Verify(Pki.Chain(leaf, expired, _root), [Record(2, 0, 1, _root)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f is { Code: FindingCodes.CertExpired, Severity: Severity.Error } && f.Message.Contains("Expired CA", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ExpiredIntermediateIsTheAnchor_VerifiedWithWarning()
    {
        // OpenSSL 3.0 does not check the dates of a trust anchor that is not self-issued.
        var expired = Pki.Create(new TestCertificateSpec { CommonName = "Expired CA", IsCa = true, NotBefore = Now.AddDays(-800), NotAfter = Now.AddDays(-10) }, _root);
        var leaf = Leaf(expired);

        var result = Verify(Pki.Chain(leaf, expired), [Record(2, 0, 1, expired)]);

        Assert.True(result.Verified);
        Assert.Contains(result.Findings, f => f is { Code: FindingCodes.CertTaExpired, Severity: Severity.Warning });
        Assert.DoesNotContain(result.Findings, f => f.Severity == Severity.Error);
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(0, 0, false)]
    [InlineData(1, 0, true)]
    public void Verify_ExpiredRootAnchor_RejectedUnlessBareKey(byte selector, byte matching, bool verified)
    {
        // OpenSSL: an expired self-signed anchor fails when sent (2 0 1) or given in full (2 0 0); a bare key (2 1 0) has no dates.
        var oldRoot = Pki.Create(new TestCertificateSpec { CommonName = "Old Root", IsCa = true, NotBefore = Now.AddDays(-800), NotAfter = Now.AddDays(-10) }, null);
        var ca = Pki.CreateIntermediate(oldRoot, "Current CA");
        var leaf = Leaf(ca);
        var chain = matching == 1 ? Pki.Chain(leaf, ca, oldRoot) : Pki.Chain(leaf, ca);

        var result = Verify(chain, [Record(2, selector, matching, oldRoot)]);

        Assert.Equal(verified, result.Verified);
        Assert.Equal(!verified, result.Findings.Any(f => f is { Code: FindingCodes.CertExpired, Severity: Severity.Error }));
    }

    [Fact]
    public void Verify_UnknownCriticalExtensionOnIntermediate_Rejected()
    {
        var odd = Pki.Create(new TestCertificateSpec { CommonName = "Odd CA", IsCa = true, UnknownCriticalExtension = "1.3.6.1.4.1.55555.1" }, _root);
        var leaf = Leaf(odd);

        var result = Verify(Pki.Chain(leaf, odd, _root), [Record(2, 0, 1, _root)]);

        Assert.False(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertCriticalExtension);
        Assert.Equal("1.3.6.1.4.1.55555.1", finding.Data!["extensions"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_LeafOutsideNameConstraints_Rejected(bool constraintOnAnchor)
    {
        var constrained = Pki.Create(new TestCertificateSpec { CommonName = "Constrained CA", IsCa = true, PermittedDnsSubtrees = ["example.net"] }, _root);
        var leaf = Leaf(constrained);

        var result = Verify(Pki.Chain(leaf, constrained, _root), [Record(2, 0, 1, constraintOnAnchor ? constrained : _root)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.CertNameConstraints);
    }

    [Fact]
    public void Verify_LeafInsideNameConstraints_Verified()
    {
        var constrained = Pki.Create(new TestCertificateSpec { CommonName = "Constrained CA", IsCa = true, PermittedDnsSubtrees = ["example.org"] }, _root);
        var leaf = Leaf(constrained);

        Assert.True(Verify(Pki.Chain(leaf, constrained, _root), [Record(2, 0, 1, _root)]).Verified);
    }

    [Fact]
    public void Verify_Rsa1024LeafUnderEe_VerifiedWithWeakKeyWarning()
    {
        // DANE-EE(3) skips OpenSSL's key-size check (posttls-finger verifies the test bed's rsa1024).
        var leaf = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host], KeyType = TestKeyType.Rsa1024 }, _intermediate);

        var result = Verify(Pki.Chain(leaf, _intermediate), [Record(3, 0, 1, leaf)]);

        Assert.True(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertWeakKey);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("1024", finding.Data!["bits"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_Rsa1024KeyUnderTa_Rejected(bool onAnchor)
    {
        // OpenSSL at security level 2 (Debian): "EE certificate key too weak" / "CA key too small", anchor included.
        var weakCa = Pki.Create(new TestCertificateSpec { CommonName = "Weak CA", IsCa = true, KeyType = TestKeyType.Rsa1024 }, _root);
        var leaf = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host], KeyType = onAnchor ? TestKeyType.EcP256 : TestKeyType.Rsa1024 }, onAnchor ? weakCa : _intermediate);

        var result = onAnchor
            ? Verify(Pki.Chain(leaf, weakCa), [Record(2, 0, 1, weakCa)])
            : Verify(Pki.Chain(leaf, _intermediate), [Record(2, 0, 1, _intermediate)]);

        Assert.False(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertWeakKey);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(onAnchor ? "1" : "0", finding.Data!["position"]);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneNotVerified);
    }

    [Theory]
    [InlineData("SHA1", 2, false)]
    [InlineData("SHA1", 3, true)]
    [InlineData("SHA256", 2, true)]
    public void Verify_Sha1SignatureBelowAnchor_RejectedUnderTaOnly(string digest, byte usage, bool verified)
    {
        // OpenSSL 3 refuses SHA-1 below a DANE-TA(2) anchor ("CA signature digest algorithm too weak"),
        // as does Go; DANE-EE(3) pins the key, so the leaf's own signature is not relied upon there.
        var leaf = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host], SignatureDigest = digest }, _intermediate);

        var result = Verify(Pki.Chain(leaf, _intermediate), [Record(usage, 0, 1, usage == 2 ? _intermediate : leaf)]);

        Assert.Equal(verified, result.Verified);
        Assert.Equal(!verified, result.Findings.Any(f => f is { Code: FindingCodes.CertWeakSignature, Severity: Severity.Error }));
        Assert.DoesNotContain(result.Findings, f => f is { Code: FindingCodes.CertWeakSignature, Severity: not Severity.Error });
    }

    [Fact]
    public void Verify_DaneEe_LeafIssuerIsTheCertificateThatSignedTheLeaf()
    {
        var unrelated = Pki.CreateRoot("Unrelated CA");
        var leaf = Leaf(_intermediate);

        var withIssuer = Verify(Pki.Chain(leaf, unrelated, _intermediate), [Record(3, 1, 1, leaf)]);
        var without = Verify(Pki.Chain(leaf, unrelated), [Record(3, 1, 1, leaf)]);

        Assert.Equal(_intermediate.Der, withIssuer.LeafIssuer);
        Assert.Null(without.LeafIssuer);
    }

    [Fact]
    public void Verify_DaneTa_LeafIssuerIsNextOnPath()
    {
        var leaf = Leaf(_intermediate);

        Assert.Equal(_intermediate.Der, Verify(Pki.Chain(leaf, _intermediate, _root), [Record(2, 0, 1, _root)]).LeafIssuer);
    }

    private static TestCertificate Leaf(TestCertificate issuer, DateTimeOffset? notAfter = null, Org.BouncyCastle.Asn1.DerObjectIdentifier[]? usages = null) =>
        Pki.Create(
            new TestCertificateSpec
            {
                CommonName = Host,
                DnsNames = [Host],
                NotBefore = Now.AddDays(-400),
                NotAfter = notAfter ?? Now.AddDays(300),
                ExtendedKeyUsages = usages ?? [],
            },
            issuer);

    private static DaneVerification Verify(IReadOnlyList<byte[]> chain, IReadOnlyList<TlsaRecord> records, TimeSpan? warning = null) =>
        DaneVerifier.Verify(new DaneVerificationRequest(Host, 25, chain, records, [Host], Now, warning ?? TimeSpan.FromDays(7)));

    private static TlsaRecord Record(byte usage, byte selector, byte matching, TestCertificate cert) =>
        new(usage, selector, matching, TlsaMatcher.AssociationData(cert.Der, selector, matching));
}
