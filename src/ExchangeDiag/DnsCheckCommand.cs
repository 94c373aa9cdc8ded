using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Commands;

/// <summary>The parameters of the DNS checks: domains (or e-mail addresses) and the provider.</summary>
public abstract class DnsCheckCommand<TResult> : ParallelCheckCommand<TResult>
    where TResult : CheckResult
{
    /// <summary>
    /// The domains to check; an e-mail address stands for its domain, so objects with a mailbox's
    /// address (Get-Mailbox, Get-ADUser, Import-Csv of an export) bind by property name.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.EmailAddress, MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>The hosted Exchange offer whose documented DNS values are expected.</summary>
    [Parameter]
    public MailProvider? Provider { get; set; }

    protected override IEnumerable<string> InputValues => Domain;

    protected override string InvalidInputErrorId => "InvalidDomainName";

    protected override string? Normalize(string input, out string? error) => NormalizeDomain(input, out error);

    /// <summary>A -Domain value (a domain or an e-mail address) in DNS form, or null with the reason.</summary>
    internal static string? NormalizeDomain(string input, out string? error)
    {
        string? domain = DomainName.TryNormalize(input, out string? why);
        error = domain == null ? Texts.Commands.Format("Input_NotDomain", why) : null;
        return domain;
    }
}
