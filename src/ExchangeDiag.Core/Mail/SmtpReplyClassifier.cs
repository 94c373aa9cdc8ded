using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExchangeDiag.Mail;

/// <summary>
/// Turns a refusing SMTP reply into a cause (PROTOCOL-NOTES 5). Providers' exact texts vary and are
/// partly UNCONFIRMED, so rules match enhanced codes first and key words second, and the raw reply
/// is always kept beside the cause. The first rule that matches wins.
/// </summary>
public static class SmtpReplyClassifier
{
    /// <summary>Codes that ban this sender for spam: at DATA too they judge the account, not the message.</summary>
    internal static readonly string[] SpamBlockCodes = { "5.1.8", "5.7.501", "5.7.502", "5.7.503" };

    private static readonly Rule[] Rules =
    {
        // Codes that say it all come before the words: a 5.7.139 says "locked by ... security defaults
        // policy" when SMTP AUTH is blocked, which is no lockout and proves nothing about the password.
        new Rule(DiagnosticCause.SmtpAuthDisabled, null, new[] { "5.7.139" }, null),
        new Rule(DiagnosticCause.OrganizationBlocked, null, new[] { "5.7.705", "5.7.708" }, null),
        new Rule(DiagnosticCause.SendAsDenied, null, new[] { "5.2.252" }, null),
        new Rule(DiagnosticCause.SendAsDenied, null, null, @"SendAsDenied"),
        // Words first where they name the account's state: a 535 or 5.7.1 may say "locked" or "suspended".
        new Rule(DiagnosticCause.SubscriptionExpired, null, null, @"subscription\s+expired|account\s+(is\s+)?suspended|\bsuspended\b|\bexpired\b"),
        new Rule(DiagnosticCause.AccountLocked, null, null, @"\block(ed)?\s*out\b|account\s+(is\s+)?locked|\blocked\b"),
        new Rule(DiagnosticCause.AccountBlockedForSpam, null, SpamBlockCodes, null),
        new Rule(DiagnosticCause.AccountBlockedForSpam, null, null, @"\bspam|bad\s+outbound\s+sender|(sender|account|user)\s+(is\s+)?(blocked|disabled)|blocked\s+for\s+sending"),
        new Rule(DiagnosticCause.AuthenticationFailed, new[] { 535 }, null, null),
        // 451 5.7.3 "STARTTLS is required to send mail" shares its code with a refused login.
        new Rule(DiagnosticCause.TlsRequired, null, null, @"starttls\s+is\s+required|must\s+issue\s+a\s+starttls"),
        new Rule(DiagnosticCause.AuthenticationFailed, null, new[] { "5.7.3" }, @"authentication"),
        new Rule(DiagnosticCause.AuthenticationFailed, null, new[] { "5.7.8", "5.7.57" }, null),
        new Rule(DiagnosticCause.SendQuotaExceeded, null, new[] { "5.2.2", "4.5.3" }, @"quota"),
        new Rule(DiagnosticCause.SendQuotaExceeded, null, null, @"submission\s+quota|quota\s+exceeded"),
        new Rule(DiagnosticCause.SendAsDenied, null, new[] { "5.7.60" }, null),
        new Rule(DiagnosticCause.SendAsDenied, null, new[] { "5.7.1" }, @"send[\s-]+as|permission"),
    };

    /// <summary>The cause a refusing reply points to; SendFailed when no rule knows it.</summary>
    public static DiagnosticCause Classify(SmtpReply reply)
    {
        Rule? rule = Rules.FirstOrDefault(r => r.Matches(reply));
        return rule?.Cause ?? DiagnosticCause.SendFailed;
    }

    private sealed class Rule
    {
        private readonly IReadOnlyCollection<int>? _statusCodes;
        private readonly IReadOnlyCollection<string>? _enhancedCodes;
        private readonly Regex? _words;

        public Rule(DiagnosticCause cause, int[]? statusCodes, string[]? enhancedCodes, string? words)
        {
            Cause = cause;
            _statusCodes = statusCodes;
            _enhancedCodes = enhancedCodes;
            _words = words == null ? null : new Regex(words, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        public DiagnosticCause Cause { get; }

        /// <summary>Every condition the rule has must hold.</summary>
        public bool Matches(SmtpReply reply)
            => reply.StatusCode >= 400
            && (_statusCodes == null || _statusCodes.Contains(reply.StatusCode))
            && (_enhancedCodes == null || (reply.EnhancedCode != null && _enhancedCodes.Contains(reply.EnhancedCode)))
            && (_words == null || _words.IsMatch(reply.Text));
    }
}
