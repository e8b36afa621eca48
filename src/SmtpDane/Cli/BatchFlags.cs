using System.Globalization;
using SmtpDane.Batch;
using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary>Validates the batch (-f, -parallel, -dns-parallel, -shard) and serve (-listen, -cache-ttl) flags.</summary>
internal static class BatchFlags
{
    public const int MaxParallel = 4096;

    public static BatchOptions? BuildBatch(RawFlags raw, bool hostsGiven, ServiceTable services, List<string> errors)
    {
        if (raw.List("allow-targets").Count > 0 || raw.Given("max-connections"))
        {
            errors.Add("-allow-targets and -max-connections are for serve");
        }

        var parallel = Count(raw, "parallel", errors);
        var dnsParallel = Count(raw, "dns-parallel", errors);
        var shard = ShardSpec.All;
        if (raw.String("shard") is { } shardText && !ShardSpec.TryParse(shardText, out shard, out var shardError))
        {
            errors.Add($"invalid -shard {GoDuration.Quote(shardText)}: {shardError}");
        }

        if (raw.String("f") is not { } file)
        {
            foreach (var name in new[] { "dns-parallel", "shard" })
            {
                if (raw.Given(name))
                {
                    errors.Add($"-{name} needs -f");
                }
            }

            return null;
        }

        if (file.Length == 0)
        {
            errors.Add("-f needs a file name, or - for standard input");
        }

        if (hostsGiven)
        {
            errors.Add("-f and host arguments conflict: put every target in the file");
        }

        if (raw.Bool("json"))
        {
            errors.Add("-f and -json conflict: a batch streams its results; use -json-lines");
        }

        if (raw.Bool("nagios"))
        {
            errors.Add("-f and -nagios conflict: a Nagios check covers one target; run one check per target");
        }

        return new BatchOptions(file, parallel, dnsParallel, shard, services);
    }

    public static ServeOptions BuildServe(RawFlags raw, List<string> errors)
    {
        var listen = raw.Text("listen");
        if (!TrySplitListen(listen, out _, out _))
        {
            errors.Add($"invalid -listen {GoDuration.Quote(listen)}: expected address:port, e.g. 127.0.0.1:9125 or [::1]:9125");
        }

        var ttl = raw.Duration("cache-ttl");
        if (ttl < TimeSpan.Zero || ttl > TimeSpan.FromHours(24))
        {
            errors.Add($"-cache-ttl must be between 0s (no cache) and 24h, not {GoDuration.Format(ttl)}");
        }

        foreach (var name in new[] { "f", "shard", "dns-parallel" })
        {
            if (raw.Given(name))
            {
                errors.Add($"-{name} is for batch runs, not serve");
            }
        }

        if (!Exporter.TargetAllowList.TryParse(raw.List("allow-targets"), out var allow, out var allowError))
        {
            errors.Add(allowError);
        }

        var maxText = raw.Text("max-connections");
        if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var maxConnections) || maxConnections is < 1 or > 65536)
        {
            errors.Add($"invalid -max-connections {GoDuration.Quote(maxText)}: expected a whole number from 1 to 65536");
        }

        return new ServeOptions(listen, Count(raw, "parallel", errors), ttl, allow, maxConnections);
    }

    /// <summary>host:port, [v6]:port, *:port.</summary>
    internal static bool TrySplitListen(string listen, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = listen[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            return HostName.TryParseIPv6(host, out _);
        }

        return host is "*" or "localhost" || HostName.TryParseIPv4(host, out _);
    }

    /// <summary>-parallel, -dns-parallel: the value given or the table's default, checked alike.</summary>
    private static int Count(RawFlags raw, string name, List<string> errors)
    {
        var text = raw.Text(name);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxParallel)
        {
            errors.Add($"invalid -{name} {GoDuration.Quote(text)}: expected a whole number from 1 to {MaxParallel}");
            return 1;
        }

        return n;
    }
}
