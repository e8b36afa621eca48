using System.Runtime.InteropServices;

namespace SmtpDane.Dns;

/// <summary>
/// The entry points of libunbound (NLnet Labs, <c>libunbound.so.8</c>, Debian <c>libunbound8</c>)
/// that <see cref="UnboundContext"/> uses, bound at run time as unmanaged function pointers:
/// the library is loaded only when <c>-dnssec local</c> asks for it (resolver mode never needs
/// it), and function pointers need neither reflection nor marshalling stubs (NativeAOT-clean).
/// Signatures follow unbound.h (1.17); every string is NUL-terminated UTF-8.
/// </summary>
internal sealed unsafe class UnboundLibrary
{
    public const string FileName = "libunbound.so.8";

    /// <summary>The sentence an operator reads when the library is missing.</summary>
    public const string MissingMessage =
        "-dnssec local needs libunbound (NLnet Labs' validating resolver library), which is not installed: install it with \"apt install libunbound8\" (Debian/Ubuntu) or your system's unbound library package, or use -dnssec resolver";

    private static readonly Lock LoadLock = new();
    private static UnboundLibrary? _loaded;

    private UnboundLibrary(IntPtr handle)
    {
        CtxCreate = (delegate* unmanaged[Cdecl]<IntPtr>)Export(handle, "ub_ctx_create");
        CtxDelete = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export(handle, "ub_ctx_delete");
        CtxSetOption = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int>)Export(handle, "ub_ctx_set_option");
        CtxSetFwd = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export(handle, "ub_ctx_set_fwd");
        CtxAddTa = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export(handle, "ub_ctx_add_ta");
        CtxZoneRemove = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export(handle, "ub_ctx_zone_remove");
        CtxAsync = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)Export(handle, "ub_ctx_async");
        Fd = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export(handle, "ub_fd");
        Process = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export(handle, "ub_process");
        ResolveAsync = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, IntPtr, delegate* unmanaged[Cdecl]<IntPtr, int, UnboundResult*, void>, int*, int>)Export(handle, "ub_resolve_async");
        Cancel = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)Export(handle, "ub_cancel");
        ResolveFree = (delegate* unmanaged[Cdecl]<UnboundResult*, void>)Export(handle, "ub_resolve_free");
        StrError = (delegate* unmanaged[Cdecl]<int, byte*>)Export(handle, "ub_strerror");
        Version = (delegate* unmanaged[Cdecl]<byte*>)Export(handle, "ub_version");
    }

    public delegate* unmanaged[Cdecl]<IntPtr> CtxCreate { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, void> CtxDelete { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int> CtxSetOption { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int> CtxSetFwd { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int> CtxAddTa { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int> CtxZoneRemove { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, int, int> CtxAsync { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, int> Fd { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, int> Process { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int, int, IntPtr, delegate* unmanaged[Cdecl]<IntPtr, int, UnboundResult*, void>, int*, int> ResolveAsync { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, int, int> Cancel { get; }

    public delegate* unmanaged[Cdecl]<UnboundResult*, void> ResolveFree { get; }

    public delegate* unmanaged[Cdecl]<int, byte*> StrError { get; }

    public delegate* unmanaged[Cdecl]<byte*> Version { get; }

    /// <summary>Loads the library once per process.</summary>
    /// <exception cref="UnboundUnavailableException">Not installed, or too old (an entry point is missing).</exception>
    public static UnboundLibrary Load()
    {
        lock (LoadLock)
        {
            if (_loaded is not null)
            {
                return _loaded;
            }

            if (!NativeLibrary.TryLoad(FileName, out var handle))
            {
                throw new UnboundUnavailableException(MissingMessage);
            }

            _loaded = new UnboundLibrary(handle);
            return _loaded;
        }
    }

    /// <summary>libunbound's text for an error code (UB_NOMEM, UB_SYNTAX, ...).</summary>
    public string ErrorText(int code) => Utf8(StrError(code)) ?? $"error {code}";

    public static string? Utf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((IntPtr)text);

    private static IntPtr Export(IntPtr handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new UnboundUnavailableException($"{FileName} lacks {name}: it is too old for -dnssec local; install libunbound8 1.17 or later (\"apt install libunbound8\")");
}
