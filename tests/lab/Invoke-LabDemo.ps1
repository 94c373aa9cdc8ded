<#
.SYNOPSIS
    The demo: Invoke-ExchangeDiagnostic on a healthy lab mailbox and on one for each failure cause.
.DESCRIPTION
    build.ps1 -Task Demo runs this with the lab up (Start-AllLabs in Lab.psm1): DNS, the Exchange
    emulator, Postfix and Dovecot. Each case prints its verdict; the reports go to -OutputPath
    (HTML, Markdown and JSON per mailbox, plus one HTML file with all of them). Exits 1 when a case
    does not yield the cause it should, so CI can run the demo's assertions (tests/Pester/Demo.Tests.ps1).
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$null = New-Item -ItemType Directory -Path $OutputPath -Force
$dns = $env:EXCHANGEDIAG_LAB_DNS
$password = 'Correct-Horse-1'

# Each failure account of the lab, and the first cause the diagnosis must name.
$cases = @(
    @{ Case = 'healthy mailbox'; User = 'healthy@post.lab.test'; Expected = 'None' }
    @{ Case = 'blocked for spam'; User = 'spammer@post.lab.test'; Expected = 'AccountBlockedForSpam' }
    @{ Case = 'subscription expired'; User = 'expired@post.lab.test'; Expected = 'SubscriptionExpired' }
    @{ Case = 'locked by the security policy'; User = 'locked@post.lab.test'; Expected = 'AccountLocked' }
    @{ Case = 'wrong password'; User = 'healthy@post.lab.test'; Secret = 'Not-The-Password'; Expected = 'WrongPassword' }
    @{ Case = 'MX not the provider''s'; User = 'healthy@post.lab.test'; Extra = @{ Provider = 'OvhEurope' }; Expected = 'MxInvalid' }
    @{ Case = 'sending fails (quota)'; User = 'overquota@post.lab.test'; Expected = 'SendFailed' }
    @{ Case = 'mail does not arrive'; User = 'slow@post.lab.test'; Extra = @{ TimeoutSeconds = 4 }; Expected = 'ReceiveFailed' }
    @{ Case = 'platform incident'; User = 'healthy@incident.lab.test'; Expected = 'PlatformIncident' }
    @{ Case = 'wrong -ExchangeServer'; User = 'healthy@post.lab.test'; Extra = @{ ExchangeServer = 'unreachable.lab.test' }; Expected = 'WrongExchangeServer' }
    @{ Case = 'no network'; User = 'healthy@offline.lab.test'; Extra = @{ TimeoutSeconds = 4 }; Expected = 'LocalNetworkFailure' }
    @{ Case = 'DNS server down'; User = 'healthy@post.lab.test'; Extra = @{ DnsServer = '127.0.0.99:5300'; TimeoutSeconds = 2 }; Expected = 'LocalDnsFailure' }
    @{ Case = 'domain does not exist'; User = 'nobody@nowhere.lab.test'; Expected = 'DomainNotFound' }
)

$rows = foreach ($case in $cases) {
    $secret = if ($case.Secret) { $case.Secret } else { $password }
    $credential = [pscredential]::new($case.User, (ConvertTo-SecureString $secret -AsPlainText -Force))
    $extra = @{ DnsServer = $dns }
    if ($case.Extra) { $case.Extra.GetEnumerator() | ForEach-Object { $extra[$_.Key] = $_.Value } }    # a case may name its own DNS server
    Write-Host "`n=== $($case.Case): Invoke-ExchangeDiagnostic $($case.User) $(($extra.GetEnumerator() | ForEach-Object { "-$($_.Key) $($_.Value)" }) -join ' ')" -ForegroundColor Cyan
    $report = Invoke-ExchangeDiagnostic -EmailAddress $case.User -Credential $credential @extra
    $report | Out-Host
    $name = ($case.Case.ToLowerInvariant() -replace '[^a-z0-9]+', '-').Trim('-')
    foreach ($extension in 'html', 'md', 'json') {
        $report | Export-ExchangeDiagnosticReport -Path (Join-Path $OutputPath "$name.$extension")
    }

    $got = if ($report.Causes.Count -gt 0) { [string]$report.Causes[0].Cause } else { 'None' }
    [pscustomobject]@{
        Case     = $case.Case
        Mailbox  = $case.User
        Expected = $case.Expected
        Got      = $got
        Seconds  = [math]::Round($report.Duration.TotalSeconds, 2)
        OK       = $got -eq $case.Expected
        Report   = $report
    }
}

$rows.Report | Export-ExchangeDiagnosticReport -Path (Join-Path $OutputPath 'all-mailboxes.html')
Write-Host "`nSummary (reports in $OutputPath):" -ForegroundColor Cyan
# Wide enough for every column even when the output goes to a file or a CI log.
$rows | Format-Table Case, Mailbox, Expected, Got, Seconds, OK -AutoSize | Out-String -Width 160 | Write-Host
$wrong = @($rows | Where-Object { -not $_.OK })
if ($wrong.Count -gt 0) {
    Write-Host "$($wrong.Count) case(s) did not yield the expected cause: $($wrong.Case -join ', ')" -ForegroundColor Red
    exit 1
}
Write-Host "Every case yielded its expected cause." -ForegroundColor Green
exit 0
