<#
.SYNOPSIS
    Times Test-ExchangeSmtpSend and Test-ExchangeImapLogin against the mail lab (Postfix and
    Dovecot on loopback), beside swaks doing the same submission, in one run. A benchmark, not a test.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Measure-MailChecks.ps1
#>
param([int] $Repeat = 5)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Get-Item ([IO.Path]::Combine($root, 'output', 'ExchangeDiag', '*', 'ExchangeDiag.psd1')) | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: dotnet pwsh -NoProfile -File ./build.ps1' }
if (-not (Get-Command swaks -ErrorAction Ignore)) {
    & apt-get install -y -qq swaks | Out-Null
}

Import-Module (Join-Path $root 'tests/lab/DnsLab.psm1'), (Join-Path $root 'tests/lab/ExchangeLab.psm1'), (Join-Path $root 'tests/lab/MailLab.psm1')
$dns = Start-DnsLab
$exchange = Start-ExchangeLab
$mail = Start-MailLab -PkiDir $exchange.PkiDir
try {
    # The module's side runs in a pwsh that trusts the lab CA (SSL_CERT_FILE is read at start).
    $script = @"
Import-Module '$($manifest.FullName)'
`$credential = [pscredential]::new('healthy@$($mail.Domain)', (ConvertTo-SecureString '$($mail.Password)' -AsPlainText -Force))
`$null = Test-ExchangeSmtpSend -Server mail.lab.test -Credential `$credential -DnsServer '$($dns.Server)'
foreach (`$i in 1..$Repeat) {
    `$smtp = Measure-Command { `$r = Test-ExchangeSmtpSend -Server mail.lab.test -Credential `$credential -DnsServer '$($dns.Server)' }
    `$imap = Measure-Command { `$i2 = Test-ExchangeImapLogin -Server imap.lab.test -Credential `$credential -DnsServer '$($dns.Server)' }
    `$inbound = Measure-Command { `$i3 = Test-ExchangeInboundSmtp -Recipient 'healthy@$($mail.Domain)' -DnsServer '$($dns.Server)' }
    'SMTP {0:N0} ms ({1}); IMAP {2:N0} ms ({3}); inbound SMTP {4:N0} ms ({5})' -f `$smtp.TotalMilliseconds, `$r.Status, `$imap.TotalMilliseconds, `$i2.Status, `$inbound.TotalMilliseconds, `$i3.Status
}
foreach (`$i in 1..$Repeat) {
    `$flow = Measure-Command { `$f = Test-ExchangeMailFlow -EmailAddress 'healthy@$($mail.Domain)' -Credential `$credential -SmtpServer mail.lab.test -ImapServer imap.lab.test -DnsServer '$($dns.Server)' }
    'mail flow round trip: message latency {0:N0} ms, whole check {1:N0} ms ({2})' -f `$f.MessageLatency.TotalMilliseconds, `$flow.TotalMilliseconds, `$f.Status
}
"@
    $env:SSL_CERT_FILE = $exchange.TrustBundle
    Push-Location $root
    try { & dotnet pwsh -NoProfile -NonInteractive -Command $script | ForEach-Object { "ExchangeDiag: $_" } }
    finally { Pop-Location }

    foreach ($i in 1..$Repeat) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        # swaks does not verify the certificate here (its default); ExchangeDiag does, CRL included.
        $null = & swaks --server "$($mail.SmtpServer):587" --tls `
            --auth PLAIN --auth-user "healthy@$($mail.Domain)" --auth-password $mail.Password `
            --from "healthy@$($mail.Domain)" --to "healthy@$($mail.Domain)" --header 'Subject: swaks benchmark' 2>&1
        $clock.Stop()
        'swaks: SMTP {0:N0} ms ({1})' -f $clock.Elapsed.TotalMilliseconds, $(if ($LASTEXITCODE -eq 0) { 'sent' } else { "exit $LASTEXITCODE" })
    }
}
finally {
    Stop-MailLab $mail
    Stop-ExchangeLab $exchange
    Stop-DnsLab $dns
}
