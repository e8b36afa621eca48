using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Dane;

/// <summary>
/// -rollover-check: is there room in the TLSA RRset for the next key? RFC 7671 §8 wants the next
/// key published before it is used: "current + next" DANE-EE records (§8.1), or a DANE-EE record
/// beside a DANE-TA record for the issuer (§8.4), so that a leaf key change breaks nothing. The
/// warning fires when verification succeeded but every usable record is a DANE-EE record matching
/// today's leaf: the first key change would make every DANE sender defer mail. Off by default.
/// </summary>
public static class RolloverCheck
{
    /// <param name="usable">The host's usable TLSA records (RFC 7672 §3.1.3).</param>
    /// <param name="verification">The result of <see cref="DaneVerifier.Verify"/> for this server.</param>
    /// <param name="chain">The chain as sent, leaf first: the issuer, if sent, yields a 2 1 1 suggestion.</param>
    /// <param name="where">"host"[address]:port, for the message.</param>
    /// <returns>Null when there is room or verification failed (other findings cover that).</returns>
    public static Finding? Check(IReadOnlyList<TlsaRecord> usable, DaneVerification verification, IReadOnlyList<byte[]> chain, string where)
    {
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(verification);
        ArgumentNullException.ThrowIfNull(chain);
        if (!verification.Verified || usable.Count == 0
            || usable.Any(r => r.Usage != (byte)TlsaUsage.DaneEe)
            || !usable.All(r => verification.MatchedRecords.Contains(r)))
        {
            return null;
        }

        var records = string.Join(", ", usable.Select(r => r.ToString()));
        var ta = IssuerRecord(chain);
        var suggestion = ta is null
            ? "publish \"3 1 1 <next key's SPKI SHA-256>\" beside the current record before the key changes (RFC 7671 section 8.1), or add a \"2 1 1\" record for the issuing CA (section 8.4)"
            : $"publish \"3 1 1 <next key's SPKI SHA-256>\" beside the current record before the key changes (RFC 7671 section 8.1), or add \"{ta}\" for the issuing CA the server sends (section 8.4)";
        var data = new Dictionary<string, string> { ["records"] = records };
        if (ta is not null)
        {
            data["suggested"] = ta;
        }

        return Finding.Warning(
            FindingCodes.DaneNoRolloverRoom,
            $"the TLSA records for {where} leave no room for a key rollover: every usable record ({records}) matches today's certificate, so a new key would fail DANE for every sender; {suggestion}",
            data);
    }

    private static string? IssuerRecord(IReadOnlyList<byte[]> chain)
    {
        if (chain.Count < 2)
        {
            return null;
        }

        try
        {
            return $"2 1 1 {Convert.ToHexStringLower(TlsaMatcher.AssociationData(chain[1], 1, 1))}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A malformed issuer is reported elsewhere; just leave out the 2 1 1 suggestion.
            return null;
        }
    }
}
