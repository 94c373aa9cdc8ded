# Every lab at once, for the test run, the demo and the benchmarks: NSD (DnsLab), the Exchange
# emulator with its OVHcloud API (ExchangeLab), Postfix and Dovecot (MailLab). Root only, loopback only.

Import-Module (Join-Path $PSScriptRoot 'DnsLab.psm1')
Import-Module (Join-Path $PSScriptRoot 'ExchangeLab.psm1')
Import-Module (Join-Path $PSScriptRoot 'MailLab.psm1')

# What Dovecot needs to check the emulator's access tokens itself: its public signing key (written
# by the pki mode, so the mail lab starts after the Exchange lab), the issuer of its tenant, and the
# client ids of its apps, all from exchange-lab.json's "identity" when it has one.
function Get-MailLabIdentity($ExchangeLab) {
    $identity = @{ IdpSigningKey = Join-Path $ExchangeLab.PkiDir 'idp-signing.pub.pem' }
    $config = Get-Content (Join-Path $PSScriptRoot 'exchange-lab.json') -Raw | ConvertFrom-Json
    if ($config.identity.tenantId) { $identity.IdpIssuer = "https://login.lab.test/$($config.identity.tenantId)/v2.0" }
    if ($config.identity.apps.clientId) { $identity.IdpClientId = @($config.identity.apps.clientId) }
    $identity
}

<#
.SYNOPSIS
    Starts the labs, runs a script in a child pwsh that trusts the lab CA, stops the labs, and
    returns the script's exit code. .NET reads SSL_CERT_FILE only when a process starts, and only
    that process, never the machine, must trust the lab. The lab's addresses reach the script
    through EXCHANGEDIAG_LAB_* environment variables.
#>
function Invoke-InLab {
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @()
    )

    $dnsLab = Start-DnsLab
    try {
        $exchangeLab = Start-ExchangeLab
        try {
            $identity = Get-MailLabIdentity $exchangeLab
            $mailLab = Start-MailLab -PkiDir $exchangeLab.PkiDir @identity
            try {
                $env:EXCHANGEDIAG_LAB_DNS = $dnsLab.Server
                $env:EXCHANGEDIAG_LAB_DNS_V6 = $dnsLab.ServerV6
                $env:EXCHANGEDIAG_LAB_DNS_PORT53 = $dnsLab.ServerDefaultPort
                $env:EXCHANGEDIAG_LAB_CONTROL = $exchangeLab.Control
                # The lab PKI: the lab Entra ID's app certificate (appClient.pfx) and its token-signing key.
                $env:EXCHANGEDIAG_LAB_PKI = $exchangeLab.PkiDir
                $env:EXCHANGEDIAG_LAB_DOVECOT_LOG = $mailLab.DovecotLog
                $env:EXCHANGEDIAG_LAB_OVH = $exchangeLab.OvhApi
                $env:SSL_CERT_FILE = $exchangeLab.TrustBundle
                # The child writes to this console itself, so tables keep its width and colours.
                $child = Start-Process -FilePath dotnet -ArgumentList (@('pwsh', '-NoProfile', '-NonInteractive', '-File', $FilePath) + $ArgumentList) -NoNewWindow -Wait -PassThru
                $child.ExitCode
            }
            finally { Stop-MailLab $mailLab }
        }
        finally { Stop-ExchangeLab $exchangeLab }
    }
    finally { Stop-DnsLab $dnsLab }
}

Export-ModuleMember -Function Invoke-InLab
