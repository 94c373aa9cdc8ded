using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Auth;
using ExchangeDiag.Diagnosis;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// Invoke-ExchangeDiagnostic: every check of a mailbox, as the provider's control panel runs them,
/// and the root causes they point to, in one report per mailbox.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ExchangeDiagnostic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Invoke-ExchangeDiagnostic.md")]
[OutputType(typeof(DiagnosticReport), typeof(bool))]
public sealed class InvokeExchangeDiagnosticCommand : OAuthCheckCommand<DiagnosticReport>
{
    // Written on the pipeline thread, read by the diagnoses running beside it.
    private readonly ConcurrentDictionary<string, NetworkCredential> _credentials = new ConcurrentDictionary<string, NetworkCredential>(StringComparer.OrdinalIgnoreCase);

    // The login names already used in this run, and for which mailbox.
    private readonly Dictionary<string, string> _mailboxByLogin = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    private static readonly TimeSpan ProviderDiagnosisWait = TimeSpan.FromMinutes(10);
    private static readonly Auth.MailProtocol[] AllProtocols = { Auth.MailProtocol.Ews, Auth.MailProtocol.Imap, Auth.MailProtocol.Smtp };
    private static readonly TimeSpan ProviderDiagnosisPoll = TimeSpan.FromSeconds(2);
    private string? _exchangeServer;
    private OvhClientUse? _ovh;
    private int _progressIds;
    private IReadOnlyList<string>? _dkimSelectors;
    private MailProvider? _provider;

    // The provider's keys, which every diagnosis cuts from its texts beside its own mailbox's password.
    private readonly SecretRedactor _providerSecrets = new SecretRedactor();
    private IReadOnlyList<string>? _blocklistZones;

    public InvokeExchangeDiagnosticCommand()
    {
        TimeoutSeconds = 30;
    }

    /// <summary>The mailboxes to diagnose.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] EmailAddress { get; set; } = Array.Empty<string>();

    /// <summary>The mailbox's credential: its full e-mail address and password (or an empty user name). Not used with -AuthMethod OAuth.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The hosted offer; detected from the MX and SRV records when omitted.</summary>
    [Parameter]
    public MailProvider Provider { get; set; }

    /// <summary>The Exchange server, such as ex4.mail.ovh.net; found through the SRV record and Autodiscover when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExchangeServer { get; set; }

    /// <summary>Leave out the round trip of a test message (the submission is still tried).</summary>
    [Parameter]
    public SwitchParameter SkipMailFlow { get; set; }

    /// <summary>Leave out the checks of the domain's mail authentication: SPF, DKIM, DMARC, DNS blocklists and MTA-STS.</summary>
    [Parameter]
    public SwitchParameter SkipDomainAuthentication { get; set; }

    /// <summary>The DKIM selectors to look up (the s= of a DKIM-Signature header); the provider's and common ones when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 16)]
    public string[]? DkimSelector { get; set; }

    /// <summary>The DNS blocklist zones to ask about the domain's mail servers; a small documented set when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 16)]
    public string[]? BlocklistZone { get; set; }

    /// <summary>How many mailboxes are diagnosed at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>The language of messages, remediation and verdict, such as fr-FR; the PowerShell UI culture by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public CultureInfo? Culture { get; set; }

    /// <summary>
    /// Also run the provider's own diagnosis (OVHcloud API, up to 10 minutes) and set its answers
    /// beside ours. Needs Connect-ExchangeDiagOvh, the OVH_* variables or an ovh.conf file.
    /// </summary>
    [Parameter]
    public SwitchParameter ProviderDiagnosis { get; set; }

    protected override int Concurrency => ThrottleLimit;

    protected override CultureInfo? MessageCulture => Culture;

    protected override IEnumerable<string> InputValues => EmailAddress;

    protected override string InvalidInputErrorId => "InvalidEmailAddress";

    protected override void Begin()
    {
        if (ExchangeServer != null)
        {
            _exchangeServer = HostNames.NormalizeServer(ExchangeServer, out string? why);
            if (_exchangeServer == null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Parameter_Invalid", nameof(ExchangeServer), ExchangeServer, why)), "InvalidExchangeServer", ErrorCategory.InvalidArgument, ExchangeServer));
            }
        }

        // Read on the pipeline thread: the diagnoses run beside it while PowerShell rebinds parameters.
        _provider = MyInvocation.BoundParameters.ContainsKey(nameof(Provider)) ? Provider : null;
        _blocklistZones = HostNames.Normalize(this, nameof(BlocklistZone), BlocklistZone)?.Distinct(StringComparer.Ordinal).ToArray();
        _dkimSelectors = HostNames.NormalizeDkimSelectors(this, nameof(DkimSelector), DkimSelector);
        ConnectToProviderApi();
        base.Begin();
        if (UsesOAuth && ProviderDiagnosis.IsPresent)
        {
            // The provider's diagnosis logs in with the password itself: there is none with OAuth.
            WriteWarning(Texts.Commands["OAuth_NoProviderDiagnosis"]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ovh?.Dispose();
            _ovh = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The provider's facts (account state, its own diagnosis) join the diagnosis whenever API
    /// credentials are at hand: the session of Connect-ExchangeDiagOvh, the OVH_* variables or ovh.conf.
    /// </summary>
    private void ConnectToProviderApi()
    {
        // Microsoft 365 has no OVHcloud account: its API is neither asked nor announced as missing.
        if (_provider.HasValue && !Checks.ProviderProfile.For(_provider.Value).HasOvhApi)
        {
            if (ProviderDiagnosis.IsPresent)
            {
                var error = new ArgumentException(Texts.Commands.Format("ProviderDiagnosis_NotForProvider", _provider.Value));
                ThrowTerminatingError(new ErrorRecord(error, "ProviderDiagnosisNotAvailable", ErrorCategory.InvalidArgument, _provider.Value));
            }

            return;
        }

        // One API call (its retries included) ends within half the account-state check's time, so an
        // outage reads as an outage, not as the check's timeout.
        TimeSpan callTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSeconds / 2.0, 30));
        _ovh = OvhClientUse.TryStart(this, new OvhCredentialParameters(), WriteVerboseFromAnyThread, callTimeout, out string? problem);
        if (_ovh == null)
        {
            if (problem != null)
            {
                WriteWarning(Texts.Commands.Format("Ovh_StateLeftOut", problem));
            }

            if (ProviderDiagnosis.IsPresent)
            {
                var error = new InvalidOperationException(Texts.Commands["Ovh_DiagnosisNeedsCredentials"]);
                ThrowTerminatingError(new ErrorRecord(error, "NoOvhCredentials", ErrorCategory.AuthenticationError, null));
            }

            return;
        }

        Secrets.Add(_ovh.Client.Secrets);
        _providerSecrets.Add(_ovh.Client.Secrets);
        WriteVerbose($"The provider's account state comes from the OVHcloud API: {_ovh.Client.Credentials}.");
    }

    protected override void Process()
    {
        // Credentials come with each piped object, so an empty one fails that input alone.
        if (!UsesOAuth && EmptyCredential.IsEmpty(Credential))
        {
            WriteError(EmptyCredential.Error(Credential));
            return;
        }

        base.Process();
    }

    protected override string? Normalize(string input, out string? error)
    {
        string? address = HostNames.NormalizeEmailAddress(input, out error);
        if (address == null)
        {
            return null;
        }

        if (_credentials.ContainsKey(address))
        {
            // Diagnosing the same mailbox twice at once would spend its failed-login allowance twice.
            error = Texts.Commands["Input_Duplicate"];
            return null;
        }

        if (UsesOAuth)
        {
            // Each mailbox signs in as itself: nothing of this pipeline object's Credential is used.
            _credentials[address] = new NetworkCredential(address, string.Empty);
            return address;
        }

        NetworkCredential credential = Credential.GetNetworkCredential();
        string user = credential.UserName;
        if (!string.IsNullOrEmpty(credential.Domain))
        {
            user = $"{credential.Domain}\\{user}";
        }

        if (user.Length == 0)
        {
            credential = new NetworkCredential(address, credential.SecurePassword);
        }
        else if (user.Contains("@") && !string.Equals(user, address, StringComparison.OrdinalIgnoreCase))
        {
            // Never send one mailbox's password in another's name: pipe objects with their own Credential.
            error = Texts.Commands.Format("Credential_OtherUser", user);
            return null;
        }
        else if (_mailboxByLogin.TryGetValue(user, out string? first))
        {
            // A login such as DOMAIN\user used for several mailboxes would spend one account's
            // failed-login allowance once per mailbox, some of them at the same time.
            error = Texts.Commands.Format("Credential_LoginReused", user, first);
            return null;
        }

        _mailboxByLogin[user.Length == 0 ? address : user] = address;
        _credentials[address] = credential;
        Secrets.Add(credential);
        return address;
    }

    /// <summary>
    /// What one diagnosis cuts from its texts: its own mailbox's password and the provider's keys.
    /// Another mailbox's password is never sent to this mailbox's servers, and cutting every
    /// mailbox's forms from every text made a run of N mailboxes cost N² (500 took minutes).
    /// </summary>
    private SecretRedactor DiagnosisSecrets(NetworkCredential credential)
    {
        var secrets = new SecretRedactor();
        secrets.Add(_providerSecrets);
        secrets.Add(credential);
        return secrets;
    }

    /// <summary>
    /// A diagnosis logs in with the password and, unless -SkipMailFlow, sends a real test message:
    /// -WhatIf does neither and says what it would do.
    /// </summary>
    protected override bool ShouldCheck(string input)
        => ShouldProcess(input, SkipMailFlow.IsPresent
            ? Texts.Commands["WhatIf_Diagnose"]
            : Texts.Commands["WhatIf_DiagnoseAndSend"]);

    protected override async Task<DiagnosticReport> CheckAsync(string input, CancellationToken stop)
    {
        SecretRedactor secrets = DiagnosisSecrets(_credentials[input]);
        EntraSignIn? signIn = !UsesOAuth ? null : StartSignIn(input, token =>
        {
            Secrets.Add(token);
            secrets.Add(token);
        });
        MailboxLogin login;
        if (signIn == null)
        {
            login = MailboxLogin.Basic(_credentials[input]);
        }
        else
        {
            // Before any check's deadline runs: a person may take minutes to sign in.
            await OAuthSignIn.PrepareAsync(signIn, AllProtocols, stop).ConfigureAwait(false);
            login = MailboxLogin.OAuth(input, signIn);
            if (_exchangeServer != null)
            {
                login.AllowTokenAt(_exchangeServer);
            }
        }

        var request = new DiagnosisRequest(input, login)
        {
            Provider = _provider,
            ExchangeServer = _exchangeServer,
            SkipMailFlow = SkipMailFlow.IsPresent,
            SkipCertificateCheck = SkipCertificates,
            SkipDomainAuthentication = SkipDomainAuthentication.IsPresent,
            DkimSelectors = _dkimSelectors,
            BlocklistZones = _blocklistZones,
            Timeout = Timeout,
            Secrets = secrets,
        };
        OvhClient? ovh = _ovh?.Client;
        if (ovh != null)
        {
            request.AccountState = async stop => await AccountStateCheck.RunAsync(ovh, input, null, null, Timeout, stop).ConfigureAwait(false);
            if (ProviderDiagnosis.IsPresent && signIn == null)
            {
                System.Security.SecureString password = _credentials[input].SecurePassword;
                request.ProviderDiagnosis = stop => ProviderDiagnosisCheck.RunAsync(ovh, input, password, null, null, ProviderDiagnosisPoll, ProviderDiagnosisWait, stop);
            }
        }

        int progressId = Interlocked.Increment(ref _progressIds);
        string activity = $"{MyInvocation.MyCommand.Name} {input}";
        void Progress(string status) => OnPipelineThread(() => WriteProgress(new ProgressRecord(progressId, activity, status)));
        try
        {
            return await MailboxDiagnosis.RunAsync(request, Dns, WriteVerboseFromAnyThread, Progress, stop).ConfigureAwait(false);
        }
        finally
        {
            OnPipelineThread(() => WriteProgress(new ProgressRecord(progressId, activity, Texts.Commands["Progress_Done"]) { RecordType = ProgressRecordType.Completed }));
        }
    }
}
