using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Certificates;

public class OcspStapleCheckerTests
{
    private static readonly DateTimeOffset Now = Pki.DefaultNow;

    private readonly TestCertificate _issuer;
    private readonly TestCertificate _leaf;

    public OcspStapleCheckerTests()
    {
        _issuer = Pki.CreateIntermediate(Pki.CreateRoot(), "Issuing CA");
        _leaf = Pki.CreateLeaf(_issuer, "mx.example.org", "mx.example.org");
    }

    [Fact]
    public void Check_Good_SuccessWithTimesInData()
    {
        var check = Check(Response(CertificateStatus.Good));

        Assert.True(check.Good);
        var finding = Assert.Single(check.Findings);
        Assert.Equal(FindingCodes.OcspGood, finding.Code);
        Assert.Equal(Severity.Success, finding.Severity);
        Assert.Equal("2025-06-01T11:00:00Z", finding.Data!["thisUpdate"]);
        Assert.Equal("2025-06-08T11:00:00Z", finding.Data["nextUpdate"]);
        Assert.True(finding.Data.ContainsKey("producedAt"));
    }

    [Fact]
    public void Check_Revoked_ErrorWithRevocationTime()
    {
        var check = Check(Response(new RevokedStatus(Now.AddDays(-2).UtcDateTime, CrlReason.KeyCompromise)));

        Assert.False(check.Good);
        var finding = Assert.Single(check.Findings);
        Assert.Equal(FindingCodes.OcspRevoked, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("2025-05-30T12:00:00Z", finding.Message, StringComparison.Ordinal);
        Assert.Equal("1", finding.Data!["revocationReason"]);
    }

    [Fact]
    public void Check_Unknown_Error()
    {
        var finding = Assert.Single(Check(Response(new UnknownStatus())).Findings);

        Assert.Equal(FindingCodes.OcspUnknown, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Check_TryLater_Warning()
    {
        var staple = new OCSPRespGenerator().Generate(OCSPRespGenerator.TryLater, null).GetEncoded();

        var finding = Assert.Single(Check(staple).Findings);

        Assert.Equal(FindingCodes.OcspTryLater, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void Check_InternalErrorStatus_Invalid()
    {
        var staple = new OCSPRespGenerator().Generate(OCSPRespGenerator.InternalError, null).GetEncoded();

        var finding = Assert.Single(Check(staple).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("internalError", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SignedByWrongKey_Invalid()
    {
        var stranger = Pki.CreateRoot("Stranger");

        var finding = Assert.Single(Check(Response(CertificateStatus.Good, signer: stranger)).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("signature", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExpiredNextUpdate_InvalidStale()
    {
        var staple = Response(CertificateStatus.Good, thisUpdate: Now.AddDays(-10), nextUpdate: Now.AddDays(-1));

        var finding = Assert.Single(Check(staple).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("stale", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ThisUpdateInFuture_Invalid()
    {
        var staple = Response(CertificateStatus.Good, thisUpdate: Now.AddHours(2), nextUpdate: Now.AddDays(7));

        var finding = Assert.Single(Check(staple).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("not valid yet", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ResponseForOtherCertificate_Invalid()
    {
        var other = Pki.CreateLeaf(_issuer, "other.example.org", "other.example.org");

        var finding = Assert.Single(Check(Response(CertificateStatus.Good, subject: other)).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("no status for the leaf", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DelegatedResponderWithOcspSigningEku_Good()
    {
        var responder = Pki.Create(
            new TestCertificateSpec { CommonName = "OCSP Responder", ExtendedKeyUsages = [KeyPurposeID.id_kp_OCSPSigning] },
            _issuer);

        var check = Check(Response(CertificateStatus.Good, signer: responder, include: [responder]));

        Assert.True(check.Good);
        Assert.Equal(FindingCodes.OcspGood, Assert.Single(check.Findings).Code);
    }

    [Fact]
    public void Check_DelegatedResponderWithoutEku_Invalid()
    {
        var responder = Pki.Create(new TestCertificateSpec { CommonName = "Not A Responder" }, _issuer);

        var finding = Assert.Single(Check(Response(CertificateStatus.Good, signer: responder, include: [responder])).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("id-kp-OCSPSigning", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DelegatedResponderFromOtherCa_Invalid()
    {
        var otherCa = Pki.CreateRoot("Other CA");
        var responder = Pki.Create(
            new TestCertificateSpec { CommonName = "OCSP Responder", ExtendedKeyUsages = [KeyPurposeID.id_kp_OCSPSigning] },
            otherCa);

        var finding = Assert.Single(Check(Response(CertificateStatus.Good, signer: responder, include: [responder])).Findings);

        Assert.Equal(FindingCodes.OcspInvalid, finding.Code);
        Assert.Contains("not issued by the leaf's issuer", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Missing_ErrorOnlyWhenExpected()
    {
        var expected = OcspStapleChecker.Check(null, _leaf.Der, _issuer.Der, Now, expectOcsp: true);
        var notExpected = OcspStapleChecker.Check([], _leaf.Der, _issuer.Der, Now, expectOcsp: false);

        Assert.False(expected.StaplePresent);
        Assert.Equal(Severity.Error, Assert.Single(expected.Findings, f => f.Code == FindingCodes.OcspMissing).Severity);
        Assert.Equal(Severity.Info, Assert.Single(notExpected.Findings, f => f.Code == FindingCodes.OcspMissing).Severity);
    }

    [Fact]
    public void Check_Garbage_Invalid()
    {
        var check = Check([0x30, 0x03, 0x0a, 0x01, 0x00, 0xff]);

        Assert.True(check.StaplePresent);
        Assert.Equal(FindingCodes.OcspInvalid, Assert.Single(check.Findings).Code);
    }

    [Fact]
    public void Check_NoIssuer_UnverifiableErrorWithExpectOcsp()
    {
        var check = OcspStapleChecker.Check(Response(CertificateStatus.Good), _leaf.Der, null, Now, expectOcsp: true, "\"mx.example.org\" port 25");

        var finding = Assert.Single(check.Findings);
        Assert.Equal(FindingCodes.OcspUnverifiable, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("\"mx.example.org\" port 25", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, Severity.Warning)]
    [InlineData(true, Severity.Error)]
    public void Check_StapleByUnrelatedCaGivenAsIssuer_UnverifiableNeverGood(bool expectOcsp, Severity severity)
    {
        // The attack of issue #11: the server sends an unrelated CA second and a staple that CA signed
        // with a CertID over itself; without proof that this CA signed the leaf it proves nothing.
        var unrelated = Pki.CreateRoot("Unrelated CA");
        var staple = Response(CertificateStatus.Good, signer: unrelated, idIssuer: unrelated);

        var check = OcspStapleChecker.Check(staple, _leaf.Der, unrelated.Der, Now, expectOcsp);

        Assert.False(check.Good);
        var finding = Assert.Single(check.Findings);
        Assert.Equal(FindingCodes.OcspUnverifiable, finding.Code);
        Assert.Equal(severity, finding.Severity);
    }

    [Fact]
    public void Check_RevokedByUnrelatedCa_UnverifiableNotRevoked()
    {
        var unrelated = Pki.CreateRoot("Unrelated CA");
        var staple = Response(new RevokedStatus(Now.AddDays(-2).UtcDateTime, CrlReason.KeyCompromise), signer: unrelated, idIssuer: unrelated);

        var finding = Assert.Single(OcspStapleChecker.Check(staple, _leaf.Der, unrelated.Der, Now, expectOcsp: false).Findings);

        Assert.Equal(FindingCodes.OcspUnverifiable, finding.Code);
    }

    [Fact]
    public void LeafIssuer_Find_SkipsCertificatesThatDidNotSignTheLeaf()
    {
        var unrelated = Pki.CreateRoot("Unrelated CA");

        Assert.Equal(_issuer.Der, LeafIssuer.Find(Pki.Chain(_leaf, unrelated, _issuer)));
        Assert.Null(LeafIssuer.Find(Pki.Chain(_leaf, unrelated)));
        Assert.Null(LeafIssuer.Find(Pki.Chain(_leaf)));
    }

    private OcspCheck Check(byte[] staple) =>
        OcspStapleChecker.Check(staple, _leaf.Der, _issuer.Der, Now, expectOcsp: true);

    private byte[] Response(
        CertificateStatus? status,
        TestCertificate? signer = null,
        TestCertificate[]? include = null,
        TestCertificate? subject = null,
        DateTimeOffset? thisUpdate = null,
        DateTimeOffset? nextUpdate = null,
        TestCertificate? idIssuer = null)
    {
        signer ??= _issuer;
        var id = new CertificateID(CertificateID.DigestSha1, (idIssuer ?? _issuer).Certificate, (subject ?? _leaf).Certificate.SerialNumber);
        var generator = new BasicOcspRespGenerator(new RespID(signer.Certificate.SubjectDN));
        generator.AddResponse(
            id,
            status,
            (thisUpdate ?? Now.AddHours(-1)).UtcDateTime,
            (nextUpdate ?? Now.AddDays(7).AddHours(-1)).UtcDateTime,
            null);
        var basic = generator.Generate(
            new Asn1SignatureFactory(signer.SignatureAlgorithm, signer.PrivateKey),
            include?.Select(c => c.Certificate).ToArray(),
            Now.AddMinutes(-30).UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }
}
