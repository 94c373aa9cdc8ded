using System;

namespace ExchangeDiag;

/// <summary>The [MS-OXDISCO] discovery methods, in the order clients try them.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum AutodiscoverMethod
{
    None,

    /// <summary>https://&lt;domain&gt;/autodiscover/autodiscover.xml</summary>
    DomainRoot,

    /// <summary>https://autodiscover.&lt;domain&gt;/autodiscover/autodiscover.xml</summary>
    AutodiscoverHost,

    /// <summary>An unauthenticated GET on http://autodiscover.&lt;domain&gt;/ redirected to an HTTPS URL.</summary>
    HttpRedirect,

    /// <summary>The _autodiscover._tcp.&lt;domain&gt; SRV record.</summary>
    SrvRecord,
}

/// <summary>Result of Test-ExchangeAutodiscover for one mailbox.</summary>
public sealed class AutodiscoverResult : CheckResult
{
    internal AutodiscoverResult(string emailAddress)
        : base("Autodiscover", emailAddress)
    {
        EmailAddress = emailAddress;
    }

    public string EmailAddress { get; }

    /// <summary>The method that yielded the settings.</summary>
    public AutodiscoverMethod Method { get; internal set; }

    /// <summary>The Autodiscover URL that answered with settings.</summary>
    public string? Url { get; internal set; }

    public string? EwsUrl { get; internal set; }

    public string? OwaUrl { get; internal set; }

    /// <summary>The mailbox's Exchange server, from the EXCH protocol.</summary>
    public string? Server { get; internal set; }

    /// <summary>How many redirects (redirectAddr and redirectUrl) were followed.</summary>
    public int Redirects { get; internal set; }

    /// <summary>The EWS URL that the unauthenticated JSON (v2) endpoint gives, when it answered.</summary>
    public string? JsonEwsUrl { get; internal set; }

    /// <summary>The URLs come from the server's answer to an authenticated request.</summary>
    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Url = CleanOrNull(Url, clean);
        EwsUrl = CleanOrNull(EwsUrl, clean);
        OwaUrl = CleanOrNull(OwaUrl, clean);
        Server = CleanOrNull(Server, clean);
        JsonEwsUrl = CleanOrNull(JsonEwsUrl, clean);
    }
}
