# The Exchange emulator (tests/ExchangeEmulator) on loopback, with certificates from a lab CA made
# for this run. Its host names resolve through the DNS lab (DnsLab.psm1), never /etc/hosts.

function Start-ExchangeLab {
    <#
    .SYNOPSIS
        Builds the emulator, makes the lab PKI, starts serving exchange-lab.json, and returns the
        lab's facts, including TrustBundle: the system's CA certificates plus the lab CA, for
        SSL_CERT_FILE in a test process.
    #>
    [CmdletBinding()]
    param([string] $WorkDir = (Join-Path ([IO.Path]::GetTempPath()) "exchangediag-exlab-$PID"))

    $repo = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    if (Test-Path $WorkDir) { Remove-Item $WorkDir -Recurse -Force }
    $binDir = Join-Path $WorkDir 'bin'
    $pkiDir = Join-Path $WorkDir 'pki'
    $null = New-Item -ItemType Directory -Path $binDir, $pkiDir

    # exchange-lab.json with bulk1..bulk500@post.lab.test, healthy mailboxes by the hundred that the
    # mail lab serves too (MailLab.psm1), for bench/Measure-Diagnosis.ps1.
    $config = Join-Path $WorkDir 'exchange-lab.json'
    $bulk = (1..500 | ForEach-Object { "    { ""email"": ""bulk$_@post.lab.test"", ""password"": ""Correct-Horse-1"", ""state"": ""healthy"" }," }) -join "`n"
    $text = Get-Content (Join-Path $PSScriptRoot 'exchange-lab.json') -Raw
    $marker = "`n  ""accounts"": ["
    if ($text.IndexOf($marker) -lt 0) { throw "exchange-lab.json has no top-level accounts list to add the bulk accounts to." }
    Set-Content -Path $config -Value $text.Replace($marker, "$marker`n$bulk") -NoNewline

    & dotnet build (Join-Path $repo 'tests/ExchangeEmulator/ExchangeEmulator.csproj') -c Release -o $binDir --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The Exchange emulator did not build.' }
    $emulator = Join-Path $binDir 'ExchangeEmulator.dll'

    & dotnet $emulator pki --out $pkiDir --config $config | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The Exchange emulator could not make the lab PKI.' }

    $bundle = Join-Path $WorkDir 'trust.pem'
    $system = '/etc/ssl/certs/ca-certificates.crt'
    $systemText = if (Test-Path $system) { Get-Content $system -Raw } else { '' }
    Set-Content -Path $bundle -Value ($systemText + "`n" + (Get-Content (Join-Path $pkiDir 'ca.crt') -Raw)) -NoNewline

    $log = Join-Path $WorkDir 'emulator.log'
    $process = Start-Process -FilePath dotnet -ArgumentList @($emulator, 'serve', '--config', $config, '--pki', $pkiDir) `
        -RedirectStandardOutput $log -RedirectStandardError (Join-Path $WorkDir 'emulator.err') -PassThru
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not ((Test-Path $log) -and (Select-String -Path $log -Pattern 'EMULATOR READY' -Quiet))) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            throw "The Exchange emulator did not start:`n$(Get-Content (Join-Path $WorkDir 'emulator.err') -Raw -ErrorAction Ignore)"
        }
        Start-Sleep -Milliseconds 100
    }

    # The lab's Entra ID tenant (the identity section; contract in tests/ExchangeEmulator/README.md).
    $identity = ($text | ConvertFrom-Json).identity
    [pscustomobject]@{
        WorkDir           = $WorkDir
        Process           = $process
        TrustBundle       = $bundle
        PkiDir            = $pkiDir
        Control           = 'http://127.0.0.95/_lab'
        OvhApi            = 'https://127.0.0.120/1.0'
        TenantId          = $identity.tenantId
        Authority         = "https://login.lab.test/$($identity.tenantId)/"
        SignIn            = 'http://127.0.0.95/_lab/idp/signin'
        PublicClientId    = $identity.apps[0].clientId
        NoConsentClientId = $identity.apps[1].clientId
        DaemonClientId    = $identity.apps[2].clientId
        # The daemon's certificate with its private key (no password), and the key Dovecot verifies tokens with.
        DaemonCertificate = Join-Path $pkiDir 'appClient.pfx'
        SigningPublicKey  = Join-Path $pkiDir 'idp-signing.pub.pem'
    }
}

function Stop-ExchangeLab {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab)

    if (-not $Lab.Process.HasExited) {
        Stop-Process -Id $Lab.Process.Id -ErrorAction Ignore
        $null = $Lab.Process.WaitForExit(10000)
    }
    Remove-Item $Lab.WorkDir -Recurse -Force -ErrorAction Ignore
}

Export-ModuleMember -Function Start-ExchangeLab, Stop-ExchangeLab
