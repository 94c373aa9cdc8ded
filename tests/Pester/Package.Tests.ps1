# The package written by build.ps1 -Task Package, installed the way users install modules.

BeforeAll {
    $script:manifest = Import-PowerShellDataFile $env:EXCHANGEDIAG_MODULE
    $script:package = Join-Path $env:EXCHANGEDIAG_REPO "output/ExchangeDiag.$($manifest.ModuleVersion).nupkg"
}

Describe 'The ExchangeDiag package' {
    It 'exists under output/ with the module version in its name' {
        $package | Should -Exist
    }

    It 'installs with Install-PSResource from a local repository, imports in a fresh process and runs a check' {
        $repository = Join-Path $TestDrive 'repository'
        $userData = Join-Path $TestDrive 'userdata'
        $null = New-Item -ItemType Directory -Path $repository, $userData
        Copy-Item $package $repository

        # PSResourceGet keeps its repository list and CurrentUser modules under the user's home
        # and data folders; pointing both at a temporary folder leaves the real user untouched.
        # pwsh.dll runs directly, since the dotnet tool launcher looks for its package under HOME.
        $previous = $env:HOME, $env:XDG_DATA_HOME
        $env:HOME = $userData
        # .NET ignores a data folder that does not exist yet, and PSResourceGet would then write
        # its repository list relative to the current directory.
        $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Path (Join-Path $userData '.local/share')).FullName
        Push-Location $TestDrive
        try {
            $installed = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name ExchangeDiagTest -Uri '$repository' -Trusted
Install-PSResource -Name ExchangeDiag -Repository ExchangeDiagTest -Scope CurrentUser -TrustRepository -Quiet
'INSTALLED ' + (Get-InstalledPSResource -Name ExchangeDiag).InstalledLocation
"@ 2>&1
            $location = ($installed | Where-Object { "$_" -like 'INSTALLED *' }) -replace '^INSTALLED ', ''
            $location | Should -BeLike "$userData*" -Because ($installed | Out-String)

            $ran = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$location' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module ExchangeDiag
'FROM ' + (Get-Module ExchangeDiag).ModuleBase
'STATUS ' + (Test-ExchangeMx -Domain ovh-ok.lab.test -Provider OvhEurope -DnsServer '$env:EXCHANGEDIAG_LAB_DNS').Status
"@ 2>&1
            $ran | Should -Contain "STATUS Passed" -Because ($ran | Out-String)
            ($ran | Where-Object { "$_" -like 'FROM *' }) | Should -BeLike "FROM $location*"
        }
        finally {
            Pop-Location
            $env:HOME, $env:XDG_DATA_HOME = $previous
        }
    }
}
