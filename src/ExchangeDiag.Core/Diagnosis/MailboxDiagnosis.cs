using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Diagnosis;

/// <summary>
/// The whole diagnosis of one mailbox, as the provider's control panel runs it: DNS first, then the
/// logins one after another (each protocol at most once with a password not yet proven right),
/// the certificates and the inbound MX beside them, and the root causes drawn from all results.
/// </summary>
public static class MailboxDiagnosis
{
    private const int CertificateWarningDays = 30;

    public static async Task<DiagnosticReport> RunAsync(DiagnosisRequest request, DnsQuerier dns, Action<string> log, Action<string> progress, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        string domain = request.EmailAddress.Substring(request.EmailAddress.LastIndexOf('@') + 1);
        var report = new DiagnosticReport(request.EmailAddress, domain)
        {
            StartTime = DateTimeOffset.Now,
            ModuleVersion = typeof(MailboxDiagnosis).Assembly.GetName().Version?.ToString(3) ?? string.Empty,
            Culture = MessageLanguage(CultureInfo.CurrentUICulture),
        };
        if (request.Login.Method == AuthMethod.Basic)
        {
            request.Secrets.Add(request.Login.Password);
        }

        var run = new Run(request, dns, message => log(request.Secrets.Clean(message)), progress, stop);

        // The provider's facts and the unauthenticated checks need no password: they run at once, side by side.
        // The OVHcloud API knows nothing of an offer that is not OVHcloud's: not asked when -Provider names one.
        Task<CheckResult>? accountState = request.Provider == null || ProviderProfile.For(request.Provider.Value).HasOvhApi ? request.AccountState?.Invoke(stop) : null;
        progress(Texts.Diagnosis["Progress_Dns"]);
        (MxCheckResult mx, SrvCheckResult srv, MailProvider? provider) = await CheckDnsAsync(run, domain).ConfigureAwait(false);
        report.Provider = provider;
        ProviderProfile? profile = provider == null ? null : ProviderProfile.For(provider.Value);
        if (accountState != null && profile?.HasOvhApi == false)
        {
            // Detected from the records once the call was under way: its answer does not apply.
            Task<CheckResult> asked = accountState;
            accountState = Task.FromResult<CheckResult>(NotForProvider(new AccountStateResult(request.EmailAddress), profile));
            _ = asked.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }

        run.DnsFault = DnsFault.Of(mx, srv, domain);
        Task<InboundSmtpResult> inbound = run.DnsFault == null
            ? CheckGuard.RunAsync(() => InboundSmtpCheck.RunAsync(domain, request.EmailAddress, 25, deliver: false, dns, request.Timeout, stop), () => new InboundSmtpResult(domain, request.EmailAddress) { Port = 25 }, stop)
            : Task.FromResult(run.DnsFault.Skip(SkippedResults.InboundSmtp(domain, request.EmailAddress, 25, run.DnsFault.Reason)));

        Task<IReadOnlyList<CheckResult>> domainAuthentication = request.SkipDomainAuthentication
            ? Task.FromResult<IReadOnlyList<CheckResult>>(Array.Empty<CheckResult>())
            : run.DnsFault != null
            ? Task.FromResult<IReadOnlyList<CheckResult>>(DomainAuthenticationChecks.Skipped(domain, run.DnsFault.Reason).Select(run.DnsFault.Skip).ToList())
            : DomainAuthenticationChecks.RunAsync(request, domain, provider, dns, run.NewHttpSession, profile?.HasOvhApi == false ? null : accountState, stop);

        var logins = new LoginSequence(run);
        // A provider whose servers are the same for every mailbox (Microsoft 365) is asked there, as its
        // clients do; Autodiscover is still checked, and still judged, beside them.
        ExchangeEndpoints? endpoints = request.ExchangeServer == null ? profile?.Endpoints : null;
        string? webServer = request.ExchangeServer ?? endpoints?.Ews.Host ?? SrvServer(srv, profile);
        var certificates = new CertificateChecks(run);
        if (webServer != null)
        {
            certificates.Start(webServer, 443, StartTlsMode.None);
        }

        // OWA first: with its single EWS corroboration it tells a locked account from a wrong password.
        AutodiscoverResult? discovery = null;
        if (webServer == null)
        {
            discovery = await logins.AutodiscoverAsync().ConfigureAwait(false);
            webServer = discovery.Passed ? HostOf(discovery.OwaUrl) ?? HostOf(discovery.EwsUrl) : null;
            if (webServer != null)
            {
                certificates.Start(webServer, 443, StartTlsMode.None);
            }
        }

        report.ExchangeServer = webServer;
        Func<Func<string, CheckResult>, CheckResult> noServer = run.DnsFault == null
            ? skipped => NoServer(skipped(Texts.Diagnosis.Format("Skip_NoServer", domain)))
            : skipped => run.DnsFault.Skip(skipped(run.DnsFault.Reason));
        CheckResult owa = webServer == null
            ? noServer(reason => SkippedResults.OwaLogin(new Uri($"https://{domain}/owa/"), reason))
            : await logins.OwaAsync(webServer).ConfigureAwait(false);
        discovery ??= await logins.AutodiscoverAsync().ConfigureAwait(false);

        // Autodiscover names the server for mail where the web server does not serve it (as in the lab);
        // without it the web server is only a guess, not worth a certificate check of its own.
        string? mailServer = request.ExchangeServer ?? endpoints?.ImapHost ?? (discovery.Passed ? HostOf(discovery.EwsUrl) : null);
        bool mailServerGuessed = mailServer == null;
        mailServer ??= webServer;
        var results = new List<CheckResult> { mx, srv, discovery, owa };
        if (mailServer == null)
        {
            results.Add(noServer(reason => SkippedResults.ImapLogin(domain, 993, reason)));
            results.Add(noServer(reason => SkippedResults.SmtpSend(domain, 587, reason)));
            results.Add(noServer(reason => SkippedResults.MailFlow(request.EmailAddress, reason)));
        }
        else
        {
            string submissionServer = endpoints?.SmtpHost ?? mailServer;
            if (!mailServerGuessed || !logins.Refused)
            {
                certificates.Start(submissionServer, 587, StartTlsMode.Smtp);
                certificates.Start(mailServer, 993, StartTlsMode.None);
            }

            results.Add(await logins.ImapAsync(mailServer).ConfigureAwait(false));
            results.AddRange(await logins.SendAndReceiveAsync(submissionServer, mailServer).ConfigureAwait(false));
        }

        ProviderDiagnosisResult? providerDiagnosis = null;
        if (request.ProviderDiagnosis != null)
        {
            providerDiagnosis = profile?.HasOvhApi == false
                ? NotForProvider(new ProviderDiagnosisResult(request.EmailAddress), profile)
                : logins.Refused
                ? logins.SkippedProviderDiagnosis()
                : await logins.ProviderDiagnosisAsync(request.ProviderDiagnosis).ConfigureAwait(false);
        }

        await WeighGivenServerAsync(run, results, srv, discovery, certificates).ConfigureAwait(false);
        progress(Texts.Diagnosis["Progress_Finishing"]);
        results.Add(ExcuseBlockedPort25(await inbound.ConfigureAwait(false), results));
        results.AddRange(await certificates.AllAsync().ConfigureAwait(false));
        results.AddRange(await domainAuthentication.ConfigureAwait(false));
        if (accountState != null)
        {
            results.Insert(0, WeighAccountState(await accountState.ConfigureAwait(false), results));
        }

        // Before the causes copy their messages: a server may have echoed the password in any of them.
        foreach (CheckResult result in results)
        {
            request.Secrets.Clean(result);
        }

        RootCauseAnalysis.Apply(report, results);
        if (providerDiagnosis != null)
        {
            request.Secrets.Clean(providerDiagnosis);
            ProviderComparison.FlagDisagreements(providerDiagnosis, report);
            report.ProviderDiagnosis = providerDiagnosis;
        }

        report.Duration = clock.Elapsed;
        return report;
    }

    /// <summary>
    /// The Exchange server the SRV record names: its best target, where the provider's SRV record points
    /// to the Exchange server (OVHcloud's ex?). Microsoft 365's, when there is one, names the Autodiscover service.
    /// </summary>
    private static string? SrvServer(SrvCheckResult srv, ProviderProfile? profile)
        => srv.Passed && (profile == null || profile.OptionalSrvTarget == null)
            ? srv.Records.Where(r => r.Target != ".").OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).FirstOrDefault()?.Target
            : null;

    /// <summary>A step of another provider (the OVHcloud API) that does not apply to the domain's: Skipped, saying so.</summary>
    private static T NotForProvider<T>(T result, ProviderProfile profile)
        where T : CheckResult
    {
        string reason = Texts.Diagnosis.Format("Skip_NotForProvider", profile.DisplayName);
        result.AddStep("Skipped", CheckStatus.Skipped, reason);
        result.Conclude(CheckStatus.Skipped, DiagnosticCause.None, reason, null);
        return result;
    }

    /// <summary>The culture the texts are written in: the UI culture where it is translated, else English.</summary>
    private static string MessageLanguage(CultureInfo culture)
        => culture.Name.Length > 0 && (culture.TwoLetterISOLanguageName == "en" || Texts.Diagnosis.Languages.Contains(culture.TwoLetterISOLanguageName))
            ? culture.Name
            : "en";

    /// <summary>MX and SRV against what the provider documents, the provider detected from the records when not given.</summary>
    private static async Task<(MxCheckResult, SrvCheckResult, MailProvider?)> CheckDnsAsync(Run run, string domain)
    {
        MailProvider? provider = run.Request.Provider;
        string? exchangeServer = run.Request.ExchangeServer;
        Task<MxCheckResult> mx = MxAsync(run, domain, MxExpectation.Create(null, provider, provider == null ? null : MxExchangeServer(provider.Value, exchangeServer)));
        Task<SrvCheckResult> srv = SrvAsync(run, domain, SrvExpectation.Create(provider == null ? null : SrvTarget(provider.Value, exchangeServer), provider));
        await Task.WhenAll(mx, srv).ConfigureAwait(false);
        IEnumerable<string> hosts = mx.Result.Records.Select(r => r.Exchange).Concat(srv.Result.Records.Select(r => r.Target));
        MailProvider? named = provider ?? ProviderDetection.Detect(hosts.Concat(new[] { exchangeServer }));
        MailProvider? detected = named ?? (DnsAnswered(mx.Result) && DnsAnswered(srv.Result) ? await DetectFromAutodiscoverCnameAsync(run, domain).ConfigureAwait(false) : null);
        if (detected == null)
        {
            return (mx.Result, srv.Result, null);
        }

        // The provider's "Exchange + POP/IMAP elsewhere" setup has the Exchange server itself as MX:
        // the ex? host the records name counts as the Exchange server when none was given.
        string? exchangeForMx = exchangeServer ?? ProviderDetection.ExchangeServerIn(hosts, detected.Value);
        if (provider != null && exchangeForMx == exchangeServer)
        {
            return (mx.Result, srv.Result, provider);
        }

        // Judged again against the provider's values; the answers come from this invocation's DNS cache.
        if (provider == null)
        {
            run.Log(Texts.Diagnosis.Format("Log_ProviderDetected", detected));
        }

        // Named by the autodiscover CNAME alone, the provider does not make the MX wrong: MX hosts none of
        // which are its own are most likely a filtering service in front of it.
        MxCheckResult mxAgain = named == null
            ? mx.Result
            : await MxAsync(run, domain, MxExpectation.Create(null, detected, MxExchangeServer(detected.Value, exchangeForMx))).ConfigureAwait(false);
        SrvCheckResult srvAgain = await SrvAsync(run, domain, SrvExpectation.Create(SrvTarget(detected.Value, exchangeServer), detected)).ConfigureAwait(false);
        return (mxAgain, srvAgain, detected);
    }

    /// <summary>The Exchange server valid as the only MX: OVHcloud's "Exchange + POP/IMAP elsewhere" setup; Microsoft 365 has no such setup.</summary>
    private static string? MxExchangeServer(MailProvider provider, string? exchangeServer)
        => ProviderProfile.For(provider).ExchangeServerPattern == null ? null : exchangeServer;

    /// <summary>The target the SRV record must have: the Exchange server given, where the provider's SRV record names it (not Microsoft 365's).</summary>
    private static string? SrvTarget(MailProvider provider, string? exchangeServer)
        => ProviderProfile.For(provider).OptionalSrvTarget == null ? exchangeServer : null;

    /// <summary>True when DNS answered about the domain: no dead or refusing server, no missing domain, no SERVFAIL.</summary>
    private static bool DnsAnswered(CheckResult result)
        => result.Cause != DiagnosticCause.LocalDnsFailure && result.Cause != DiagnosticCause.DomainNotFound && result.Cause != DiagnosticCause.DnsUnavailable;

    /// <summary>
    /// The provider an autodiscover.&lt;domain&gt; alias names (autodiscover.outlook.com: Microsoft 365), for a
    /// domain whose MX and SRV records did not: its mail may pass a filtering service first. One question.
    /// </summary>
    private static async Task<MailProvider?> DetectFromAutodiscoverCnameAsync(Run run, string domain)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(run.Stop);
            deadline.CancelAfter(run.Request.Timeout);
            DnsLookup lookup = await run.Dns.QueryAsync("autodiscover." + domain, DnsClient.QueryType.CNAME, deadline.Token).ConfigureAwait(false);
            return ProviderDetection.Detect(lookup.Answers.OfType<DnsClient.Protocol.CNameRecord>().Select(r => r.CanonicalName.Value));
        }
        catch (OperationCanceledException) when (!run.Stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Task<MxCheckResult> MxAsync(Run run, string domain, MxExpectation expectation)
        => CheckGuard.RunAsync(() => MxCheck.RunAsync(domain, expectation, run.Dns, run.Request.Timeout, run.Stop), () => new MxCheckResult(domain), run.Stop);

    private static Task<SrvCheckResult> SrvAsync(Run run, string domain, SrvExpectation expectation)
        => CheckGuard.RunAsync(() => SrvCheck.RunAsync(domain, expectation, run.Dns, run.Request.Timeout, run.Stop), () => new SrvCheckResult(domain, "_autodiscover._tcp." + domain), run.Stop);

    /// <summary>
    /// A -ExchangeServer that no login could reach, while the server the domain's SRV record or
    /// Autodiscover names answers, is a wrong name given, not an incident: the logins say so, naming
    /// the server found. That server's certificate check is the proof it answers (one connection to 443).
    /// </summary>
    private static async Task WeighGivenServerAsync(Run run, IReadOnlyList<CheckResult> results, SrvCheckResult srv, AutodiscoverResult discovery, CertificateChecks certificates)
    {
        string? given = run.Request.ExchangeServer;
        List<CheckResult> logins = results.Where(r => RootCauseRules.IsLogin(r) && !(r is AutodiscoverResult) && r.Status != CheckStatus.Skipped).ToList();
        if (given == null || logins.Count == 0 || logins.Any(r => r.Cause != DiagnosticCause.Unreachable))
        {
            return;
        }

        string? found = srv.Passed ? srv.Records.OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).First().Target : null;
        found ??= discovery.Passed ? HostOf(discovery.EwsUrl) ?? HostOf(discovery.OwaUrl) : null;
        if (found == null || DomainName.AreEqual(found, given))
        {
            return;
        }

        CertificateResult probe = await certificates.StartAsync(found, 443, StartTlsMode.None).ConfigureAwait(false);
        if (probe.Cause == DiagnosticCause.Unreachable)
        {
            return;
        }

        foreach (CheckResult login in logins)
        {
            login.Conclude(CheckStatus.Error, DiagnosticCause.WrongExchangeServer, Texts.Diagnosis.Format("Login_WrongExchangeServer", given, found, login.Message), Texts.Diagnosis["Fix_WrongExchangeServer"]);
        }
    }

    /// <summary>
    /// Many networks block outgoing port 25, so an MX host that cannot be reached from here is no
    /// fault while the MX records are right and nothing showed mail failing to arrive: a Warning, not an Error.
    /// </summary>
    private static InboundSmtpResult ExcuseBlockedPort25(InboundSmtpResult inbound, IReadOnlyList<CheckResult> results)
    {
        if (inbound.Cause != DiagnosticCause.Unreachable || inbound.Status != CheckStatus.Error
            || !results.OfType<MxCheckResult>().All(mx => mx.Passed)
            || results.OfType<MailFlowResult>().Any(flow => flow.Cause == DiagnosticCause.ReceiveFailed))
        {
            return inbound;
        }

        bool delivered = results.OfType<MailFlowResult>().Any(flow => flow.Delivered);
        inbound.Conclude(CheckStatus.Warning, DiagnosticCause.Unreachable, Texts.Diagnosis.Format(delivered ? "Inbound_Port25Blocked" : "Inbound_Port25Unverified", inbound.Message), inbound.Remediation);
        return inbound;
    }

    /// <summary>
    /// What the provider's account state is worth beside what the logins just showed: its API failing
    /// (a bad key, an outage) says nothing about the mailbox, and a lock its last diagnosis found is
    /// over once a login worked. Both are Warnings then, not causes.
    /// </summary>
    private static CheckResult WeighAccountState(CheckResult state, IReadOnlyList<CheckResult> results)
    {
        if (!RootCauseRules.IsFailing(state))
        {
            return state;
        }

        if (state.Cause == DiagnosticCause.ProviderApiFailed)
        {
            state.Conclude(CheckStatus.Warning, state.Cause, Texts.Diagnosis.Format("Provider_StateUnavailable", state.Message), state.Remediation);
        }
        else if (state.Cause == DiagnosticCause.AccountLocked && results.Any(r => RootCauseRules.IsLogin(r) && r.Passed))
        {
            state.Conclude(CheckStatus.Warning, state.Cause, Texts.Diagnosis.Format("Provider_LockOver", state.Message), state.Remediation);
        }

        return state;
    }

    private static string? HostOf(string? url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) ? parsed.Host : null;

    private static T NoServer<T>(T skipped)
        where T : CheckResult
    {
        skipped.SkipReason = SkipReason.NoServer;
        return skipped;
    }

    /// <summary>
    /// The domain's DNS could not be used: the DNS server asked is dead or refuses (a fault of this
    /// computer), or the domain does not exist. The checks that find their servers through it are
    /// not run, each Skipped with this reason, rather than failing for a reason not theirs.
    /// </summary>
    private sealed class DnsFault
    {
        private readonly SkipReason _skipReason;

        private DnsFault(SkipReason skipReason, string reason)
        {
            _skipReason = skipReason;
            Reason = reason;
        }

        public string Reason { get; }

        public static DnsFault? Of(MxCheckResult mx, SrvCheckResult srv, string domain)
        {
            CheckResult? local = new CheckResult[] { mx, srv }.FirstOrDefault(r => r.Cause == DiagnosticCause.LocalDnsFailure);
            if (local != null)
            {
                return new DnsFault(SkipReason.LocalDns, Texts.Diagnosis.Format("Skip_LocalDns", domain, local.Message));
            }

            return mx.Cause == DiagnosticCause.DomainNotFound || srv.Cause == DiagnosticCause.DomainNotFound
                ? new DnsFault(SkipReason.DomainNotFound, Texts.Diagnosis.Format("Skip_DomainNotFound", domain))
                : null;
        }

        public T Skip<T>(T skipped)
            where T : CheckResult
        {
            skipped.SkipReason = _skipReason;
            return skipped;
        }
    }

    /// <summary>What every step of one mailbox's diagnosis shares.</summary>
    private sealed class Run
    {
        public Run(DiagnosisRequest request, DnsQuerier dns, Action<string> log, Action<string> progress, CancellationToken stop)
        {
            Request = request;
            Dns = dns;
            Log = log;
            Progress = progress;
            Stop = stop;
        }

        public DiagnosisRequest Request { get; }

        public DnsQuerier Dns { get; }

        public Action<string> Log { get; }

        public Action<string> Progress { get; }

        public CancellationToken Stop { get; }

        /// <summary>Why the domain's DNS could not be used, once MX and SRV were asked; null when it could.</summary>
        public DnsFault? DnsFault { get; set; }

        public HttpSession NewHttpSession() => new HttpSession(Dns, Request.SkipCertificateCheck, Log);
    }

    /// <summary>
    /// The checks that send the password, one after another. Once a server refuses it, before any
    /// accepted it, the others are Skipped: a wrong password costs one failed login (two when OWA's
    /// EWS corroboration runs), never enough to reach the lockout policy.
    /// </summary>
    private sealed class LoginSequence
    {
        private readonly Run _run;
        private CheckResult? _refusal;
        private bool _proven;

        public LoginSequence(Run run) => _run = run;

        private TimeSpan Timeout => _run.Request.Timeout;

        /// <summary>Autodiscover finds its server through the domain's DNS: not tried when that DNS cannot be asked.</summary>
        public Task<AutodiscoverResult> AutodiscoverAsync() => _run.DnsFault != null
            ? Task.FromResult(_run.DnsFault.Skip(SkippedResults.Autodiscover(_run.Request.EmailAddress, _run.DnsFault.Reason)))
            : LogInAsync(
            "Autodiscover",
            () => new AutodiscoverResult(_run.Request.EmailAddress),
            async () =>
            {
                using HttpSession http = _run.NewHttpSession();
                return await AutodiscoverCheck.RunAsync(_run.Request.EmailAddress, _run.Request.Login, _run.Dns, http, Timeout, _run.Stop).ConfigureAwait(false);
            });

        public Task<OwaLoginResult> OwaAsync(string server) => LogInAsync(
            "OWA",
            () => new OwaLoginResult(OwaUrl(server).ToString()),
            async () =>
            {
                using HttpSession http = _run.NewHttpSession();
                return await OwaLoginCheck.RunAsync(OwaUrl(server), _run.Request.Login, http, Timeout, _run.Stop).ConfigureAwait(false);
            });

        public Task<ImapLoginResult> ImapAsync(string server) => LogInAsync(
            "IMAP",
            () => new ImapLoginResult(server, 993),
            () => ImapLoginCheck.RunAsync(server, 993, MailSecurity.Auto, _run.Request.Login, _run.Request.SkipCertificateCheck, _run.Dns, Timeout, _run.Stop));

        /// <summary>
        /// The submission and, unless skipped, the round trip. The round trip sends the test message
        /// itself, so its sending is reported as the submission check: one SMTP login, not two.
        /// </summary>
        /// <param name="server">The submission server.</param>
        /// <param name="imapServer">The IMAP server the round trip awaits the message at.</param>
        public async Task<IEnumerable<CheckResult>> SendAndReceiveAsync(string server, string imapServer)
        {
            string emailAddress = _run.Request.EmailAddress;
            if (_run.Request.SkipMailFlow)
            {
                SmtpSendResult sent = await LogInAsync(
                    "SMTP",
                    () => new SmtpSendResult(server, 587),
                    () => SmtpSendCheck.RunAsync(SendRequest(server), _run.Dns, Timeout, _run.Stop)).ConfigureAwait(false);
                MailFlowResult skipped = SkippedResults.MailFlow(emailAddress, Texts.Diagnosis["Skip_MailFlowOff"]);
                skipped.SkipReason = SkipReason.NotReached;
                return new CheckResult[] { sent, skipped };
            }

            MailFlowResult flow = await LogInAsync(
                "MailFlow",
                () => new MailFlowResult(emailAddress),
                () =>
                {
                    var request = new MailFlowRequest(emailAddress, _run.Request.Login, server, 587, imapServer, 993)
                    {
                        SkipCertificateCheck = _run.Request.SkipCertificateCheck,
                    };
                    return MailFlowCheck.RunAsync(request, _run.Dns, Timeout, _run.Stop);
                }).ConfigureAwait(false);
            SmtpSendResult? submission = flow.SendResult;
            if (submission == null)
            {
                bool refused = flow.SkipReason == SkipReason.CredentialRefused || flow.CredentialRefused;
                submission = SkippedResults.SmtpSend(server, 587, refused ? RefusalReason() : Texts.Diagnosis.Format("Skip_SendNotReached", flow.Message));
                submission.SkipReason = refused ? SkipReason.CredentialRefused : SkipReason.NotReached;
            }

            return new CheckResult[] { submission, flow };
        }

        /// <summary>The provider's own diagnosis, which logs in with the password on the provider's side.</summary>
        public async Task<ProviderDiagnosisResult> ProviderDiagnosisAsync(Func<CancellationToken, Task<ProviderDiagnosisResult>> diagnose)
        {
            _run.Progress(Texts.Diagnosis["Progress_ProviderDiagnosis"]);
            ProviderDiagnosisResult result = await diagnose(_run.Stop).ConfigureAwait(false);
            _run.Log(result.ToString());
            return result;
        }

        public ProviderDiagnosisResult SkippedProviderDiagnosis()
        {
            var result = new ProviderDiagnosisResult(_run.Request.EmailAddress) { SkipReason = SkipReason.CredentialRefused };
            string reason = RefusalReason();
            result.AddStep("Skipped", CheckStatus.Skipped, reason);
            result.Conclude(CheckStatus.Skipped, DiagnosticCause.None, reason, null);
            return result;
        }

        /// <summary>True once a server refused the credentials.</summary>
        public bool Refused => _refusal != null;

        private string RefusalReason() => SkippedResults.CredentialRefusedReason(_refusal!.Target, _run.Request.Login.UserName);

        private SmtpSendRequest SendRequest(string server) => new SmtpSendRequest(server, 587, _run.Request.Login, _run.Request.EmailAddress, _run.Request.EmailAddress)
        {
            Security = MailSecurity.Auto,
            SkipCertificateCheck = _run.Request.SkipCertificateCheck,
        };

        private static Uri OwaUrl(string server) => new Uri($"https://{server}/owa/");

        private async Task<T> LogInAsync<T>(string protocol, Func<T> blank, Func<Task<T>> check)
            where T : CheckResult
        {
            if (_refusal != null)
            {
                T result = SkippedResults.Skip(blank(), RefusalReason());
                result.SkipReason = SkipReason.CredentialRefused;
                return result;
            }

            _run.Progress(Texts.Diagnosis.Format("Progress_Login", protocol));
            T checkedResult = await CheckGuard.RunAsync(check, blank, _run.Stop).ConfigureAwait(false);
            _run.Log(checkedResult.ToString());
            // Once a login proved the password right, another protocol refusing it (disabled for
            // this mailbox, say) costs the account nothing: the remaining logins still run.
            _proven |= checkedResult.Passed;
            if (checkedResult.CredentialRefused && !_proven)
            {
                _refusal = checkedResult;
            }

            return checkedResult;
        }
    }

    /// <summary>The certificates of each endpoint, checked beside the logins, each endpoint once.</summary>
    private sealed class CertificateChecks
    {
        private readonly Run _run;
        private readonly Dictionary<string, Task<CertificateResult>> _started = new Dictionary<string, Task<CertificateResult>>(StringComparer.OrdinalIgnoreCase);

        public CertificateChecks(Run run) => _run = run;

        public void Start(string server, int port, StartTlsMode startTls) => _ = StartAsync(server, port, startTls);

        public Task<CertificateResult> StartAsync(string server, int port, StartTlsMode startTls)
        {
            string key = $"{server}:{port}";
            if (!_started.TryGetValue(key, out Task<CertificateResult>? started))
            {
                started = CheckGuard.RunAsync(
                    () => CertificateCheck.RunAsync(server, port, startTls, CertificateWarningDays, _run.Dns, _run.Request.Timeout, _run.Stop),
                    () => new CertificateResult(server, port, startTls),
                    _run.Stop);
                _started[key] = started;
            }

            return started;
        }

        public async Task<IEnumerable<CheckResult>> AllAsync() => await Task.WhenAll(_started.Values).ConfigureAwait(false);
    }
}
