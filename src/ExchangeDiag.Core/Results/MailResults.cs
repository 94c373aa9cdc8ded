using System;
using ExchangeDiag.Mail;

namespace ExchangeDiag;

/// <summary>How a mail check reaches TLS.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum MailSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (submission 587, IMAP 143).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS 465, IMAPS 993).</summary>
    SslOnConnect,

    /// <summary>TLS from the first byte on 465 and 993, STARTTLS when offered elsewhere.</summary>
    Auto,
}

/// <summary>Result of Test-ExchangeSmtpSend for one server.</summary>
public sealed class SmtpSendResult : CheckResult
{
    internal SmtpSendResult(string server, int port)
        : base("SmtpSend", $"{server}:{port}")
    {
        Server = server;
        Port = port;
    }

    public string Server { get; }

    public int Port { get; }

    public string? From { get; internal set; }

    public string? To { get; internal set; }

    /// <summary>The Message-Id of the test message, when the server accepted it.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>The token in the test message's subject and X-ExchangeDiag-Token header.</summary>
    public string? Token { get; internal set; }

    public string? ServerBanner { get; internal set; }

    public SummaryList<string> AuthMechanisms { get; internal set; } = new SummaryList<string>();

    /// <summary>The reply that decided the outcome: status code, enhanced code and text.</summary>
    public SmtpReply? ServerReply { get; internal set; }

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        ServerBanner = CleanOrNull(ServerBanner, clean);
        AuthMechanisms.ReplaceAll(clean);
        ServerReply = ServerReply?.Cleaned(clean);
    }
}

/// <summary>Result of Test-ExchangeImapLogin for one server.</summary>
public sealed class ImapLoginResult : CheckResult
{
    internal ImapLoginResult(string server, int port)
        : base("ImapLogin", $"{server}:{port}")
    {
        Server = server;
        Port = port;
    }

    public string Server { get; }

    public int Port { get; }

    public string? Greeting { get; internal set; }

    /// <summary>True when the greeting is Exchange's ("The Microsoft Exchange IMAP4 service is ready").</summary>
    public bool IsExchange { get; internal set; }

    public SummaryList<string> Capabilities { get; internal set; } = new SummaryList<string>();

    /// <summary>How many messages INBOX holds, opened read-only.</summary>
    public int? InboxCount { get; internal set; }

    /// <summary>The server's answer to the login, when it refused it.</summary>
    public string? ServerReply { get; internal set; }

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Greeting = CleanOrNull(Greeting, clean);
        Capabilities.ReplaceAll(clean);
        ServerReply = CleanOrNull(ServerReply, clean);
    }
}

/// <summary>Result of Test-ExchangeMailFlow: a test message from the mailbox to itself, sent and received.</summary>
public sealed class MailFlowResult : CheckResult
{
    internal MailFlowResult(string emailAddress)
        : base("MailFlow", emailAddress)
    {
        EmailAddress = emailAddress;
    }

    public string EmailAddress { get; }

    public string? SmtpServer { get; internal set; }

    public string? ImapServer { get; internal set; }

    public string? Token { get; internal set; }

    public string? MessageId { get; internal set; }

    /// <summary>True when the test message arrived in INBOX.</summary>
    public bool Delivered { get; internal set; }

    /// <summary>From the end of the submission to the message's arrival in INBOX.</summary>
    public TimeSpan? MessageLatency { get; internal set; }

    /// <summary>What the submission said, with its own cause (spam block, quota...) when sending failed.</summary>
    public SmtpSendResult? SendResult { get; internal set; }

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        SendResult?.CleanTexts(clean);
    }
}

/// <summary>Result of Test-ExchangeInboundSmtp: what an outside sender meets at the domain's MX.</summary>
public sealed class InboundSmtpResult : CheckResult
{
    internal InboundSmtpResult(string domain, string recipient)
        : base("InboundSmtp", recipient)
    {
        Domain = domain;
        Recipient = recipient;
    }

    public string Domain { get; }

    public string Recipient { get; }

    /// <summary>The MX host that answered, in preference order the first that did.</summary>
    public string? MxHost { get; internal set; }

    public int Port { get; internal set; }

    public string? ServerBanner { get; internal set; }

    /// <summary>True when the MX host offers STARTTLS.</summary>
    public bool StartTlsOffered { get; internal set; }

    /// <summary>The certificate the MX host presented after STARTTLS.</summary>
    public CertificateInfo? Certificate { get; internal set; }

    /// <summary>The reply that decided the outcome (RCPT TO, or the end of DATA with -Deliver).</summary>
    public SmtpReply? ServerReply { get; internal set; }

    /// <summary>With -Deliver: the token of the test message, and whether the MX host accepted it.</summary>
    public string? Token { get; internal set; }

    public bool Delivered { get; internal set; }

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        ServerBanner = CleanOrNull(ServerBanner, clean);
        ServerReply = ServerReply?.Cleaned(clean);
    }
}
