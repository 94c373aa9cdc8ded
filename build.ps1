#Requires -Version 7.4
<#
.SYNOPSIS
    Builds and tests ExchangeDiag.
.DESCRIPTION
    Build (the default) compiles every target framework and lays the module out under
    output/ExchangeDiag/<version>/, with its help in every culture of docs/. Package builds and
    writes output/ExchangeDiag.<version>.nupkg, installable with Install-PSResource. Test packages,
    runs the xunit projects, then the Pester tests against the built module in a fresh pwsh
    process, and ends with one line "N passed, N failed". Clean removes the build output. Demo
    builds, starts the lab (DNS, the Exchange emulator, Postfix, Dovecot; root on Debian), runs
    Invoke-ExchangeDiagnostic on a healthy mailbox and on one for each failure cause, writes the
    reports under output/demo/ and stops the lab.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Demo
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$manifestSource = Join-Path $root 'ExchangeDiag.psd1'
$version = (Import-PowerShellDataFile $manifestSource).ModuleVersion
$outputRoot = Join-Path $root 'output'
$moduleDir = [IO.Path]::Combine($outputRoot, 'ExchangeDiag', $version)
$toolsDir = Join-Path $root '.tools'
$exitCode = 0

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') exited with $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "Building ExchangeDiag $version ($Configuration)" -ForegroundColor Cyan
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $moduleDir

    $publishRoot = Join-Path $outputRoot 'publish'
    foreach ($framework in 'net8.0', 'net472') {
        $publishDir = Join-Path $publishRoot $framework
        Invoke-Native dotnet @('publish', (Join-Path $root 'src/ExchangeDiag/ExchangeDiag.csproj'), '-c', $Configuration,
            '-f', $framework, '-o', $publishDir, "-p:Version=$version", '--nologo', '-v', 'quiet')
        $binDir = [IO.Path]::Combine($moduleDir, 'bin', $framework)
        $null = New-Item -ItemType Directory -Path $binDir
        # Publishing already leaves out what the target framework has; what remains are the
        # dependencies and the newer System.* libraries they need on PowerShell 7.4 (.NET 8) and
        # Windows PowerShell. PowerShell itself (System.Management.Automation) is never shipped.
        Get-ChildItem $publishDir -File | Where-Object {
            $_.Extension -in '.dll', '.pdb' -and $_.Name -ne 'System.Management.Automation.dll'
        } | Copy-Item -Destination $binDir
    }

    Invoke-Native dotnet @('publish', (Join-Path $root 'src/ExchangeDiag.LoadContext/ExchangeDiag.LoadContext.csproj'),
        '-c', $Configuration, '-o', (Join-Path $publishRoot 'loader'), "-p:Version=$version", '--nologo', '-v', 'quiet')
    Copy-Item ([IO.Path]::Combine($publishRoot, 'loader', 'ExchangeDiag.LoadContext.dll')) ([IO.Path]::Combine($moduleDir, 'bin', 'net8.0'))

    Copy-Item $manifestSource, (Join-Path $root 'src/module/ExchangeDiag.psm1'), (Join-Path $root 'src/module/ExchangeDiag.Desktop.ps1'),
        (Join-Path $root 'src/module/ExchangeDiag.Format.ps1xml'), (Join-Path $root 'src/module/ExchangeDiag.Pester.ps1'), (Join-Path $root 'LICENSE') $moduleDir
    # The nested manifest that imports PowerShell 7's cmdlets; its paths are relative to bin/.
    Copy-Item (Join-Path $root 'src/module/ExchangeDiag.Loader.psd1') (Join-Path $moduleDir 'bin')
    Import-Module (Join-Path $root 'src/help/HelpConverter.psm1') -Force
    Build-ModuleHelp -DocsPath (Join-Path $root 'docs') -ModulePath $moduleDir
    Write-Host "Module written to $moduleDir"
}

function Invoke-Package {
    Invoke-Build
    $package = Join-Path $outputRoot "ExchangeDiag.$version.nupkg"
    if (Test-Path $package) { Remove-Item $package }
    Compress-PSResource -Path $moduleDir -DestinationPath $outputRoot
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package" }
    Write-Host "Package written to $package"
}

function Restore-TestTools {
    # Pester (and the old DnsClient the isolation test loads) come from NuGet into .tools/,
    # never into the user's module path.
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/tools/TestTools.csproj'), '--nologo', '-v', 'quiet')
}

function Invoke-XunitTests {
    $resultsDir = Join-Path $outputRoot 'TestResults'
    if (Test-Path $resultsDir) { Remove-Item $resultsDir -Recurse -Force }
    & dotnet test (Join-Path $root 'ExchangeDiag.sln') -c $Configuration --nologo `
        --logger 'trx;LogFilePrefix=xunit' --results-directory $resultsDir | Out-Host
    $passed = 0; $failed = 0
    foreach ($trx in Get-ChildItem $resultsDir -Filter *.trx -Recurse) {
        $counters = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    if ($LASTEXITCODE -ne 0 -and $failed -eq 0) { $failed = 1 }   # the run broke before reporting
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Invoke-PesterTests {
    $summary = Join-Path $outputRoot 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    $runner = Join-Path $root 'tests/Invoke-PesterTests.ps1'
    & dotnet pwsh -NoProfile -NonInteractive -File $runner -ModuleManifest (Join-Path $moduleDir 'ExchangeDiag.psd1') -SummaryPath $summary | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    Get-Content $summary -Raw | ConvertFrom-Json
}

Push-Location $root
try {
    switch ($Task) {
        'Clean' {
            $buildDirs = Get-ChildItem $root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotLike "$toolsDir*"
            foreach ($dir in @($outputRoot) + @($buildDirs.FullName)) {
                if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
            }
        }
        'Build' { Invoke-Build }
        'Demo' {
            Invoke-Build
            Import-Module (Join-Path $root 'tests/lab/Lab.psm1') -Force
            $exitCode = Invoke-InLab -FilePath (Join-Path $root 'tests/lab/Invoke-LabDemo.ps1') -ArgumentList @(
                '-ModuleManifest', (Join-Path $moduleDir 'ExchangeDiag.psd1'), '-OutputPath', (Join-Path $outputRoot 'demo'))
        }
        'Package' { Invoke-Package }
        'Test' {
            Invoke-Package
            Restore-TestTools
            $xunit = Invoke-XunitTests
            $pester = Invoke-PesterTests
            $passed = $xunit.Passed + $pester.Passed
            $failed = $xunit.Failed + $pester.Failed
            Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
            Write-Output "$passed passed, $failed failed"
            if ($failed -gt 0) { $exitCode = 1 }
        }
    }
}
finally {
    Pop-Location
}
exit $exitCode
