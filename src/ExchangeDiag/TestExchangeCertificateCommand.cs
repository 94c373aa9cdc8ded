using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeCertificate: is the TLS certificate of an Exchange endpoint one that clients accept?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeCertificate")]
[OutputType(typeof(CertificateResult), typeof(bool))]
public sealed class TestExchangeCertificateCommand : ParallelCheckCommand<CertificateResult>
{
    /// <summary>The servers whose certificate to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ExchangeServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The TCP port: 443 (HTTPS), 993 (IMAPS), 587 or 25 with -StartTls Smtp, 143 with -StartTls Imap.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary>Speak SMTP or IMAP first and upgrade with STARTTLS, for ports that start in clear text.</summary>
    [Parameter]
    public StartTlsMode StartTls { get; set; } = StartTlsMode.None;

    /// <summary>A certificate that expires within this many days gives a Warning.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int WarningDays { get; set; } = 30;

    protected override IEnumerable<string> InputValues => Server;

    protected override string InvalidInputErrorId => "InvalidServerName";

    protected override string? Normalize(string input, out string? error) => HostNames.NormalizeServer(input, out error);

    protected override Task<CertificateResult> CheckAsync(string input, CancellationToken stop)
        => CertificateCheck.RunAsync(input, Port, StartTls, WarningDays, Dns, Timeout, stop);
}
