namespace SmtpDane.Model;

/// <summary>An input file went past its size cap while being read (see <see cref="BoundedFile"/>).</summary>
public sealed class FileTooLargeException : IOException
{
    public FileTooLargeException()
    {
    }

    public FileTooLargeException(string message)
        : base(message)
    {
    }

    public FileTooLargeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
