namespace SmtpDane.Dns;

/// <summary>libunbound, needed by <c>-dnssec local</c>, is not installed or not usable; the message says what to install.</summary>
public sealed class UnboundUnavailableException : Exception
{
    public UnboundUnavailableException()
    {
    }

    public UnboundUnavailableException(string message)
        : base(message)
    {
    }

    public UnboundUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
