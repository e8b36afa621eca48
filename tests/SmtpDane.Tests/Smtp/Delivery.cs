namespace SmtpDane.Tests.Smtp;

/// <summary>How <see cref="ScriptedStream"/> hands out the server's bytes.</summary>
public enum Delivery
{
    Whole,
    ByteByByte,
    LineByLine,
}
