using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using SmtpDane.Certificates;

namespace SmtpDane.Dane;

/// <summary>
/// "Who issued whom" among the certificates as sent, for DANE-TA(2) path building (RFC 7671
/// §5.2). Servers may send intermediates out of order or with extras, so the path is searched
/// (breadth-first, each edge checked once) rather than read off the list. An edge child → issuer
/// needs issuer/subject name chaining, basicConstraints CA=true and keyCertSign (when keyUsage is
/// present) on the issuer, and a signature that verifies with the issuer's key.
/// </summary>
internal sealed class ChainGraph(IReadOnlyList<PresentedCertificate?> certificates)
{
    private readonly Dictionary<(int Child, int Issuer), string?> _edges = [];

    public int Count => certificates.Count;

    /// <summary>Null when <paramref name="issuer"/> issued <paramref name="child"/>; else why not.</summary>
    public string? EdgeProblem(int child, int issuer)
    {
        if (_edges.TryGetValue((child, issuer), out var cached))
        {
            return cached;
        }

        var c = certificates[child];
        var i = certificates[issuer];
        string? problem;
        if (c is null)
        {
            problem = $"chain position {child} is malformed";
        }
        else if (i is null)
        {
            problem = $"chain position {issuer} is malformed";
        }
        else
        {
            problem = IssuerProblem(c.Certificate, i.Certificate, i.Certificate.GetPublicKey(), $"position {issuer}");
        }

        _edges[(child, issuer)] = problem;
        return problem;
    }

    /// <summary>Shortest path of positions from <paramref name="from"/> up to <paramref name="to"/>, or null.</summary>
    public IReadOnlyList<int>? FindPath(int from, int to)
    {
        if (from == to)
        {
            return [from];
        }

        var previous = new int[Count];
        Array.Fill(previous, -1);
        previous[from] = from;
        var queue = new Queue<int>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var child = queue.Dequeue();
            for (var issuer = 0; issuer < Count; issuer++)
            {
                if (previous[issuer] >= 0 || EdgeProblem(child, issuer) is not null)
                {
                    continue;
                }

                previous[issuer] = child;
                if (issuer == to)
                {
                    var path = new List<int> { to };
                    for (var at = to; at != from; at = previous[at])
                    {
                        path.Add(previous[at]);
                    }

                    path.Reverse();
                    return path;
                }

                queue.Enqueue(issuer);
            }
        }

        return null;
    }

    /// <summary>
    /// Why the leaf does not reach <paramref name="to"/>: the first broken link of the chain in
    /// the order sent (the usual deployment mistake is a missing or wrong intermediate).
    /// </summary>
    public string ExplainBreak(int to)
    {
        for (var k = 0; k < to; k++)
        {
            if (EdgeProblem(k, k + 1) is { } problem)
            {
                return $"chain position {k} is not issued by position {k + 1} ({problem})";
            }
        }

        return "no chain of valid signatures leads from the leaf to it";
    }

    /// <summary>
    /// Null when the key (and, if given, the certificate holding it) issued <paramref name="child"/>;
    /// else one phrase naming <paramref name="issuerLabel"/>. The issuer's own signature and dates
    /// are not looked at: a DANE-TA(2) anchor is trusted because DNSSEC says so.
    /// </summary>
    public static string? IssuerProblem(X509Certificate child, X509Certificate? issuer, AsymmetricKeyParameter issuerKey, string issuerLabel)
    {
        if (issuer is not null)
        {
            if (!child.IssuerDN.Equivalent(issuer.SubjectDN))
            {
                return $"its issuer \"{PeerText.Cap(child.IssuerDN.ToString())}\" is not the subject \"{PeerText.Cap(issuer.SubjectDN.ToString())}\" of {issuerLabel}";
            }

            if (issuer.GetBasicConstraints() < 0)
            {
                return $"{issuerLabel} is not a CA (basicConstraints CA=true is missing)";
            }

            // keyUsage bit 5 is keyCertSign (RFC 5280 §4.2.1.3).
            if (issuer.GetKeyUsage() is { } usage && (usage.Length <= 5 || !usage[5]))
            {
                return $"the keyUsage of {issuerLabel} lacks keyCertSign";
            }
        }

        try
        {
            return child.IsSignatureValid(issuerKey)
                ? null
                : $"its signature does not verify with the key of {issuerLabel}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"its signature cannot be checked with the key of {issuerLabel} ({PeerText.Cap(e.Message)})";
        }
    }
}
