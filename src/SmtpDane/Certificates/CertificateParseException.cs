namespace SmtpDane.Certificates;

/// <summary>A certificate the peer sent (or DNS published) could not be parsed.</summary>
public sealed class CertificateParseException : Exception
{
    public CertificateParseException()
    {
    }

    public CertificateParseException(string message)
        : base(message)
    {
    }

    public CertificateParseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
