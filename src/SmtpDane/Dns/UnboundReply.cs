using System.Runtime.InteropServices;

namespace SmtpDane.Dns;

/// <summary>
/// A managed copy of one <c>ub_result</c>: libunbound's verdict (secure, bogus with its reason, or
/// neither: insecure), the rcode and the whole answer packet, which is parsed like a resolver's
/// answer (CNAME chain included). <see cref="Failure"/> is set when libunbound gave no result.
/// </summary>
internal sealed record UnboundReply(int Rcode, bool Secure, bool Bogus, string? WhyBogus, byte[] Packet, string? Failure = null)
{
    /// <summary>Reasons longer than this are cut (libunbound's are one line, well below).</summary>
    public const int MaxReasonLength = 1000;

    public static UnboundReply Error(string failure) => new(2, false, false, null, [], failure);

    public static unsafe UnboundReply From(UnboundResult* result)
    {
        var packet = result->AnswerPacket == IntPtr.Zero || result->AnswerLen <= 0
            ? []
            : new ReadOnlySpan<byte>((void*)result->AnswerPacket, Math.Min(result->AnswerLen, ushort.MaxValue)).ToArray();
        var why = result->WhyBogus == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(result->WhyBogus);
        if (why is { Length: > MaxReasonLength })
        {
            why = why[..MaxReasonLength] + "...";
        }

        return new UnboundReply(result->Rcode, result->Secure != 0, result->Bogus != 0, why, packet);
    }
}
