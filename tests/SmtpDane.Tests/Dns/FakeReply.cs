using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// What to send back. Null from the handler means "stay silent". <see cref="Authority"/>: the
/// authority section (NSEC/NSEC3 proofs). <see cref="WrongId"/>: the reply carries another ID
/// than the query (an off-path spoofing attempt).
/// </summary>
public sealed record FakeReply(ReturnCode Rcode, bool Ad, IReadOnlyList<FakeRr> Answers, bool Truncated = false, string? QuestionName = null, IReadOnlyList<FakeRr>? Authority = null, bool WrongId = false);
