<#
.SYNOPSIS
    Diagnoses a list of mailboxes, writes a report for each, and exits with a code a scheduler can act on.
.DESCRIPTION
    Made for a scheduled task (Windows Task Scheduler, cron, a CI job, a monitoring agent). The CSV
    needs an EmailAddress column. Each mailbox's credential comes from a SecretManagement vault
    (Microsoft.PowerShell.SecretManagement with a vault such as Microsoft.PowerShell.SecretStore),
    as the secret named after the address, stored once with:

        Set-Secret -Name user@contoso.com -Secret (Get-Credential user@contoso.com)

    (a vault entry holding the password alone, as a SecureString, works too). Reports go to
    <ReportDirectory>/<address>.html and .json; the summary goes to the output, one line per mailbox.

    Fallback where SecretManagement is not installed: -CredentialDirectory reads
    <CredentialDirectory>/<address>.xml, written with
    Get-Credential user@contoso.com | Export-Clixml "creds/user@contoso.com.xml". On Windows,
    Export-Clixml protects the password for the user and computer that wrote it (run the task as
    that user); on Linux and macOS the file holds the password in clear text.

    Exit codes (the worst mailbox decides):
        0  every mailbox is healthy (Status Passed or Warning)
        1  at least one mailbox is unhealthy (Status Failed: the mailbox or its domain is broken)
        2  none is unhealthy, but at least one could not be diagnosed (Status Error: this computer's
           DNS or network, a wrong -ExchangeServer, a server that did not answer)
        3  bad input: the CSV, a secret or credential file, an address or the report folder (all
           checked before the first diagnosis, which then does not run), or an input
           Invoke-ExchangeDiagnostic refused
    about_ExchangeDiag maps them to Nagios states.
.EXAMPLE
    pwsh -NoProfile -File Invoke-ScheduledMailboxDiagnosis.ps1 -MailboxCsv mailboxes.csv -ReportDirectory reports -Vault MailboxSecrets
.EXAMPLE
    pwsh -NoProfile -File Invoke-ScheduledMailboxDiagnosis.ps1 -MailboxCsv mailboxes.csv -ReportDirectory reports -CredentialDirectory creds
#>
param(
    [Parameter(Mandatory)] [string] $MailboxCsv,
    [Parameter(Mandatory)] [string] $ReportDirectory,
    # The SecretManagement vault that holds the credentials; the default vault when omitted.
    [string] $Vault,
    # Credential files of Export-Clixml instead of a vault.
    [string] $CredentialDirectory,
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

if (-not $CredentialDirectory -and -not (Get-Command -Name Get-Secret -ErrorAction SilentlyContinue)) {
    Stop-BadInput 'Microsoft.PowerShell.SecretManagement is not installed (Install-PSResource Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore), and no -CredentialDirectory was given.'
}

function Get-MailboxCredential([string] $Address) {
    if ($CredentialDirectory) {
        $file = Join-Path $CredentialDirectory "$Address.xml"
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { Stop-BadInput "no credential file $file for $Address." }
        try {
            return Import-Clixml -LiteralPath $file
        } catch {
            Stop-BadInput "the credential file $file cannot be read: $($_.Exception.Message)"
        }
    }
    $options = @{ Name = $Address; ErrorAction = 'Stop' }
    if ($Vault) { $options.Vault = $Vault }
    try {
        $secret = Get-Secret @options
    } catch {
        Stop-BadInput "no secret $Address in the vault$(if ($Vault) { " $Vault" }): $($_.Exception.Message)"
    }
    if ($secret -is [securestring]) { return [pscredential]::new($Address, $secret) }
    if ($secret -isnot [pscredential]) { Stop-BadInput "the secret $Address is neither a PSCredential nor a SecureString." }
    $secret
}

$mailboxes = foreach ($row in $rows) {
    $address = "$($row.EmailAddress)".Trim()
    if ($address -notmatch '^[^@\s]+@[^@\s]+\.[^@\s]+$') { Stop-BadInput "'$address' in $MailboxCsv is not an e-mail address." }
    [pscustomobject]@{ EmailAddress = $address; Credential = Get-MailboxCredential $address }
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
