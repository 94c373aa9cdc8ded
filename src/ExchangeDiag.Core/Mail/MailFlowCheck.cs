using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using ExchangeDiag.Auth;

namespace ExchangeDiag.Mail;

/// <summary>What Test-ExchangeMailFlow was asked to do.</summary>
public sealed class MailFlowRequest
{
    public MailFlowRequest(string emailAddress, MailboxLogin login, string smtpServer, int smtpPort, string imapServer, int imapPort)
    {
        EmailAddress = emailAddress;
        Login = login;
        SmtpServer = smtpServer;
        SmtpPort = smtpPort;
        ImapServer = imapServer;
        ImapPort = imapPort;
    }

    public string EmailAddress { get; }

    public MailboxLogin Login { get; }

    public string SmtpServer { get; }

    public int SmtpPort { get; }

    public string ImapServer { get; }

    public int ImapPort { get; }

    public bool SkipCertificateCheck { get; set; }

    /// <summary>Wait for a message already sent with this token (Test-ExchangeInboundSmtp -Deliver) instead of sending one.</summary>
    public string? AwaitToken { get; set; }

    /// <summary>How the servers were found, for the trace (given, or discovered through Autodiscover).</summary>
    public string? ServerSource { get; set; }
}

/// <summary>
/// Sends a test message from the mailbox to itself and waits for it in INBOX with IMAP IDLE
/// (polling every 2 s where the server lacks IDLE), then deletes it: a diagnosis leaves no trace.
/// One IMAP login and one SMTP login.
/// </summary>
public static class MailFlowCheck
{
    /// <summary>
    /// The end of the wait kept to delete a message that arrives at the last moment: a tenth of
    /// the timeout, at most 5 s. The deletion stays inside the timeout the user gave.
    /// </summary>
    private static TimeSpan CleanupReserve(TimeSpan timeout) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, timeout.Ticks / 10));

    public static Task<MailFlowResult> RunAsync(MailFlowRequest request, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new MailFlowResult(request.EmailAddress)
        {
            SmtpServer = $"{request.SmtpServer}:{request.SmtpPort}",
            ImapServer = $"{request.ImapServer}:{request.ImapPort}",
            Expected = Texts.Messages.Format("Expected_MailFlow", timeout.TotalSeconds),
        };

        // One deadline for all of it, -TimeoutSeconds: connecting, sending, waiting and deleting.
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            var clock = Stopwatch.StartNew();
            TimeSpan WaitLeft() => timeout - CleanupReserve(timeout) - clock.Elapsed;
            if (request.ServerSource != null)
            {
                result.AddStep("Servers", CheckStatus.Passed, request.ServerSource);
            }

            LoginProof? proof = await request.Login.ProveAsync(MailProtocol.Imap, request.ImapServer, result, deadline).ConfigureAwait(false);
            if (proof == null)
            {
                return;
            }

            var transcript = new MailTranscript();
            var tls = new TlsPolicy(request.SkipCertificateCheck);
            using var imap = new ImapClient(transcript) { Timeout = MailSession.ClientTimeout(timeout), CheckCertificateRevocation = true };
            try
            {
                if (!await MailSession.ConnectAsync(imap, request.ImapServer, request.ImapPort, SecureSocketOptions.Auto, tls, dns, result, deadline).ConfigureAwait(false))
                {
                    return;
                }

                if (!imap.IsSecure)
                {
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                        Texts.Messages.Format("Mail_NoTls", request.ImapServer, request.ImapPort),
                        Texts.Messages["Imap_NoTls_Remediation"]);
                    return;
                }

                string? refusal = null;
                try
                {
                    if (!await MailSession.AuthenticateImapAsync(imap, proof, request.Login, deadline).ConfigureAwait(false))
                    {
                        MailSession.ConcludeNoOAuth(result, request.ImapServer, request.ImapPort, imap.AuthenticationMechanisms);
                        return;
                    }
                }
                catch (AuthenticationException ex)
                {
                    refusal = ImapLoginCheck.RefusalText(transcript, ex);
                }

                if (refusal != null)
                {
                    DiagnosticCause cause = ImapLoginCheck.ClassifyRefusal(refusal, proof.IsToken);
                    result.CredentialRefused = cause != DiagnosticCause.TokenRefused;
                    result.AddStep("IMAP login", CheckStatus.Failed, refusal);
                    result.Conclude(CheckStatus.Failed, cause, Texts.Messages.Format("MailFlow_ImapRefused", refusal), ImapLoginCheck.RemediationFor(cause));
                    return;
                }

                IMailFolder inbox = imap.Inbox;
                await inbox.OpenAsync(FolderAccess.ReadWrite, deadline).ConfigureAwait(false);
                result.AddStep("IMAP login", CheckStatus.Passed, $"INBOX opened ({inbox.Count} messages); IDLE {(imap.Capabilities.HasFlag(ImapCapabilities.Idle) ? "offered" : "not offered: polling every 2 s")}");
                if (request.AwaitToken != null)
                {
                    result.Token = request.AwaitToken;
                    result.AddStep("Send", CheckStatus.Skipped, $"nothing sent: waiting for the message with token {request.AwaitToken} (Test-ExchangeInboundSmtp -Deliver)");
                    await ReceiveAsync(imap, inbox, request.AwaitToken, WaitLeft(), Texts.Messages["MailFlow_MessageFromOutside"], result, deadline).ConfigureAwait(false);
                    return;
                }

                var send = new SmtpSendRequest(request.SmtpServer, request.SmtpPort, request.Login, request.EmailAddress, request.EmailAddress)
                {
                    Security = MailSecurity.Auto,
                    SkipCertificateCheck = request.SkipCertificateCheck,
                };
                SmtpSendResult sent = await SmtpSendCheck.RunAsync(send, dns, TimeSpan.FromSeconds(Math.Min(60, timeout.TotalSeconds)), deadline).ConfigureAwait(false);
                result.SendResult = sent;
                result.Token = sent.Token;
                result.MessageId = sent.MessageId;
                result.AddStep("Send", sent.Status, sent.Message, sent.Duration);
                // A certificate -SkipCertificateCheck let through on the SMTP side makes the flow a Warning too.
                result.CertificateProblemSkipped ??= sent.CertificateProblemSkipped;
                if (!sent.Passed)
                {
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.SendFailed,
                        Texts.Messages.Format("MailFlow_NotSent", sent.Cause, sent.Message), sent.Remediation ?? Advice.ServerError);
                    return;
                }

                await ReceiveAsync(imap, inbox, sent.Token!, WaitLeft(), Texts.Messages.Format("MailFlow_MessageSentThrough", request.SmtpServer), result, deadline).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is CommandException || MailSession.EndedSession(ex))
            {
                result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("MailFlow_ImapFailed", request.ImapServer, LineProtocol.FirstLine(ex.Message)), Advice.ServerError);
            }
            finally
            {
                tls.MoveStepsTo(result);
                await MailSession.DisconnectQuietlyAsync(imap, deadline).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Waits for the message, concludes with its latency (deleting it) or ReceiveFailed.</summary>
    private static async Task ReceiveAsync(ImapClient imap, IMailFolder inbox, string token, TimeSpan wait, string what, MailFlowResult result, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        UniqueId? found = await WaitForAsync(imap, inbox, token, wait, result, cancellationToken).ConfigureAwait(false);
        if (found == null && wait <= TimeSpan.Zero)
        {
            // Sending took all of -TimeoutSeconds: nothing was waited for, so nothing is known of delivery.
            throw new OperationCanceledException(cancellationToken);
        }

        if (found == null)
        {
            result.Conclude(CheckStatus.Failed, DiagnosticCause.ReceiveFailed,
                Texts.Messages.Format("MailFlow_NotReceived", what, wait.TotalSeconds, token),
                Texts.Messages["MailFlow_NotReceived_Remediation"]);
            return;
        }

        result.Delivered = true;
        result.MessageLatency = waited.Elapsed;
        string received;
        try
        {
            received = await DeleteAsync(imap, inbox, found.Value, result, cancellationToken).ConfigureAwait(false) ? "MailFlow_Received_Deleted" : "MailFlow_Received_Flagged";
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || MailSession.EndedSession(ex) || ex is CommandException)
        {
            // The message arrived: that is the finding, even when the deadline or the server ends the clean-up.
            result.AddStep("Clean up", CheckStatus.Warning, $"the test message could not be deleted ({LineProtocol.FirstLine(ex.Message)}); it carries the token {token}");
            received = "MailFlow_Received_Kept";
        }

        result.Conclude(CheckStatus.Passed, DiagnosticCause.None,
            Texts.Messages.Format(received, what, waited.Elapsed.TotalSeconds), null);
    }

    /// <summary>A result for a mailbox whose servers were not given and Autodiscover could not find.</summary>
    public static MailFlowResult ServersNotFound(string emailAddress, AutodiscoverResult discovery)
    {
        var result = new MailFlowResult(emailAddress);
        foreach (CheckStep step in discovery.Steps)
        {
            result.Steps.Add(new CheckStep("Autodiscover " + step.Name, step.Status, step.Detail, step.Duration));
        }

        result.Conclude(CheckStatus.Failed, discovery.Cause == DiagnosticCause.None ? DiagnosticCause.AutodiscoverFailed : discovery.Cause,
            Texts.Messages.Format("MailFlow_ServersNotFound", discovery.Message),
            Texts.Messages["MailFlow_ServersNotFound_Remediation"]);
        return result;
    }

    /// <summary>Waits for the message carrying the token; its UID, or null when it did not come in time.</summary>
    private static async Task<UniqueId?> WaitForAsync(ImapClient imap, IMailFolder inbox, string token, TimeSpan wait, MailFlowResult result, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        SearchQuery query = SearchQuery.HeaderContains(SmtpSendCheck.TokenHeader, token);
        bool idle = imap.Capabilities.HasFlag(ImapCapabilities.Idle);
        int checks = 0;
        int count = inbox.Count;
        while (true)
        {
            checks++;
            IList<UniqueId> hits = await inbox.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            if (hits.Count > 0)
            {
                result.AddStep("Receive", CheckStatus.Passed, $"found in INBOX after {clock.Elapsed.TotalSeconds:0.0} s ({checks} search(es), {(idle ? "IDLE" : "polling")})", clock.Elapsed);
                return hits[0];
            }

            TimeSpan left = wait - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                result.AddStep("Receive", CheckStatus.Failed, $"not in INBOX after {wait.TotalSeconds:0} s ({checks} searches)", clock.Elapsed);
                return null;
            }

            // A message announced while the search ran (EXISTS in its answer) is searched for at once.
            if (inbox.Count != count)
            {
                count = inbox.Count;
                continue;
            }

            // IDLE returns when the server announces a message; each IDLE is capped at a few
            // seconds so that a missed announcement costs seconds, never the whole wait.
            TimeSpan turn = left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5);
            if (idle)
            {
                using var done = new CancellationTokenSource(turn);
                void Arrived(object? sender, EventArgs e) => done.Cancel();
                inbox.CountChanged += Arrived;
                try
                {
                    await imap.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    inbox.CountChanged -= Arrived;
                }
            }
            else
            {
                await Task.Delay(left < TimeSpan.FromSeconds(2) ? left : TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }

            count = inbox.Count;
        }
    }

    private static async Task<bool> DeleteAsync(ImapClient imap, IMailFolder inbox, UniqueId uid, MailFlowResult result, CancellationToken cancellationToken)
    {
        await inbox.AddFlagsAsync(uid, MessageFlags.Deleted, true, cancellationToken).ConfigureAwait(false);
        if (imap.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            // UID EXPUNGE removes this message only, never others the user marked deleted.
            await inbox.ExpungeAsync(new[] { uid }, cancellationToken).ConfigureAwait(false);
            result.AddStep("Clean up", CheckStatus.Passed, "the test message was deleted");
            return true;
        }
        else
        {
            result.AddStep("Clean up", CheckStatus.Warning, "the server lacks UIDPLUS: the test message is flagged deleted but not expunged, so as not to expunge other deleted messages");
            return false;
        }
    }
}
