using Org.BouncyCastle.Tls;
using SmtpDane.Tls;

namespace SmtpDane.Tests.Tls;

public class HandshakeCaptureTests
{
    private static readonly byte[] Leaf = [0x30, 0x01, 0xaa];
    private static readonly byte[] Root = [0x30, 0x01, 0xbb];
    private static readonly byte[] Ocsp = [0x30, 0x03, 0x0a, 0x01, 0x00];

    [Fact]
    public void OnCertificate_Tls13WithStatusRequest_KeepsChainAndStapleExactly()
    {
        var capture = new HandshakeCapture(32, 65536);
        var status = Concat([1], U24(Ocsp.Length), Ocsp);
        var leafExtensions = Concat(U16(5), U16(status.Length), status);

        capture.OnCertificate(Tls13Message(Entry(Leaf, leafExtensions), Entry(Root, [])), tls13: true);

        Assert.Equal([Leaf, Root], capture.Certificates);
        Assert.Equal(Ocsp, capture.OcspStaple);
    }

    [Fact]
    public void OnCertificate_Tls13StapleOnIntermediateOnly_IsIgnored()
    {
        var capture = new HandshakeCapture(32, 65536);
        var status = Concat([1], U24(Ocsp.Length), Ocsp);

        capture.OnCertificate(Tls13Message(Entry(Leaf, []), Entry(Root, Concat(U16(5), U16(status.Length), status))), tls13: true);

        Assert.Null(capture.OcspStaple);
    }

    [Fact]
    public void OnCertificate_Tls13StapleLengthOverrunsExtension_IsIgnored()
    {
        var capture = new HandshakeCapture(32, 65536);
        var status = Concat([1], U24(Ocsp.Length + 10), Ocsp);

        capture.OnCertificate(Tls13Message(Entry(Leaf, Concat(U16(5), U16(status.Length), status))), tls13: true);

        Assert.Equal([Leaf], capture.Certificates);
        Assert.Null(capture.OcspStaple);
    }

    [Fact]
    public void OnCertificate_TruncatedMessage_LeavesItToBouncyCastle()
    {
        var capture = new HandshakeCapture(32, 65536);

        capture.OnCertificate([0, 0, 0, 9, 0, 0, 5, 0x30], tls13: false);

        Assert.Null(capture.Certificates);
        Assert.Null(capture.Failure);
    }

    [Fact]
    public void OnCertificate_EmptyList_FailsDistinctly()
    {
        var capture = new HandshakeCapture(32, 65536);

        var alert = Assert.Throws<TlsFatalAlert>(() => capture.OnCertificate([0, 0, 0], tls13: false));

        Assert.Equal(AlertDescription.decode_error, alert.AlertDescription);
        Assert.Equal(TlsHandshakeFailure.EmptyCertificateList, capture.Failure?.Failure);
    }

    [Fact]
    public void OnCertificateStatus_Ocsp_KeepsResponseExactly()
    {
        var capture = new HandshakeCapture(32, 65536);

        capture.OnCertificateStatus(Concat([1], U24(Ocsp.Length), Ocsp));

        Assert.Equal(Ocsp, capture.OcspStaple);
    }

    private static byte[] Tls13Message(params byte[][] entries)
    {
        var list = Concat(entries);
        return Concat([0], U24(list.Length), list);
    }

    private static byte[] Entry(byte[] der, byte[] extensions) => Concat(U24(der.Length), der, U16(extensions.Length), extensions);

    private static byte[] U16(int n) => [(byte)(n >> 8), (byte)n];

    private static byte[] U24(int n) => [(byte)(n >> 16), (byte)(n >> 8), (byte)n];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
