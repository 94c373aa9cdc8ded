<#
.SYNOPSIS
    Runs the Pester tests against a built module, with the labs up, and writes the counts.
.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh process. It starts the labs (NSD for DNS, the
    Exchange emulator for HTTPS, Postfix and Dovecot for mail), then runs Pester in a child pwsh whose SSL_CERT_FILE trusts the
    lab CA as well as the system's: .NET reads that variable only when a process starts, and only
    the test process, never the machine, must trust the lab. The lab's addresses reach the tests
    through environment variables; the summary file holds the pass and fail counts.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $Path = @((Join-Path $PSScriptRoot 'Pester'), (Join-Path $PSScriptRoot 'faults')),
    [switch] $InLab
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent

if ($InLab) {
    $Path = $Path -split ','    # one argument across the process boundary
    Import-Module ([IO.Path]::Combine($root, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    @{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
    return
}

Import-Module (Join-Path $PSScriptRoot 'lab/Lab.psm1') -Force
$env:EXCHANGEDIAG_MODULE = (Resolve-Path $ModuleManifest).Path
$env:EXCHANGEDIAG_REPO = $root
Push-Location $root
try {
    $null = Invoke-InLab -FilePath $PSCommandPath -ArgumentList @('-ModuleManifest', $ModuleManifest, '-SummaryPath', $SummaryPath, '-Path', ($Path -join ','), '-InLab')
}
finally {
    Pop-Location
}
