namespace SmtpDane.Fuzz;

/// <summary>
/// One thing to fuzz: <see cref="Run"/> feeds it an input and checks its properties, throwing
/// <see cref="PropertyException"/> when one breaks; <see cref="Allowed"/> says which exceptions
/// the code under test documents (everything else is a failure).
/// </summary>
internal sealed record FuzzTarget(string Name, Func<byte[], Task> Run, Func<Exception, bool> Allowed, byte[][] Dictionary, int MaxInputLength = 4096);
