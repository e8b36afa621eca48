using System.Net;

namespace SmtpDane.Net;

/// <summary>
/// Opens a TCP stream to an address, directly or through a proxy. Throws
/// <see cref="ConnectException"/> with an operator-readable message on failure and
/// <see cref="TimeoutException"/> when the connect timeout fired (as opposed to
/// <see cref="OperationCanceledException"/> when the caller cancelled).
/// </summary>
public interface IConnector
{
    Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct);
}
