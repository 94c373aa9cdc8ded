<#
.SYNOPSIS
    Makes a ReadyToRun (precompiled) copy of the PowerShell this script runs in, in a temp folder, to
    measure the import as users of PowerShell's release packages see it:
    bench/Measure-Import.ps1 -Pwsh <the path this prints>. A benchmark helper, not part of the module.
.DESCRIPTION
    The repository's PowerShell is the .NET tool, whose assemblies are not ReadyToRun, so .NET compiles
    every PowerShell method a process uses; PowerShell's release packages (deb, rpm, msi, zip) are
    ReadyToRun. This copies the folder of this pwsh ($PSHOME) and compiles each of its managed
    assemblies with crossgen2 for this machine's runtime identifier. crossgen2 comes the SDK's way: a
    throwaway project published with PublishReadyToRun, so the SDK chooses the version that matches
    its runtime, and restore puts it in the NuGet cache. Needs the .NET SDK and access to the NuGet feed.
    Tried on Linux x64.
.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/New-ReadyToRunPwsh.ps1
#>
param(
    # Where the copy goes; emptied first.
    [string] $Destination = (Join-Path ([IO.Path]::GetTempPath()) 'exchangediag-pwsh-r2r')
)

$ErrorActionPreference = 'Stop'

function Invoke-Native([string] $FilePath, [string[]] $ArgumentList) {
    $output = & $FilePath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') exited with $LASTEXITCODE`n$($output -join "`n")" }
}

function Test-ManagedAssembly([string] $Path) {
    $stream = [IO.File]::OpenRead($Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
        try { $null -ne $pe.PEHeaders.CorHeader } catch { $false } finally { $pe.Dispose() }
    }
    finally { $stream.Dispose() }
}

$architecture = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
$os = if ($IsWindows) { 'windows' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
$rid = '{0}-{1}' -f $(if ($IsWindows) { 'win' } else { $os }), $architecture
$framework = 'net{0}.{1}' -f [Environment]::Version.Major, [Environment]::Version.Minor
$runtimeDirectory = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()

# The throwaway project: publishing it ReadyToRun has the SDK restore the crossgen2 package it picks.
$project = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-crossgen-$PID"
$null = New-Item -ItemType Directory -Path $project -Force
try {
    Set-Content (Join-Path $project 'Throwaway.csproj') "<Project Sdk=`"Microsoft.NET.Sdk`"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>$framework</TargetFramework></PropertyGroup></Project>"
    Set-Content (Join-Path $project 'Program.cs') 'System.Console.WriteLine();'
    Invoke-Native dotnet @('publish', $project, '-c', 'Release', '-r', $rid, '--self-contained', 'false',
        '-p:PublishReadyToRun=true', '-o', (Join-Path $project 'out'), '--nologo')
    $assets = Get-Content (Join-Path $project 'obj/project.assets.json') -Raw | ConvertFrom-Json
    $download = $assets.project.frameworks.$framework.downloadDependencies |
        Where-Object name -Like 'Microsoft.NETCore.App.Crossgen2.*' | Select-Object -First 1
    if (-not $download) { throw 'The SDK restored no crossgen2 package for the throwaway project.' }
    $version = $download.version.Trim('[]').Split(',')[0].Trim()
}
finally {
    Remove-Item $project -Recurse -Force -ErrorAction Ignore
}

$packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
$crossgen = Get-ChildItem ([IO.Path]::Combine($packages, $download.name.ToLowerInvariant(), $version, 'tools')) -File |
    Where-Object { $_.BaseName -eq 'crossgen2' -and $_.Extension -in '', '.exe' } | Select-Object -First 1
if (-not $crossgen) { throw "No crossgen2 in the NuGet cache under $packages for $($download.name) $version." }

Remove-Item $Destination -Recurse -Force -ErrorAction Ignore
$null = New-Item -ItemType Directory -Path $Destination
Copy-Item (Join-Path $PSHOME '*') $Destination -Recurse
# The references' wildcards go in a response file: PowerShell on Unix would expand them into file names.
$references = Join-Path ([IO.Path]::GetTempPath()) "exchangediag-crossgen-$PID.rsp"
Set-Content $references @('-r', (Join-Path $runtimeDirectory '*.dll'), '-r', (Join-Path $PSHOME '*.dll'))
$compiled = 0
try {
    foreach ($assembly in Get-ChildItem $PSHOME -Filter *.dll -File) {
        if (-not (Test-ManagedAssembly $assembly.FullName)) { continue }
        Invoke-Native $crossgen.FullName @($assembly.FullName, '-o', (Join-Path $Destination $assembly.Name), '-O',
            '--targetos', $os, '--targetarch', $architecture, "@$references")
        $compiled++
    }
}
finally {
    Remove-Item $references -ErrorAction Ignore
}

Write-Host "$compiled assemblies of $PSHOME compiled ReadyToRun for $rid by crossgen2 $version."
Join-Path $Destination 'pwsh.dll'
