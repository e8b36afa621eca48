using Org.BouncyCastle.Asn1;

namespace SmtpDane.Tests.TestPki;

/// <summary>What to put in a generated certificate; defaults give a valid EC P-256 leaf.</summary>
public sealed record TestCertificateSpec
{
    public required string CommonName { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool IsCa { get; init; }

    /// <summary>Leave out basicConstraints entirely (neither CA nor explicitly not-CA).</summary>
    public bool OmitBasicConstraints { get; init; }

    public TestKeyType KeyType { get; init; } = TestKeyType.EcP256;

    public DateTimeOffset NotBefore { get; init; } = Pki.DefaultNow.AddDays(-30);

    public DateTimeOffset NotAfter { get; init; } = Pki.DefaultNow.AddDays(365);

    /// <summary>Extended key usages to add (e.g. KeyPurposeID.id_kp_OCSPSigning); none by default.</summary>
    public IReadOnlyList<DerObjectIdentifier> ExtendedKeyUsages { get; init; } = [];

    /// <summary>Serial number; random when null.</summary>
    public long? Serial { get; init; }
}
