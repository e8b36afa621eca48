using System.Globalization;
using SmtpDane.Fuzz;

// smtpdane fuzz [--seconds N] [--corpus DIR] [--crashes DIR] [--seed N] [--target NAME]...
// N seconds are shared by the targets; exit 1 when any target found a failure.
var seconds = 60.0;
var corpus = Path.Combine("fuzz", "corpus");
var crashes = Path.Combine("fuzz", "crashes");
var seed = 20240601;
var only = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--seconds" when value is not null:
            seconds = double.Parse(value, CultureInfo.InvariantCulture);
            i++;
            break;
        case "--corpus" when value is not null:
            corpus = value;
            i++;
            break;
        case "--crashes" when value is not null:
            crashes = value;
            i++;
            break;
        case "--seed" when value is not null:
            seed = int.Parse(value, CultureInfo.InvariantCulture);
            i++;
            break;
        case "--target" when value is not null:
            only.Add(value);
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"usage: SmtpDane.Fuzz [--seconds N] [--corpus DIR] [--crashes DIR] [--seed N] [--target NAME]...; known targets: {string.Join(", ", Targets.All.Select(t => t.Name))}");
            return 2;
    }
}

var targets = Targets.All.Where(t => only.Count == 0 || only.Contains(t.Name)).ToList();
var failed = false;
var budget = TimeSpan.FromSeconds(seconds / Math.Max(1, targets.Count));
foreach (var target in targets)
{
    var summary = await new Fuzzer(target, Path.Combine(corpus, target.Name), crashes, seed).RunAsync(budget);
    Console.WriteLine(summary);
    failed |= summary.UniqueFailures > 0;
}

return failed ? 1 : 0;
