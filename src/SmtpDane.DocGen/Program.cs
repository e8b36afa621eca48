using SmtpDane.Cli;

// smtpdane-docgen man DATE     smtpdane(1) for the version compiled in, dated DATE (YYYY-MM-DD)
// smtpdane-docgen bash-completion
switch (args)
{
    case ["man", var date]:
        Console.Out.Write(ManPage.Build(VersionText.Version, date));
        return 0;
    case ["bash-completion"]:
        Console.Out.Write(BashCompletion.Build());
        return 0;
    default:
        Console.Error.WriteLine("usage: smtpdane-docgen man YYYY-MM-DD | bash-completion");
        return 2;
}
