namespace SmtpDane.Probing;

/// <summary>
/// Where an address probe was when it failed; decides the finding code (a timeout while
/// connecting is not a timeout in the handshake). <see cref="ProbeStepText.Describe"/> gives the
/// words used in messages.
/// </summary>
internal enum ProbeStep
{
    Connecting,
    TlsHandshake,
    Greeting,
    Ehlo,
    StartTls,
    EhloAfterStartTls,
}

/// <summary>The message words for each <see cref="ProbeStep"/> (kept as the messages always read).</summary>
internal static class ProbeStepText
{
    public static string Describe(this ProbeStep step) => step switch
    {
        ProbeStep.Connecting => "connecting",
        ProbeStep.TlsHandshake => "the TLS handshake",
        ProbeStep.Greeting => "reading the server greeting",
        ProbeStep.Ehlo => "EHLO",
        ProbeStep.StartTls => "STARTTLS",
        ProbeStep.EhloAfterStartTls => "EHLO after STARTTLS",
        _ => step.ToString(),
    };
}
