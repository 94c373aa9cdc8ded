# The module as a user receives it: the built copy under output/, imported into PowerShell 7.

BeforeAll {
    $script:manifest = $env:EXCHANGEDIAG_MODULE
    $script:moduleDir = Split-Path $manifest -Parent
    $script:dns = $env:EXCHANGEDIAG_LAB_DNS
    $script:cmdlets = @('Connect-ExchangeDiagOvh', 'Disconnect-ExchangeDiagOvh', 'Export-ExchangeDiagnosticReport', 'Get-ExchangeAccountState', 'Invoke-ExchangeDiagnostic', 'Invoke-ExchangeDiagnosticOvh', 'New-ExchangeSupportTicket', 'Test-ExchangeAutodiscover', 'Test-ExchangeBlocklist', 'Test-ExchangeCertificate', 'Test-ExchangeDkim', 'Test-ExchangeDmarc', 'Test-ExchangeEwsLogin', 'Test-ExchangeImapLogin', 'Test-ExchangeInboundSmtp', 'Test-ExchangeMailFlow', 'Test-ExchangeMtaSts', 'Test-ExchangeMx', 'Test-ExchangeOwaLogin', 'Test-ExchangeSmtpSend', 'Test-ExchangeSpf', 'Test-ExchangeSrv')

    # Runs a script in a new pwsh process (the repository's local tool) and returns its output.
    function Invoke-FreshPwsh([string] $Script) {
        Push-Location $env:EXCHANGEDIAG_REPO
        try { & dotnet pwsh -NoProfile -NonInteractive -Command $Script 2>&1 }
        finally { Pop-Location }
    }
}

Describe 'The built ExchangeDiag module' {
    It 'imports without warnings and exports exactly its cmdlets' {
        Import-Module $manifest -Force -WarningVariable importWarnings 3>$null
        $importWarnings | Should -BeNullOrEmpty
        (Get-Command -Module ExchangeDiag -CommandType Cmdlet).Name | Sort-Object | Should -Be $cmdlets
    }

    It 'keeps its cmdlets after Import-Module -Force' {
        Import-Module $manifest -Force
        Import-Module $manifest -Force
        (Get-Command -Module ExchangeDiag -CommandType Cmdlet).Name | Sort-Object | Should -Be $cmdlets
        (Get-Command -Module ExchangeDiag -CommandType Alias).Name | Should -Be 'Invoke-OvhExchangeDiagnosis'
    }

    It 'keeps the names cmdlets had before the naming was made one (Diagnostic; Ovh last) as aliases, with their help' {
        Import-Module $manifest -Force
        $old = Get-Command Invoke-OvhExchangeDiagnosis
        $old.CommandType | Should -Be 'Alias'
        $old.ResolvedCommand.Name | Should -Be 'Invoke-ExchangeDiagnosticOvh'
        (Get-Help Invoke-OvhExchangeDiagnosis).Synopsis | Should -Be (Get-Help Invoke-ExchangeDiagnosticOvh).Synopsis
        @(Get-Command -Module ExchangeDiag -CommandType Cmdlet | Where-Object Name -match 'Diagnosis') | Should -BeNullOrEmpty -Because 'the cmdlets say Diagnostic'
    }

    It 'loads its views at the first cmdlet of a session, touching none of the caller''s variables or functions' {
        $output = Invoke-FreshPwsh @"
Import-Module '$manifest'
'before: ' + [bool](Get-FormatData -TypeName ExchangeDiag.MxCheckResult)
function Update-FormatData { 'the user''s own Update-FormatData ran' }
`$path = 'the user''s path'
`$result = Test-ExchangeMx -Domain ovh-ok.lab.test -DnsServer '$dns' -Provider OvhEurope
'after: ' + [bool](Get-FormatData -TypeName ExchangeDiag.MxCheckResult)
'path: ' + `$path
(`$result | Format-Table | Out-String -Width 200).Contains('Check')
"@
        $output | Should -Contain 'before: False'
        $output | Should -Contain 'after: True'
        $output | Should -Contain "path: the user's path"
        $output | Should -Not -Contain "the user's own Update-FormatData ran"
        $output | Select-Object -Last 1 | Should -Be 'True'
    }

    It 'has a valid, complete manifest with explicit exports' {
        $info = Test-ModuleManifest -Path $manifest
        $info.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $info.PowerShellVersion | Should -Be '5.1'
        $info.ExportedCmdlets.Keys | Sort-Object | Should -Be $cmdlets
        foreach ($field in 'Description', 'Author', 'CompanyName', 'Copyright', 'ProjectUri', 'LicenseUri', 'ReleaseNotes') {
            $info.$field | Should -Not -BeNullOrEmpty -Because "the manifest needs $field"
        }
        $info.Tags | Should -Contain 'Exchange'

        $data = Import-PowerShellDataFile $manifest
        $data.CmdletsToExport | Should -Not -Match '\*'
        $data.FunctionsToExport | Should -BeNullOrEmpty
        $data.VariablesToExport | Should -BeNullOrEmpty
        $data.AliasesToExport | Should -Be @('Invoke-OvhExchangeDiagnosis')
    }

    It 'binds a mailbox the same way in every cmdlet that takes one: <Name> -<Parameter>' -ForEach @(
        @{ Name = 'Test-ExchangeMx'; Parameter = 'Domain' }
        @{ Name = 'Test-ExchangeSrv'; Parameter = 'Domain' }
        @{ Name = 'Test-ExchangeAutodiscover'; Parameter = 'EmailAddress' }
        @{ Name = 'Test-ExchangeMailFlow'; Parameter = 'EmailAddress' }
        @{ Name = 'Test-ExchangeInboundSmtp'; Parameter = 'Recipient' }
        @{ Name = 'Invoke-ExchangeDiagnostic'; Parameter = 'EmailAddress' }
        @{ Name = 'Get-ExchangeAccountState'; Parameter = 'EmailAddress' }
        @{ Name = 'Invoke-ExchangeDiagnosticOvh'; Parameter = 'EmailAddress' }
    ) {
        Import-Module $manifest -Force
        $bound = (Get-Command $Name).Parameters[$Parameter]
        @($bound.Name) + $bound.Aliases | Should -Contain 'EmailAddress'
        foreach ($alias in 'PrimarySmtpAddress', 'WindowsEmailAddress', 'Mail', 'UserPrincipalName') {
            $bound.Aliases | Should -Contain $alias
        }
        $bound.Attributes.Where({ $_ -is [Parameter] }).ValueFromPipelineByPropertyName | Should -Contain $true
    }

    It 'completes -Provider values on Tab' {
        Import-Module $manifest -Force
        $line = 'Test-ExchangeMx -Provider '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Microsoft365', 'OvhCanada', 'OvhEurope')
    }

    It 'ships both targets: net8.0 for PowerShell 7 and net472 for Windows PowerShell' {
        Join-Path $moduleDir 'bin/net8.0/ExchangeDiag.dll' | Should -Exist
        Join-Path $moduleDir 'bin/net472/ExchangeDiag.dll' | Should -Exist
        Join-Path $moduleDir 'bin/net472/DnsClient.dll' | Should -Exist
    }

    It 'ships no System.Management.Automation, and shares the libraries PowerShell already has' {
        $shipped = @(Get-ChildItem (Join-Path $moduleDir 'bin') -Recurse -Filter *.dll)
        $shipped.Name | Should -Not -Contain 'System.Management.Automation.dll'

        # System.* libraries shipped for PowerShell 7.4 must not shadow the copy PowerShell 7.6 has.
        Import-Module $manifest -Force
        $context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([ExchangeDiag.CheckResult].Assembly)
        $context.Name | Should -Be 'ExchangeDiag'
        $platform = @{}
        foreach ($path in ([AppContext]::GetData('TRUSTED_PLATFORM_ASSEMBLIES') -split [IO.Path]::PathSeparator)) { $platform[[IO.Path]::GetFileNameWithoutExtension($path)] = $path }
        $sharedOnes = $shipped | Where-Object { $_.Directory.Name -eq 'net8.0' -and $platform.ContainsKey($_.BaseName) -and
            [Reflection.AssemblyName]::GetAssemblyName($platform[$_.BaseName]).Version -ge [Reflection.AssemblyName]::GetAssemblyName($_.FullName).Version }
        $sharedOnes | Should -Not -BeNullOrEmpty -Because 'PowerShell 7.6 has System.Formats.Asn1 at the version shipped for 7.4, so the rule is exercised'
        foreach ($file in $sharedOnes) {
            $loaded = $context.LoadFromAssemblyName([Reflection.AssemblyName]::GetAssemblyName($file.FullName))
            $loaded.Location | Should -Not -BeLike "$moduleDir*" -Because "$($file.Name) is in PowerShell already"
        }
    }

    It 'refuses, with a clear message, a second copy of the module in the same session' {
        $copy = Join-Path $TestDrive 'copy/ExchangeDiag'
        Copy-Item $moduleDir $copy -Recurse
        { Import-Module (Join-Path $copy 'ExchangeDiag.psd1') -Force -ErrorAction Stop } | Should -Throw '*already loaded in this session; start a new PowerShell session*'
        Import-Module $manifest -Force
        [ExchangeDiag.CheckResult].Assembly.Location | Should -BeLike "$moduleDir*"
        (Get-Command -Module ExchangeDiag).Name | Should -Contain 'Test-ExchangeMx'
    }

    It 'imports the cmdlets from its own context without loading what only a check needs (MSAL, MailKit)' {
        $output = Invoke-FreshPwsh @"
Import-Module '$manifest'
`$context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Test-ExchangeMx).ImplementingType.Assembly)
'CONTEXT ' + `$context.Name
[AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { 'LOADED ' + `$_.GetName().Name }
"@
        $output | Should -Contain 'CONTEXT ExchangeDiag'
        $output | Should -Contain 'LOADED ExchangeDiag.Core'
        $output | Should -Not -Contain 'LOADED Microsoft.Identity.Client' -Because 'MSAL loads only for -AuthMethod OAuth'
        $output | Should -Not -Contain 'LOADED MailKit'
    }

    It 'makes its result types usable as type literals' {
        Import-Module $manifest -Force
        [ExchangeDiag.CheckStatus]::Failed | Should -Be 'Failed'
        [ExchangeDiag.DiagnosticCause]'MxInvalid' | Should -BeOfType ([ExchangeDiag.DiagnosticCause])
        $result = Test-ExchangeMx -Domain ovh-ok.lab.test -DnsServer $dns
        $result | Should -BeOfType ([ExchangeDiag.CheckResult])
        $result | Should -BeOfType ([ExchangeDiag.MxCheckResult])
    }

    It 'works beside another version of DnsClient already loaded into the session' {
        $oldDnsClient = [IO.Path]::Combine($env:EXCHANGEDIAG_REPO, '.tools', 'packages', 'dnsclient', '1.6.1', 'lib', 'netstandard2.1', 'DnsClient.dll')
        $oldDnsClient | Should -Exist
        $output = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldDnsClient'
Import-Module '$manifest'
`$result = Test-ExchangeMx -Domain ovh-ok.lab.test -Provider OvhEurope -DnsServer '$dns'
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'DnsClient' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
'STATUS ' + `$result.Status
`$loaded | Sort-Object | ForEach-Object { 'LOADED ' + `$_ }
"@
        $output | Should -Contain 'STATUS Passed'
        $output | Should -Contain 'LOADED 1.6.1.0 in Default'
        $output | Should -Contain 'LOADED 1.8.0.0 in ExchangeDiag'
    }
}
