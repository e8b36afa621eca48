using System.Net;
using SmtpDane.Certificates;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Smtp;
using SmtpDane.Tls;

namespace SmtpDane.Probing;

/// <summary>
/// Probes one address of one host: connect (directly or via SOCKS5), SMTP dialogue, TLS
/// handshake, then DANE and OCSP verification. Every failure becomes a finding on this address;
/// no exception but the caller's cancellation leaves this class.
/// </summary>
public sealed class AddressProber
{
    private readonly IConnector _connector;
    private readonly ProbeSettings _settings;
    private readonly TimeProvider _time;
    private readonly DaneTlsClient _tlsClient;
    private readonly WebPkiValidator? _webPki;

    /// <param name="webPki">With -mta-sts: also judge each certificate under the Web PKI, on the same connection.</param>
    public AddressProber(IConnector connector, ProbeSettings settings, TimeProvider time, WebPkiValidator? webPki = null)
    {
        _connector = connector;
        _settings = settings;
        _time = time;
        _webPki = webPki;
        _tlsClient = new DaneTlsClient(settings.StepTimeout, time);
    }

    public async Task<AddressResult> ProbeAsync(DiscoveredHost host, IPAddress address, CancellationToken ct)
    {
        var startTicks = _time.GetTimestamp();
        var findings = new List<Finding>();
        TlsSummary? tls = null;
        WebPkiResult? web = null;
        var transcript = new SmtpTranscript(); // one for the plaintext and the TLS session, for -debug
        var where = ProbeRunner.Where(host, address);
        var step = ProbeStep.Connecting;
        try
        {
            var transport = await _connector.ConnectAsync(address, host.Port, ct).ConfigureAwait(false);
            await using (transport.ConfigureAwait(false))
            {
                TlsConnection connection;
                if (_settings.TlsOnConnect)
                {
                    step = ProbeStep.TlsHandshake;
                    connection = await HandshakeAsync(transport, host, ct).ConfigureAwait(false);
                }
                else
                {
                    var plain = new SmtpSession(transport, _settings.StepTimeout, transcript, _time);
                    step = ProbeStep.Greeting;
                    var banner = await plain.ReadGreetingAsync(ct).ConfigureAwait(false);
                    findings.Add(Banner(banner));
                    step = ProbeStep.Ehlo;
                    var ehlo = await plain.EhloAsync(_settings.Helo, ct).ConfigureAwait(false);
                    if (!ehlo.SupportsStartTls)
                    {
                        findings.Add(Finding.Error(
                            FindingCodes.SmtpNoStartTls,
                            $"{where} does not offer STARTTLS in its EHLO reply; enable TLS in the server (e.g. Postfix smtpd_tls_security_level = may)"));
                        await plain.QuitAsync(ct).ConfigureAwait(false);
                        return Done(address, host, findings, null, transcript, startTicks);
                    }

                    step = ProbeStep.StartTls;
                    var started = await plain.StartTlsAsync(ct).ConfigureAwait(false);
                    if (started.DiscardedPlaintextBytes > 0)
                    {
                        // CVE-2011-0411 style injection: bytes sent before the handshake must never be trusted.
                        findings.Add(Finding.Warning(
                            FindingCodes.SmtpProtocol,
                            $"{where} sent {started.DiscardedPlaintextBytes} byte(s) of plaintext after its STARTTLS reply; they were discarded"));
                    }

                    step = ProbeStep.TlsHandshake;
                    connection = await HandshakeAsync(transport, host, ct).ConfigureAwait(false);
                }

                await using (connection.ConfigureAwait(false))
                {
                    tls = Summarize(connection.Info);
                    findings.Add(Finding.Info(
                        FindingCodes.TlsEstablished,
                        $"TLS session established: {connection.Info.Version}, {connection.Info.CipherSuite}, {connection.Info.Certificates.Count} certificate(s) sent",
                        new Dictionary<string, string> { ["version"] = connection.Info.Version, ["cipher"] = connection.Info.CipherSuite }));
                    if (TlsHygiene.OldVersion(connection.Info.Version, where) is { } old)
                    {
                        findings.Add(old);
                    }

                    // Verify right after the handshake, on both paths: a server that fails the
                    // greeting (TLS on connect) or EHLO over TLS still gets its certificate judged.
                    findings.AddRange(Verify(host, where, connection.Info));
                    if (_webPki is not null && connection.Info.Certificates.Count > 0)
                    {
                        // RFC 8461 §4.1, independent of the DANE verdict; findings come from Probing/StsVerdict.
                        web = _webPki.Validate(connection.Info.Certificates, host.Name);
                    }

                    var session = new SmtpSession(connection.Stream, _settings.StepTimeout, transcript, _time);
                    if (_settings.TlsOnConnect)
                    {
                        step = ProbeStep.Greeting;
                        var banner = await session.ReadGreetingAsync(ct).ConfigureAwait(false);
                        findings.Add(Banner(banner));
                    }

                    step = ProbeStep.EhloAfterStartTls;
                    try
                    {
                        await session.EhloAsync(_settings.Helo, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or TimeoutException or IOException)
                    {
                        findings.Add(Finding.Error(FindingCodes.SmtpEhloAfterTlsFailed, $"{where}: EHLO over TLS failed: {e.Message}"));
                    }

                    await session.QuitAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            findings.Add(Classify(e, step, host.Port, where));
        }

        return Done(address, host, findings, tls, transcript, startTicks) with { WebPki = web };
    }

    private Task<TlsConnection> HandshakeAsync(Stream transport, DiscoveredHost host, CancellationToken ct) =>
        // RFC 7672 §8.1: SNI is the TLSA base domain (the Go tool sends the original name).
        _tlsClient.ConnectAsync(transport, host.TlsaBaseName ?? host.Name, ct);

    private List<Finding> Verify(DiscoveredHost host, string where, TlsHandshakeInfo info)
    {
        if (info.Certificates.Count == 0)
        {
            return [Finding.Error(FindingCodes.TlsNoCertificates, $"{where} sent no certificate in the TLS handshake")];
        }

        var findings = new List<Finding>();
        var now = _time.GetUtcNow();
        if (host.TlsaOutcome == TlsaLookupOutcome.Usable)
        {
            var result = DaneVerifier.Verify(new DaneVerificationRequest(
                host.Name,
                host.Port,
                info.Certificates,
                host.UsableTlsa,
                host.ReferenceNames,
                now,
                _settings.ExpirationWarning));
            findings.AddRange(result.Findings);
            if (_settings.RolloverCheck && RolloverCheck.Check(host.UsableTlsa, result, info.Certificates, where) is { } rollover)
            {
                findings.Add(rollover);
            }

            findings.AddRange(OcspFindings(info, () => result.Verified ? result.LeafIssuer : LeafIssuer.Find(info.Certificates), now, where));
        }
        else
        {
            findings.Add(Finding.Error(
                FindingCodes.DaneNotVerified,
                $"{where}: certificate not verified: DANE is not in effect for this host (see its TLSA findings)"));
            findings.AddRange(OcspFindings(info, () => LeafIssuer.Find(info.Certificates), now, where));
        }

        return findings;
    }

    /// <summary>
    /// A staple is always checked when present (a revoked certificate is an error whatever the
    /// flags); its absence is an error only with -expect-ocsp, as in the Go tool.
    /// </summary>
    /// <remarks>The issuer is looked for only when there is a staple to check (a signature check per probe otherwise).</remarks>
    private IReadOnlyList<Finding> OcspFindings(TlsHandshakeInfo info, Func<byte[]?> issuer, DateTimeOffset now, string where) =>
        OcspStapleChecker.Check(info.OcspStaple, info.Certificates[0], info.OcspStaple is { Length: > 0 } ? issuer() : null, now, _settings.ExpectOcsp, where).Findings;

    private AddressResult Done(IPAddress address, DiscoveredHost host, List<Finding> findings, TlsSummary? tls, SmtpTranscript transcript, long startTicks) =>
        new(address, host.Port, findings, tls, _time.GetElapsedTime(startTicks), [.. transcript.Entries], transcript.IsTruncated);

    private static TlsSummary Summarize(TlsHandshakeInfo info) =>
        new(info.Version, info.CipherSuite, info.Certificates, info.OcspStaple, info.HandshakeTime);

    private static Finding Banner(SmtpReply reply) =>
        Finding.Info(FindingCodes.SmtpBanner, $"server greeting: {reply.Code} {string.Join(" / ", reply.Lines)}");

    /// <summary>One sentence per failure, naming the step and the place (Postfix's tls_log_verify_error style).</summary>
    private Finding Classify(Exception e, ProbeStep step, int port, string where) => e switch
    {
        TimeoutException when step == ProbeStep.Connecting =>
            Finding.Error(FindingCodes.ConnectTimeout, $"{where}: {e.Message}; check that the server is up and port {port} is reachable"),
        ConnectException c when c.ViaProxy =>
            Finding.Error(FindingCodes.ProxyFailed, $"{where}: {e.Message}"),
        ConnectException =>
            Finding.Error(FindingCodes.ConnectFailed, $"{where}: {e.Message}"),
        TimeoutException when step == ProbeStep.TlsHandshake =>
            Finding.Error(FindingCodes.TlsTimeout, $"{where}: {e.Message}"),
        TimeoutException =>
            Finding.Error(FindingCodes.SmtpTimeout, $"{where}: {e.Message}" + (_settings.TlsOnConnect ? "" : "; if this port expects TLS on connect, use -tls-on-connect")),
        TlsHandshakeException { Failure: TlsHandshakeFailure.EmptyCertificateList } =>
            Finding.Error(FindingCodes.TlsNoCertificates, $"{where}: {e.Message}"),
        TlsHandshakeException =>
            Finding.Error(FindingCodes.TlsFailed, $"{where}: {e.Message}"),
        SmtpCommandException when step == ProbeStep.Greeting =>
            Finding.Error(FindingCodes.SmtpBannerRejected, $"{where}: {e.Message}"),
        SmtpCommandException when step == ProbeStep.Ehlo =>
            Finding.Error(FindingCodes.SmtpEhloRejected, $"{where}: {e.Message}"),
        SmtpCommandException when step == ProbeStep.StartTls =>
            Finding.Error(FindingCodes.SmtpStartTlsRejected, $"{where}: {e.Message}"),
        SmtpProtocolException { ConnectionClosed: true } =>
            Finding.Error(FindingCodes.SmtpClosed, $"{where}: {step.Describe()}: {e.Message}"),
        SmtpCommandException or SmtpProtocolException =>
            Finding.Error(FindingCodes.SmtpProtocol, $"{where}: {step.Describe()}: {e.Message}"),
        IOException =>
            Finding.Error(FindingCodes.SmtpClosed, $"{where}: connection lost during {step.Describe()}: {e.Message}"),
        _ =>
            Finding.Error(FindingCodes.RunInternalError, $"{where}: unexpected failure during {step.Describe()}: {e.GetType().Name}: {e.Message}"),
    };
}
