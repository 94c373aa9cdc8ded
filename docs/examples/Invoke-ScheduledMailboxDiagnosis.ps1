<#
.SYNOPSIS
    Diagnoses a list of mailboxes, writes a report for each, and exits 1 when one is not healthy.
.DESCRIPTION
    Made for a scheduled task (Windows Task Scheduler, cron, a CI job). The CSV needs an
    EmailAddress column. Each mailbox's credential is read from <CredentialDirectory>/<address>.xml,
    written once by its owner with:

        Get-Credential user@contoso.com | Export-Clixml "creds/user@contoso.com.xml"

    (On Windows, Export-Clixml protects the password for the user and machine that wrote it: run the
    task as that user.) Reports go to <ReportDirectory>/<address>.html and .json; the summary goes
    to the output, one line per mailbox.
.EXAMPLE
    pwsh -NoProfile -File Invoke-ScheduledMailboxDiagnosis.ps1 -MailboxCsv mailboxes.csv -CredentialDirectory creds -ReportDirectory reports
#>
param(
    [Parameter(Mandatory)] [string] $MailboxCsv,
    [Parameter(Mandatory)] [string] $CredentialDirectory,
    [Parameter(Mandatory)] [string] $ReportDirectory,
    [string[]] $DnsServer,
    [int] $TimeoutSeconds = 30,
    [switch] $SkipMailFlow,
    # The module's name, or the path of its manifest where it is not installed.
    [string] $ModulePath = 'ExchangeDiag'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$null = New-Item -ItemType Directory -Path $ReportDirectory -Force

$mailboxes = Import-Csv -Path $MailboxCsv | ForEach-Object {
    [pscustomobject]@{
        EmailAddress = $_.EmailAddress
        Credential   = Import-Clixml -Path (Join-Path $CredentialDirectory "$($_.EmailAddress).xml")
    }
}

$options = @{ TimeoutSeconds = $TimeoutSeconds; SkipMailFlow = $SkipMailFlow }
if ($DnsServer) { $options.DnsServer = $DnsServer }

# A mailbox that could not be diagnosed at all (a bad address, say) counts as a failure too.
$reports = $mailboxes | Invoke-ExchangeDiagnostic @options -ErrorVariable problems -ErrorAction Continue
$unhealthy = 0
foreach ($report in $reports) {
    $report | Export-ExchangeDiagnosticReport -Path (Join-Path $ReportDirectory "$($report.EmailAddress).html")
    $report | Export-ExchangeDiagnosticReport -Path (Join-Path $ReportDirectory "$($report.EmailAddress).json")
    if (-not $report.Passed) { $unhealthy++ }
    $causes = ($report.Causes | ForEach-Object Cause) -join ', '
    '{0,-40} {1,-8} {2}' -f $report.EmailAddress, $report.Status, $(if ($causes) { $causes } else { $report.Verdict })
}

if ($unhealthy -gt 0 -or $problems.Count -gt 0) {
    "$unhealthy mailbox(es) unhealthy, $($problems.Count) not diagnosed."
    exit 1
}
exit 0
