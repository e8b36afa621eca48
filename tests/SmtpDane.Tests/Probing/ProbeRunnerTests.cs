using System.Net;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Tests.Cli;
using SmtpDane.Tests.Discovery;

namespace SmtpDane.Tests.Probing;

public class ProbeRunnerTests
{
    private static readonly TlsaRecord Ee = new(3, 1, 1, Enumerable.Repeat((byte)0xab, 32).ToArray());

    /// <summary>Refuses every connect, so a probe ends at once with connect.failed.</summary>
    private sealed class RefusingConnector : IConnector
    {
        public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct) =>
            Task.FromException<Stream>(new ConnectException($"connection to {address}:{port} refused"));
    }

    [Fact]
    public async Task RunAsync_RequestsOfDifferentModes_EachKeepsItsOwnModeAndTls()
    {
        var dns = new FakeDnsResolver();
        dns.Mx("a.example", DnsSecurity.Secure, new MxRecord(10, "mx.a.example"));
        foreach (var name in new[] { "mx.a.example", "smtps.b.example" })
        {
            dns.A(name, DnsSecurity.Secure, "192.0.2.25");
            dns.Aaaa(name, DnsSecurity.Secure);
        }

        dns.Tlsa("_25._tcp.mx.a.example", DnsSecurity.Secure, Ee);
        dns.Tlsa("_465._tcp.smtps.b.example", DnsSecurity.Secure, Ee);
        ProbeRequest[] requests =
        [
            new(new Target("a.example", TargetMode.Mx, "a.example", null), null, TlsOnConnect: false, MtaSts: false),
            new(new Target("smtps.b.example:465", TargetMode.Host, "smtps.b.example", 465), null, TlsOnConnect: true, MtaSts: false),
        ];

        // The run's settings say Host and STARTTLS: only the requests may decide per target.
        var runner = new ProbeRunner(dns, new RefusingConnector(), new ProbeSettings(), null, TimeProvider.System);
        var result = await runner.RunAsync(requests, CancellationToken.None);

        Assert.Equal(["a.example", "smtps.b.example:465"], result.Targets.Select(t => t.Target.Argument));
        var mx = Assert.Single(result.Targets[0].Hosts);
        Assert.Equal(("mx.a.example", 25, false), (mx.Name, mx.Port, mx.TlsOnConnect));
        var host = Assert.Single(result.Targets[1].Hosts);
        Assert.Equal(("smtps.b.example", 465, true), (host.Name, host.Port, host.TlsOnConnect));
        Assert.All(result.Targets, t => Assert.Contains(t.Hosts.Single().Addresses.Single().Findings, f => f.Code == FindingCodes.ConnectFailed));
    }

    [Fact]
    public void CommandLine_Submissions_OneTypedRequestPerArgument()
    {
        var options = CliTestHelper.Ok("-submissions", "example.org", "example.net:1465");

        Assert.Equal(2, options.Requests.Count);
        Assert.All(options.Requests, r => Assert.Equal(("submissions", true, false, TargetMode.Srv), (r.SrvService, r.TlsOnConnect, r.MtaSts, r.Target.Mode)));
        Assert.Equal(1465, options.Requests[1].Target.Port);
    }
}
