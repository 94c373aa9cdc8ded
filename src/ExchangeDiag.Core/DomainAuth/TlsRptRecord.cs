using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>The _smtp._tls TXT record of a domain (RFC 8460 §3), parsed.</summary>
internal sealed class TlsRptRecord
{
    internal const int MaxDestinations = 20;

    private TlsRptRecord(IReadOnlyList<string> destinations, BoundedProblems errors, bool destinationsCut)
    {
        Destinations = destinations;
        Errors = errors;
        DestinationsCut = destinationsCut;
    }

    /// <summary>True when rua= lists more than <see cref="MaxDestinations"/> URIs: the rest was not read.</summary>
    public bool DestinationsCut { get; }

    /// <summary>The valid rua URIs (mailto: or https:), in their order.</summary>
    public IReadOnlyList<string> Destinations { get; }

    /// <summary>The syntax errors, in English for the trace; empty when the record is valid.</summary>
    public BoundedProblems Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>True for a TXT record reporting senders consider: one that begins with v=TLSRPTv1.</summary>
    public static bool IsTlsRptRecord(string text)
        => text.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)
           && (text.Length == 10 || text[10] == ';' || text[10] == ' ' || text[10] == '\t');

    public static TlsRptRecord Parse(string text)
    {
        var errors = new BoundedProblems();
        var destinations = new List<string>();
        string[] fields = text.Split(';');
        if (fields[0].Trim(' ', '\t') != "v=TLSRPTv1")
        {
            errors.Add(Texts.MtaSts["Rpt_NoVersion"]);
        }

        bool sawRua = false;
        bool cut = false;
        foreach (string raw in fields.Skip(1).Take(32))
        {
            string field = raw.Trim(' ', '\t');
            if (field.Length == 0)
            {
                continue;
            }

            int equals = field.IndexOf('=');
            if (equals <= 0)
            {
                errors.Add(Texts.MtaSts.Format("Record_NotField", MtaStsRecord.Short(field)));
                continue;
            }

            if (field.Substring(0, equals) != "rua")
            {
                // Extensions (§3: tlsrpt-extension) are allowed and ignored.
                continue;
            }

            if (sawRua)
            {
                errors.Add(Texts.MtaSts["Rpt_RuaTwice"]);
                continue;
            }

            sawRua = true;
            // At most MaxDestinations URIs are read: the split stops there, and the rest of the
            // value (a 60 KB "rua=,,,,..." included) is one unread remainder, not thousands of errors.
            string[] uris = field.Substring(equals + 1).Split(new[] { ',' }, MaxDestinations + 1);
            cut = uris.Length > MaxDestinations;
            foreach (string uri in uris.Take(MaxDestinations).Select(u => u.Trim(' ', '\t')))
            {
                if (!IsDestination(uri))
                {
                    errors.Add(Texts.MtaSts.Format("Rpt_BadDestination", MtaStsRecord.Short(uri)));
                }
                else if (destinations.Count < MaxDestinations)
                {
                    destinations.Add(uri);
                }
            }
        }

        if (!sawRua)
        {
            errors.Add(Texts.MtaSts["Rpt_NoRua"]);
        }

        return new TlsRptRecord(destinations, errors, cut);
    }

    private static bool IsDestination(string uri)
    {
        if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            string address = uri.Substring("mailto:".Length);
            int at = address.LastIndexOf('@');
            return at > 0 && at < address.Length - 1 && address.IndexOf('@') == at && !address.Any(c => c <= ' ' || c > '~');
        }

        return uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
               && Uri.TryCreate(uri, UriKind.Absolute, out Uri? url) && url.Host.Length > 0 && !uri.Any(c => c <= ' ' || c > '~');
    }
}
