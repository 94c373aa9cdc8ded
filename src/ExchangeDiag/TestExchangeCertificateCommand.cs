using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeCertificate: is the TLS certificate of an Exchange endpoint one that clients accept?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeCertificate", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeCertificate.md")]
[OutputType(typeof(CertificateResult), typeof(bool))]
public sealed class TestExchangeCertificateCommand : ParallelCheckCommand<CertificateResult>
{
    /// <summary>The servers whose certificate to check: host, host:port, or [IPv6]:port.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ExchangeServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The TCP port of servers given without one: 443 by default.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>
    /// Speak SMTP, IMAP or POP3 first and upgrade with STARTTLS. By default chosen by port:
    /// Smtp on 25 and 587, Imap on 143, Pop on 110, None (TLS from the first byte) elsewhere.
    /// </summary>
    [Parameter]
    public StartTlsMode StartTls { get; set; } = StartTlsMode.None;

    /// <summary>A certificate that expires within this many days gives a Warning.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int WarningDays { get; set; } = 30;

    // Read on the pipeline thread: PowerShell rewrites BoundParameters for each pipeline record.
    private bool _startTlsGiven;

    protected override IEnumerable<string> InputValues => Server;

    protected override void Begin()
    {
        _startTlsGiven = MyInvocation.BoundParameters.ContainsKey(nameof(StartTls));
        base.Begin();
    }

    protected override string InvalidInputErrorId => "InvalidServerName";

    /// <summary>The server and its port, as "host:port" or "[IPv6]:port", for <see cref="CheckAsync"/>.</summary>
    protected override string? Normalize(string input, out string? error)
    {
        string? host = HostNames.NormalizeServerAndPort(input, out int? port, out error);
        if (host == null)
        {
            return null;
        }

        string authority = host.IndexOf(':') >= 0 ? $"[{host}]" : host;
        return $"{authority}:{port ?? Port}";
    }

    protected override Task<CertificateResult> CheckAsync(string input, CancellationToken stop)
    {
        int colon = input.LastIndexOf(':');
        string host = input.Substring(0, colon).Trim('[', ']');
        int port = int.Parse(input.Substring(colon + 1), CultureInfo.InvariantCulture);
        StartTlsMode startTls = _startTlsGiven ? StartTls : CertificateCheck.DefaultStartTls(port);
        return CertificateCheck.RunAsync(host, port, startTls, WarningDays, Dns, Timeout, stop);
    }
}
