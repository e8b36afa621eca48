using SmtpDane.Tests.Dns;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>Whatever the arguments, the program ends with one clear message, never a stack trace or a false 0.</summary>
public class InvariantTests
{
    public static TheoryData<string[]> HostileArguments() =>
    [
        ["[::1"],
        ["mx.fault.test:99999"],
        ["mx.fault.test:-1"],
        ["mx.fault.test:smtp(26)"],
        ["-timeout", "-5s", "mx.fault.test"],
        ["-timeout", "9999999999h", "mx.fault.test"],
        ["-step-timeout", "0s", "mx.fault.test"],
        ["-proxy-tcp", "http://127.0.0.1:1", "mx.fault.test"],
        ["-proxy-tcp", "socks5://:0", "mx.fault.test"],
        ["-proxy-tcp", "socks5://.", "mx.fault.test"],
        ["-port", "\u001b[31m", "mx.fault.test"],
        ["-helo", "bad helo\r\nMAIL FROM:<x>", "mx.fault.test"],
        ["-mx", ""],
        ["-srv", "", "fault.test"],
        ["\u0000"],
        [new string('a', 70000)],
        ["-nagios", "-json", "x"],
        [],
    ];

    [Theory]
    [MemberData(nameof(HostileArguments))]
    public async Task HostileArguments_NoCrashNoStackTraceNoFalseOk(string[] args)
    {
        await using var silentDns = new FakeDnsServer(q => q.Name == FaultBed.Host ? FakeDnsServer.Reply(ARSoft.Tools.Net.Dns.ReturnCode.Refused, false) : null);

        var r = await FaultBed.RunWithResolverAsync("hostile arguments", silentDns.EndPoint.ToString(), ["-timeout", "5s", .. args]);

        Assert.NotEqual(0, r.Run.ExitCode);
        Assert.DoesNotContain('\u001b', r.Run.Stdout + r.Run.Stderr);
    }
}
