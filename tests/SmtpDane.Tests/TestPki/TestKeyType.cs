namespace SmtpDane.Tests.TestPki;

/// <summary>Key algorithm of a generated test certificate.</summary>
public enum TestKeyType
{
    EcP256,
    Rsa2048,
    Rsa1024,
}
