using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>One question as the fake server saw it (parsed with ARSoft: checks our encoder too).</summary>
public sealed record FakeQuery(string Name, RecordType Type, bool Tcp, bool DnssecOk, bool RecursionDesired, ushort PayloadSize);
