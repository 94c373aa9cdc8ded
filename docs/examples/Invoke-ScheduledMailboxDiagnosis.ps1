<#
.SYNOPSIS
    Diagnoses a list of mailboxes, writes a report for each, and exits with a code a scheduler can act on.
.DESCRIPTION
    Made for a scheduled task (Windows Task Scheduler, cron, a CI job, a monitoring agent). The CSV
    needs an EmailAddress column. Each mailbox's credential is read from
    <CredentialDirectory>/<address>.xml, written once by its owner with:

        Get-Credential user@contoso.com | Export-Clixml "creds/user@contoso.com.xml"

    (On Windows, Export-Clixml protects the password for the user and machine that wrote it: run the
    task as that user.) Reports go to <ReportDirectory>/<address>.html and .json; the summary goes
    to the output, one line per mailbox.

    Exit codes (the worst mailbox decides):
        0  every mailbox is healthy (Status Passed or Warning)
        1  at least one mailbox is unhealthy (Status Failed: the mailbox or its domain is broken)
        2  none is unhealthy, but at least one could not be diagnosed (Status Error: this computer's
           DNS or network, a wrong -ExchangeServer, a server that did not answer)
        3  bad input: the CSV, a credential file, an address or the report folder (all checked before
           the first diagnosis, which then does not run), or an input Invoke-ExchangeDiagnostic refused
    about_ExchangeDiag maps them to Nagios states.
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
$Healthy, $Unhealthy, $NotDiagnosed, $BadInput = 0, 1, 2, 3

function Stop-BadInput([string] $Why) {
    # To standard error, so a scheduler's log has it even where this runs inside an assignment.
    [Console]::Error.WriteLine("Bad input: $Why")
    exit $BadInput
}

Import-Module $ModulePath

# Everything the task was given is checked before the first mailbox is: a broken task
# configuration says so at once, not after an hour of diagnoses.
if (-not (Test-Path -LiteralPath $MailboxCsv -PathType Leaf)) { Stop-BadInput "the mailbox list $MailboxCsv does not exist." }
$rows = @(Import-Csv -LiteralPath $MailboxCsv)
if ($rows.Count -eq 0 -or $rows[0].PSObject.Properties.Name -notcontains 'EmailAddress') {
    Stop-BadInput "$MailboxCsv has no EmailAddress column (or no row)."
}

$mailboxes = foreach ($row in $rows) {
    $address = "$($row.EmailAddress)".Trim()
    if ($address -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') { Stop-BadInput "'$address' in $MailboxCsv is not an e-mail address." }
    $file = Join-Path $CredentialDirectory "$address.xml"
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { Stop-BadInput "no credential file $file for $address." }
    try {
        $credential = Import-Clixml -LiteralPath $file
    } catch {
        Stop-BadInput "the credential file $file cannot be read: $($_.Exception.Message)"
    }
    [pscustomobject]@{ EmailAddress = $address; Credential = $credential }
}

try {
    $null = New-Item -ItemType Directory -Path $ReportDirectory -Force
} catch {
    Stop-BadInput "the report folder $ReportDirectory cannot be created: $($_.Exception.Message)"
}

$options = @{ TimeoutSeconds = $TimeoutSeconds; SkipMailFlow = $SkipMailFlow }
if ($DnsServer) { $options.DnsServer = $DnsServer }

# An input the cmdlet refuses (an address another credential's user name does not match, say) is
# an error record, not a report: it is bad input too.
$reports = $mailboxes | Invoke-ExchangeDiagnostic @options -ErrorVariable problems -ErrorAction Continue
foreach ($report in $reports) {
    $report | Export-ExchangeDiagnosticReport -Path (Join-Path $ReportDirectory "$($report.EmailAddress).html")
    $report | Export-ExchangeDiagnosticReport -Path (Join-Path $ReportDirectory "$($report.EmailAddress).json")
    $causes = ($report.Causes | ForEach-Object Cause) -join ', '
    '{0,-40} {1,-8} {2}' -f $report.EmailAddress, $report.Status, $(if ($causes) { $causes } else { $report.Verdict })
}

$failed = @($reports | Where-Object Status -eq 'Failed').Count
$errors = @($reports | Where-Object Status -eq 'Error').Count
"$($reports.Count - $failed - $errors) healthy, $failed unhealthy, $errors not diagnosed, $($problems.Count) refused."
if ($failed -gt 0) { exit $Unhealthy }
if ($problems.Count -gt 0) { exit $BadInput }
if ($errors -gt 0) { exit $NotDiagnosed }
exit $Healthy
