namespace SmtpDane.Dane;

/// <summary>Certificate usage, RFC 6698 §2.1.1 / RFC 7218 mnemonics; wire values.</summary>
public enum TlsaUsage : byte
{
    PkixTa = 0,
    PkixEe = 1,
    DaneTa = 2,
    DaneEe = 3,
}

/// <summary>Selector, RFC 6698 §2.1.2; wire values.</summary>
public enum TlsaSelector : byte
{
    FullCertificate = 0,
    SubjectPublicKeyInfo = 1,
}

/// <summary>Matching type, RFC 6698 §2.1.3; wire values.</summary>
public enum TlsaMatchingType : byte
{
    Full = 0,
    Sha256 = 1,
    Sha512 = 2,
}
