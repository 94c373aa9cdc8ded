using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Commands;

internal static class HostNames
{
    /// <summary>An e-mail address with its domain in DNS form, or null with the reason.</summary>
    public static string? NormalizeEmailAddress(string input, out string? error)
    {
        string address = input.Trim();
        int at = address.LastIndexOf('@');
        if (at <= 0)
        {
            error = Texts.Commands["Input_NotAddress"];
            return null;
        }

        string? domain = DomainName.TryNormalize(address.Substring(at + 1), out string? why);
        error = domain == null ? Texts.Commands.Format("Input_NotAddressDomain", why) : null;
        return domain == null ? null : address.Substring(0, at) + "@" + domain;
    }

    /// <summary>A -Server value as a host to connect to: an IP address or a host name in DNS form.</summary>
    public static string? NormalizeServer(string input, out string? error)
    {
        error = null;
        string host = input.Trim();
        if (System.Net.IPAddress.TryParse(host, out _))
        {
            return host;
        }

        string? name = DomainName.TryNormalizeServer(host, out string? why);
        error = name == null ? Texts.Commands.Format("Input_NotServer", why) : null;
        return name;
    }

    /// <summary>
    /// A server given as host, host:port, an IPv6 address, or [IPv6]:port: the host to connect to
    /// (normalised as by <see cref="NormalizeServer"/>) and the port, null when none is given.
    /// </summary>
    public static string? NormalizeServerAndPort(string input, out int? port, out string? error)
    {
        port = null;
        string text = input.Trim();
        string host = text;
        string? portText = null;
        if (text.StartsWith("[", StringComparison.Ordinal) && text.IndexOf(']') is int close && close > 0)
        {
            host = text.Substring(1, close - 1);
            string rest = text.Substring(close + 1);
            if (rest.Length > 0)
            {
                portText = rest.StartsWith(":", StringComparison.Ordinal) ? rest.Substring(1) : rest;
            }
        }
        else if (text.IndexOf(':') is int colon && colon > 0 && colon == text.LastIndexOf(':'))
        {
            // One colon: host:port. More than one without brackets is an IPv6 address alone.
            host = text.Substring(0, colon);
            portText = text.Substring(colon + 1);
        }

        if (portText != null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || number > 65535)
            {
                error = Texts.Commands.Format("Input_BadPort", portText);
                return null;
            }

            port = number;
        }

        return NormalizeServer(host, out error);
    }

    /// <summary>
    /// The host names of a parameter in the form DNS answers carry (lower case, ASCII, no trailing
    /// dot); stops the invocation when one is not a host name.
    /// </summary>
    public static string[]? Normalize(PSCmdlet cmdlet, string parameter, params string?[]? values)
    {
        return values?.Where(v => v != null).Select(value =>
        {
            string? why = Texts.Commands["Input_IsAddress"];
            string? host = value!.IndexOf('@') >= 0 ? null : DomainName.TryNormalize(value, out why);
            if (host == null)
            {
                var exception = new ArgumentException(Texts.Commands.Format("Parameter_NotHost", parameter, value, why));
                cmdlet.ThrowTerminatingError(new ErrorRecord(exception, "Invalid" + parameter, ErrorCategory.InvalidArgument, value));
            }

            return host!;
        }).ToArray();
    }

    /// <summary>
    /// DKIM selectors in DNS form (lower case, no trailing dot, each once); stops the invocation when
    /// one is not one or more DNS labels.
    /// </summary>
    public static string[]? NormalizeDkimSelectors(PSCmdlet cmdlet, string parameter, string[]? values)
        => values?.Select(value =>
        {
            string? selector = DomainAuth.DkimCheck.TryNormalizeSelector(value);
            if (selector == null)
            {
                var exception = new ArgumentException(Texts.Commands.Format("Parameter_NotSelector", parameter, value));
                cmdlet.ThrowTerminatingError(new ErrorRecord(exception, "InvalidSelector", ErrorCategory.InvalidArgument, value));
            }

            return selector!;
        }).Distinct(StringComparer.Ordinal).ToArray();
}
