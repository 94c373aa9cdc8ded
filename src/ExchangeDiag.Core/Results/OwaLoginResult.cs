using System;

namespace ExchangeDiag;

/// <summary>How an OWA forms-based login ended.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum OwaLoginOutcome
{
    Success,
    InvalidCredentials,
    PasswordExpired,
    AccountLocked,
    BlockedByAccessRule,
    Unreachable,
    NotExchange,
    ServerError,
}

/// <summary>Result of Test-ExchangeOwaLogin for one server.</summary>
public sealed class OwaLoginResult : CheckResult
{
    internal OwaLoginResult(string url)
        : base("OwaLogin", url)
    {
        Url = url;
    }

    public OwaLoginOutcome Outcome { get; internal set; }

    /// <summary>The Exchange build from the X-OWA-Version header, when the server sent it.</summary>
    public string? ExchangeVersion { get; internal set; }

    /// <summary>The front-end server from the X-FEServer header.</summary>
    public string? FrontEndServer { get; internal set; }

    /// <summary>The OWA address logged in to.</summary>
    public string Url { get; }

    /// <summary>Set when OWA refused credentials that EWS accepted.</summary>
    internal bool OwaRefusedValidCredentials { get; set; }

    /// <summary>The headers are the server's words.</summary>
    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        ExchangeVersion = CleanOrNull(ExchangeVersion, clean);
        FrontEndServer = CleanOrNull(FrontEndServer, clean);
    }
}

/// <summary>Result of Test-ExchangeEwsLogin for one server.</summary>
public sealed class EwsLoginResult : CheckResult
{
    internal EwsLoginResult(string url)
        : base("EwsLogin", url)
    {
        Url = url;
    }

    /// <summary>The Exchange build from the SOAP ServerVersionInfo header, such as 15.1.2507.6.</summary>
    public string? ServerVersion { get; internal set; }

    public string? FrontEndServer { get; internal set; }

    /// <summary>The mailbox server that answered (X-TargetBEServer), when sent.</summary>
    public string? BackEndServer { get; internal set; }

    public int StatusCode { get; internal set; }

    public string Url { get; }

    /// <summary>The version and the headers are the server's words.</summary>
    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        ServerVersion = CleanOrNull(ServerVersion, clean);
        FrontEndServer = CleanOrNull(FrontEndServer, clean);
        BackEndServer = CleanOrNull(BackEndServer, clean);
    }
}
