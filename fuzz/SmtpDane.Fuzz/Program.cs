using System.Text;
using SharpFuzz;
using SmtpDane.Fuzz;

// Coverage-guided fuzzing with SharpFuzz under AFL++ (fuzz/run.sh drives it):
//   SmtpDane.Fuzz --afl TARGET              run TARGET under afl-fuzz (SharpFuzz's forkserver)
//   SmtpDane.Fuzz --replay TARGET FILE...   run TARGET once per FILE, print what happened; exit 1 on a failure
//   SmtpDane.Fuzz --dict TARGET             print TARGET's AFL dictionary
//   SmtpDane.Fuzz --list                    print the target names
// A failure is a broken property or an exception the code under test does not document.
if (args is ["--list"])
{
    Console.WriteLine(string.Join('\n', Targets.All.Select(t => t.Name)));
    return 0;
}

if (args is ["--afl", var name])
{
    // Under AFL the library is instrumented and its code may run only inside Fuzzer's callback
    // (that is where the coverage map exists), so the target is looked up there.
    FuzzTarget? chosen = null;
    Fuzzer.OutOfProcess.Run(stream =>
    {
        chosen ??= Targets.All.First(t => t.Name == name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        RunOne(chosen, Truncate(buffer.ToArray(), chosen.MaxInputLength));
    });
    return 0;
}

if (args.Length < 2 || Targets.All.FirstOrDefault(t => t.Name == args[1]) is not { } target)
{
    await Console.Error.WriteLineAsync($"usage: SmtpDane.Fuzz --afl|--dict TARGET | --replay TARGET FILE... | --list; targets: {string.Join(", ", Targets.All.Select(t => t.Name))}");
    return 2;
}

switch (args[0])
{
    case "--dict":
        // AFL dictionary syntax: name="value" with \xNN escapes for anything but printable ASCII.
        var n = 0;
        foreach (var token in target.Dictionary)
        {
            var text = new StringBuilder();
            foreach (var b in token)
            {
                text.Append(b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
            }

            Console.WriteLine($"t{n++}=\"{text}\"");
        }

        return 0;
    case "--replay" when args.Length > 2:
        var failed = false;
        foreach (var file in args[2..])
        {
            try
            {
                RunOne(target, Truncate(await File.ReadAllBytesAsync(file), target.MaxInputLength));
                Console.WriteLine($"{file}: ok");
            }
            catch (Exception e)
            {
                Console.WriteLine($"{file}: FAILED: {e}");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    default:
        await Console.Error.WriteLineAsync("usage: SmtpDane.Fuzz --afl|--dict TARGET | --replay TARGET FILE... | --list");
        return 2;
}

// Documented exceptions are the code working; anything else escapes, and AFL records a crash.
static void RunOne(FuzzTarget target, byte[] input)
{
    try
    {
        target.Run(input).GetAwaiter().GetResult();
    }
    catch (Exception e) when (e is not PropertyException && target.Allowed(e))
    {
    }
}

static byte[] Truncate(byte[] input, int max) => input.Length <= max ? input : input[..max];
