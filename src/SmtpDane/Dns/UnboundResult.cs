using System.Runtime.InteropServices;

namespace SmtpDane.Dns;

/// <summary>
/// <c>struct ub_result</c> of unbound.h (1.17), field for field: C <c>int</c> is 32 bits, pointers
/// native. Only read inside the callback, before <c>ub_resolve_free</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UnboundResult
{
    public IntPtr QName;
    public int QType;
    public int QClass;
    public IntPtr Data;
    public IntPtr Len;
    public IntPtr CanonName;
    public int Rcode;
    public IntPtr AnswerPacket;
    public int AnswerLen;
    public int HaveData;
    public int NxDomain;
    public int Secure;
    public int Bogus;
    public IntPtr WhyBogus;
    public int WasRateLimited;
    public int Ttl;
}
