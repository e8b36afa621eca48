using System.Globalization;
using SmtpDane.Cli;
using SmtpDane.Model;
using SmtpDane.Targets;

namespace SmtpDane.Tests.Cli;

/// <summary>
/// The flag table is the only place a default is written: -help shows it, the parser applies it,
/// and changing it in the table changes what the program does. Checked by behaviour (parsed
/// options), not by reading source.
/// </summary>
public class FlagTableTests
{
    private static readonly ServiceTable Services = ServiceTable.FromText(CliTestHelper.Services);

    public static TheoryData<string> FlagsWithDefaults()
    {
        var data = new TheoryData<string>();
        foreach (var flag in FlagDefinition.All.Where(f => f.Default is not null))
        {
            data.Add(flag.Name);
        }

        return data;
    }

    public static TheoryData<string> OwnDefaults()
    {
        var data = new TheoryData<string>();
        foreach (var flag in FlagDefinition.All.Where(f => f.Default is not null && f.AliasOf is null))
        {
            data.Add(flag.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FlagsWithDefaults))]
    public void DefaultShownInHelp_GivenExplicitly_SameOptionsAsLeavingItOut(string name)
    {
        var flag = FlagDefinition.Find(name)!;
        var shown = ShownDefault(HelpText.Build(), flag);
        var typed = flag.Kind == FlagKind.String ? Unquote(shown) : shown;

        var left = Describe(Parse(FlagDefinition.All, Context(flag)));
        var given = Describe(Parse(FlagDefinition.All, [$"-{name}={typed}", .. Context(flag)]));

        Assert.Equal(left, given);
    }

    [Theory]
    [MemberData(nameof(OwnDefaults))]
    public void DefaultChangedInTable_ChangesParsedOptions_AsGivingThatValue(string name)
    {
        var flag = FlagDefinition.Find(name)!;
        var other = OtherValue(flag);
        var table = FlagDefinition.All.Select(f => f.Name == name ? f with { Default = other } : f).ToList();

        var before = Describe(Parse(FlagDefinition.All, Context(flag)));
        var changed = Describe(Parse(table, Context(flag)));
        var given = Describe(Parse(FlagDefinition.All, [$"-{name}={other}", .. Context(flag)]));

        // A default kept anywhere but the table (a literal in OptionsBuilder, BatchFlags) would
        // leave "changed" equal to "before".
        Assert.NotEqual(before, given);
        Assert.Equal(given, changed);
    }

    [Fact]
    public void ProbeSettingsRecordDefaults_AreTheCommandLineDefaults()
    {
        // Tests and Probing build ProbeSettings without the CLI; its initializers must not drift.
        var parsed = CliTestHelper.Ok("example.org").Probe;
        var record = new ProbeSettings() with { AkaNames = parsed.AkaNames, CaFiles = parsed.CaFiles };

        Assert.Equal(record, parsed);
    }

    [Fact]
    public void Table_DefaultsAreWellFormed_AliasesPointAtFlags()
    {
        foreach (var flag in FlagDefinition.All)
        {
            switch (flag.Kind)
            {
                case FlagKind.Duration:
                    Assert.True(flag.Default is not null, $"-{flag.Name}: a duration flag needs a default");
                    Assert.Equal(flag.DefaultDuration, GoDuration.TryParse(flag.DefaultShown!, out var back, out _) ? back : TimeSpan.MinValue);
                    break;
                case FlagKind.Int when flag.Default is not null:
                    Assert.True(int.TryParse(flag.Default, NumberStyles.None, CultureInfo.InvariantCulture, out _), $"-{flag.Name}");
                    break;
                case FlagKind.Bool or FlagKind.List:
                    Assert.Null(flag.Default);
                    break;
            }

            if (flag.AliasOf is { } target)
            {
                var real = FlagDefinition.Find(target);
                Assert.NotNull(real);
                Assert.Null(real.AliasOf);
                Assert.Equal((real.Kind, real.Default), (flag.Kind, flag.Default));
            }
        }
    }

    [Fact]
    public void Alias_SharesSlot_LastGivenWins()
    {
        Assert.Equal(26, CliTestHelper.Ok("-port", "25", "-p", "26", "example.org").Probe.DefaultPort);
        Assert.Equal(25, CliTestHelper.Ok("-p", "26", "-port", "25", "example.org").Probe.DefaultPort);
    }

    /// <summary>Arguments under which the flag is used: serve, a batch (-f), or one host.</summary>
    private static string[] Context(FlagDefinition flag) => flag.Slot switch
    {
        "cache-ttl" or "listen" or "max-connections" => ["serve"],
        "dns-parallel" or "parallel" => ["-f", "targets.txt"],
        _ => ["example.org"],
    };

    private static ParseResult Parse(IReadOnlyList<FlagDefinition> table, string[] args)
    {
        // "serve" is a subcommand: it must come first.
        if (args.Contains("serve"))
        {
            args = ["serve", .. args.Where(a => a != "serve")];
        }

        var result = ArgumentParser.Parse(args, null, false, Services, table);
        Assert.True(result.Outcome == ParseOutcome.Run, $"{string.Join(' ', args)}: {result.Outcome} {result.Error}");
        return result;
    }

    /// <summary>Records print their values (nested records too), so equal text means equal settings.</summary>
    private static string Describe(ParseResult result) => result.Options!.ToString();

    /// <summary>Another valid value: durations one second longer, counts one less, strings from a list.</summary>
    private static string OtherValue(FlagDefinition flag) => flag.Kind switch
    {
        FlagKind.Duration => GoDuration.Format(flag.DefaultDuration + TimeSpan.FromSeconds(1)),
        FlagKind.Int => (int.Parse(flag.Default!, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture),
        _ => flag.Name switch
        {
            "dnssec" => "local",
            "helo" => "other.invalid",
            "listen" => "127.0.0.1:9126",
            "port" => "submission",
            _ => throw new InvalidOperationException($"-{flag.Name}: add another valid value for this test"),
        },
    };

    /// <summary>The text after "(default " on the flag's help entry.</summary>
    private static string ShownDefault(string help, FlagDefinition flag)
    {
        var entry = help.Split("\n  -").Single(e => e == flag.Name || e.StartsWith(flag.Name + " ", StringComparison.Ordinal) || e.StartsWith(flag.Name + "\t", StringComparison.Ordinal));
        var at = entry.LastIndexOf("(default ", StringComparison.Ordinal);
        Assert.True(at >= 0, $"-{flag.Name} has a default but help shows none");
        return entry[(at + "(default ".Length)..entry.LastIndexOf(')')];
    }

    private static string Unquote(string quoted)
    {
        Assert.StartsWith("\"", quoted, StringComparison.Ordinal);
        Assert.EndsWith("\"", quoted, StringComparison.Ordinal);
        Assert.DoesNotContain('\\', quoted);
        return quoted[1..^1];
    }
}
