<#
.SYNOPSIS
    Times Test-ExchangeSmtpSend and Test-ExchangeImapLogin against the mail lab (Postfix and
    Dovecot on loopback), beside swaks doing the same submission, in one run. A benchmark, not a test.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-MailChecks.ps1
#>
param([int] $Repeat = 5, [switch] $InLab)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }

if (-not $InLab) {
    if (-not (Get-Command swaks -ErrorAction Ignore)) {
        & apt-get install -y -qq swaks | Out-Null
    }

    # Every lab up, and this script again in a pwsh that trusts the lab CA (SSL_CERT_FILE is read at start).
    Import-Module (Join-Path $root 'tests/lab/Lab.psm1') -Force
    exit (Invoke-InLab -FilePath $PSCommandPath -ArgumentList '-Repeat', $Repeat, '-InLab')
}

Import-Module $manifest.FullName
$dns = $env:EXCHANGEDIAG_LAB_DNS
$user = 'healthy@post.lab.test'
$password = 'Correct-Horse-1'
$credential = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
$null = Test-ExchangeSmtpSend -Server mail.lab.test -Credential $credential -DnsServer $dns
foreach ($i in 1..$Repeat) {
    $smtp = Measure-Command { $sent = Test-ExchangeSmtpSend -Server mail.lab.test -Credential $credential -DnsServer $dns }
    $imap = Measure-Command { $login = Test-ExchangeImapLogin -Server imap.lab.test -Credential $credential -DnsServer $dns }
    $inbound = Measure-Command { $mx = Test-ExchangeInboundSmtp -Recipient $user -DnsServer $dns }
    'ExchangeDiag: SMTP {0:N0} ms ({1}); IMAP {2:N0} ms ({3}); inbound SMTP {4:N0} ms ({5})' -f $smtp.TotalMilliseconds, $sent.Status, $imap.TotalMilliseconds, $login.Status, $inbound.TotalMilliseconds, $mx.Status
}

foreach ($i in 1..$Repeat) {
    $flow = Measure-Command { $f = Test-ExchangeMailFlow -EmailAddress $user -Credential $credential -SmtpServer mail.lab.test -ImapServer imap.lab.test -DnsServer $dns }
    'ExchangeDiag: mail flow round trip: message latency {0:N0} ms, whole check {1:N0} ms ({2})' -f $f.MessageLatency.TotalMilliseconds, $flow.TotalMilliseconds, $f.Status
}

foreach ($i in 1..$Repeat) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    # swaks does not verify the certificate here (its default); ExchangeDiag does, CRL included.
    $null = & swaks --server '127.0.0.110:587' --tls --auth PLAIN --auth-user $user --auth-password $password `
        --from $user --to $user --header 'Subject: swaks benchmark' 2>&1
    $clock.Stop()
    'swaks: SMTP {0:N0} ms ({1})' -f $clock.Elapsed.TotalMilliseconds, $(if ($LASTEXITCODE -eq 0) { 'sent' } else { "exit $LASTEXITCODE" })
}
