# Installs what the tests need from Debian's packages, only when it is missing, and without
# starting any daemon a package ships: the labs run their own copies under their work folders.

function Install-DebianPackage {
    <#
    .SYNOPSIS
        Installs Debian packages when one of the files they provide is missing (root only).
    .PARAMETER Package
        The packages to install, such as chromium or postfix.
    .PARAMETER Path
        Files the packages provide; nothing is installed when every one exists.
    .PARAMETER DebconfSelection
        Answers for the packages' installers (debconf-set-selections lines), so none asks a question.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $Package,
        [Parameter(Mandatory)] [string[]] $Path,
        [string[]] $DebconfSelection
    )

    $missing = $Path | Where-Object { -not (Test-Path $_) }
    if (-not $missing) { return }
    if ((id -u) -ne '0') {
        throw "$($missing -join ', ') missing and this is not root: run 'apt-get install $($Package -join ' ')' first."
    }

    Write-Host "Installing $($Package -join ', ') from the Debian packages..."
    # Debian starts a freshly installed daemon unless policy-rc.d forbids it.
    $policy = '/usr/sbin/policy-rc.d'
    $ownPolicy = -not (Test-Path $policy)
    if ($ownPolicy) {
        Set-Content -Path $policy -Value "#!/bin/sh`n# Temporary, from ExchangeDiag's DebianPackages.psm1`nexit 101`n" -NoNewline
        & chmod 0755 $policy
    }
    try {
        if ($DebconfSelection) { $DebconfSelection | & debconf-set-selections }
        $out = & apt-get update -qq 2>&1
        if ($LASTEXITCODE -eq 0) { $out = & env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq @Package 2>&1 }
        if ($LASTEXITCODE -ne 0) { throw "apt-get could not install $($Package -join ', '):`n$($out | Out-String)" }
    }
    finally {
        if ($ownPolicy) { Remove-Item $policy -Force -ErrorAction Ignore }
    }

    $stillMissing = $Path | Where-Object { -not (Test-Path $_) }
    if ($stillMissing) { throw "apt-get installed $($Package -join ', ') but $($stillMissing -join ', ') is still missing." }
}

Export-ModuleMember -Function Install-DebianPackage
