namespace SmtpDane.Dns;

/// <summary>The resolver configuration (DNS_RESOLVER or resolv.conf) is unusable; the message is for people.</summary>
public sealed class ResolverConfigException : Exception
{
    public ResolverConfigException()
    {
    }

    public ResolverConfigException(string message)
        : base(message)
    {
    }

    public ResolverConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
