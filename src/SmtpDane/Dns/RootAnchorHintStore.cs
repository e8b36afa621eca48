using System.Net;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Dns;

/// <summary>
/// Gives ARSoft's validator our root anchors instead of its built-in list (which lacks KSK-2024,
/// 38696). No root servers: the stub resolver only asks the configured recursive resolvers.
/// </summary>
internal sealed class RootAnchorHintStore(IReadOnlyList<TrustAnchor> anchors) : IResolverHintStore
{
    public IReadOnlyList<IPAddress> RootServers { get; } = [];

    public IReadOnlyList<DsRecord> RootKeys { get; } = [.. anchors.Select(TrustAnchors.ToDsRecord)];
}
