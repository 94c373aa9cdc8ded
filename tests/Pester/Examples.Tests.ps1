# The scripts of docs/examples, run as users run them (each in a fresh pwsh) against the lab.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabHelpers.ps1')
    $script:examples = Join-Path $env:EXCHANGEDIAG_REPO 'docs/examples'
    $script:credentials = Join-Path $TestDrive 'creds'
    $null = New-Item -ItemType Directory -Path $credentials
    foreach ($user in 'healthy@post.lab.test', 'spammer@post.lab.test') {
        New-LabCredential $user | Export-Clixml -Path (Join-Path $credentials "$user.xml")
    }
}

Describe 'The scheduled-task example' {
    BeforeAll {
        # SecretManagement cannot be installed here (no PowerShell Gallery): a module of its name
        # whose Get-Secret answers as a vault would (a PSCredential, or a SecureString for the
        # spammer's entry; an error for a name it does not hold) stands in, on PSModulePath.
        $stub = Join-Path $TestDrive 'stubmodules/Microsoft.PowerShell.SecretManagement'
        $null = New-Item -ItemType Directory -Path $stub -Force
        Set-Content -Path (Join-Path $stub 'Microsoft.PowerShell.SecretManagement.psm1') -Value @'
function Get-Secret([Parameter(Mandatory)] [string] $Name, [string] $Vault, [switch] $AsPlainText) {
    if ($Name -notin 'healthy@post.lab.test', 'spammer@post.lab.test') {
        throw "Get-Secret : The secret $Name was not found."
    }
    $password = ConvertTo-SecureString 'Correct-Horse-1' -AsPlainText -Force
    if ($Name -like 'spammer*') { return $password }
    [pscredential]::new($Name, $password)
}
'@
        function Invoke-WithSecretVault([scriptblock] $Script) {
            $previous = $env:PSModulePath
            $env:PSModulePath = (Join-Path $TestDrive 'stubmodules') + [IO.Path]::PathSeparator + $env:PSModulePath
            try { & $Script } finally { $env:PSModulePath = $previous }
        }
    }
    BeforeEach { Reset-Lab }

    It 'writes a report per mailbox and exits 1 when one is unhealthy' {
        $csv = Join-Path $TestDrive 'mailboxes.csv'
        @('EmailAddress', 'healthy@post.lab.test', 'spammer@post.lab.test') | Set-Content $csv
        $reports = Join-Path $TestDrive 'reports'
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory $reports -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE -SkipMailFlow 2>&1
        $LASTEXITCODE | Should -Be 1 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'spammer@post.lab.test\s+Failed\s+AccountBlockedForSpam'
        (Get-ChildItem $reports).Name | Sort-Object | Should -Be @(
            'healthy@post.lab.test.html', 'healthy@post.lab.test.json', 'spammer@post.lab.test.html', 'spammer@post.lab.test.json')
    }

    It 'reads the credentials from a SecretManagement vault, a PSCredential or a SecureString' {
        $csv = Join-Path $TestDrive 'mailboxes.csv'
        @('EmailAddress', 'healthy@post.lab.test', 'spammer@post.lab.test') | Set-Content $csv
        $output = Invoke-WithSecretVault { & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -ReportDirectory (Join-Path $TestDrive 'reports-vault') -Vault LabVault -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE -SkipMailFlow 2>&1 }
        $LASTEXITCODE | Should -Be 1 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'healthy@post.lab.test\s+Passed'
        ($output -join "`n") | Should -Match 'spammer@post.lab.test\s+Failed\s+AccountBlockedForSpam'
    }

    It 'exits 3 when the vault has no secret for a mailbox, or SecretManagement is missing and no -CredentialDirectory is given' {
        $csv = Join-Path $TestDrive 'unknown.csv'
        @('EmailAddress', 'nobody@post.lab.test') | Set-Content $csv
        $output = Invoke-WithSecretVault { & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -ReportDirectory (Join-Path $TestDrive 'reports-nobody') -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1 }
        $LASTEXITCODE | Should -Be 3 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'no secret nobody@post.lab.test in the vault'

        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -ReportDirectory (Join-Path $TestDrive 'reports-nobody') -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1
        $LASTEXITCODE | Should -Be 3 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'SecretManagement is not installed'
    }

    It 'exits 0 when every mailbox is healthy' {
        $csv = Join-Path $TestDrive 'healthy.csv'
        @('EmailAddress', 'healthy@post.lab.test') | Set-Content $csv
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory (Join-Path $TestDrive 'reports2') -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
    }

    It 'exits 2 when a mailbox could not be diagnosed because this computer''s DNS server is dead' {
        $csv = Join-Path $TestDrive 'healthy.csv'
        @('EmailAddress', 'healthy@post.lab.test') | Set-Content $csv
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory (Join-Path $TestDrive 'reports3') -DnsServer 127.0.0.99:5300 -TimeoutSeconds 3 `
            -ModulePath $env:EXCHANGEDIAG_MODULE -SkipMailFlow 2>&1
        $LASTEXITCODE | Should -Be 2 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match 'healthy@post.lab.test\s+Error\s+LocalDnsFailure'
    }

    It 'exits 3 before diagnosing anything when <Problem>' -ForEach @(
        @{ Problem = 'the CSV has no EmailAddress column'; Lines = @('Mail', 'healthy@post.lab.test'); Says = 'no EmailAddress column' }
        @{ Problem = 'a credential file is missing'; Lines = @('EmailAddress', 'healthy@post.lab.test', 'nobody@post.lab.test'); Says = 'no credential file .*nobody@post.lab.test.xml' }
        @{ Problem = 'an address is not one'; Lines = @('EmailAddress', 'healthy.post.lab.test'); Says = 'is not an e-mail address' }
    ) {
        $csv = Join-Path $TestDrive 'bad.csv'
        $Lines | Set-Content $csv
        $reports = Join-Path $TestDrive 'reports4'
        $output = & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $examples 'Invoke-ScheduledMailboxDiagnosis.ps1') -MailboxCsv $csv `
            -CredentialDirectory $credentials -ReportDirectory $reports -DnsServer $dns -ModulePath $env:EXCHANGEDIAG_MODULE 2>&1
        $LASTEXITCODE | Should -Be 3 -Because ($output -join "`n")
        ($output -join "`n") | Should -Match $Says
        Test-Path $reports | Should -BeFalse -Because 'nothing was diagnosed'
    }
}

Describe 'The Nagios mapping of about_ExchangeDiag' {
    BeforeAll {
        # The snippet exactly as the help shows it, run as a monitoring plugin would run it.
        $about = Get-Content (Join-Path $env:EXCHANGEDIAG_REPO 'docs/en-US/about_ExchangeDiag.md') -Raw -Encoding utf8
        $script:plugin = [regex]::Match($about, '(?s)Nagios.*?```powershell\r?\n(.*?)```').Groups[1].Value
    }

    It 'prints <State> and exits <Code> for <Case>' -ForEach @(
        @{ Case = 'a healthy mailbox'; User = 'healthy@post.lab.test'; State = 'OK'; Code = 0 }
        @{ Case = 'a mailbox blocked for spam'; User = 'spammer@post.lab.test'; State = 'CRITICAL'; Code = 2 }
        @{ Case = 'a dead DNS server'; User = 'healthy@post.lab.test'; DeadDns = $true; State = 'UNKNOWN'; Code = 3 }
    ) {
        Reset-Lab
        $plugin | Should -Match 'exit \$state'
        $user = $User
        $DnsServer = if ($DeadDns) { '127.0.0.99:5300' } else { $dns }
        $script = @"
Import-Module '$env:EXCHANGEDIAG_MODULE'
`$PSDefaultParameterValues = @{ 'Invoke-ExchangeDiagnostic:DnsServer' = '$DnsServer'; 'Invoke-ExchangeDiagnostic:TimeoutSeconds' = 3; 'Invoke-ExchangeDiagnostic:SkipMailFlow' = `$true }
`$credential = Import-Clixml '$credentials/$user.xml'
$($plugin.Replace('jane.doe@contoso.com', $user))
"@
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be $Code -Because ($output -join "`n")
        ($output -join "`n") | Should -Match "^$State - "
    }
}

Describe 'The infrastructure Pester example' {
    BeforeAll {
        # Runs docs/examples/Mailbox.Tests.ps1 in a fresh pwsh as a user would, and returns each test's
        # name, result and message. SecretManagement cannot be installed here (no PowerShell Gallery):
        # a Get-Secret of the same shape stands in, answering from the lab's credentials.
        function Invoke-MailboxExample([string] $Mailbox) {
            $summary = Join-Path $TestDrive "summary-$([guid]::NewGuid()).json"
            $pester = [IO.Path]::Combine($env:EXCHANGEDIAG_REPO, '.tools', 'packages', 'pester', '5.7.1', 'tools', 'Pester.psd1')
            $script = @"
Import-Module '$pester'
`$labHelpers = '$(Join-Path $PSScriptRoot 'LabHelpers.ps1')'
. `$labHelpers
function global:Get-Secret([string] `$Name, [string] `$Vault) {
    if (`$Name -like 'wrong-*') { return (New-LabCredential healthy@post.lab.test 'Wrong-Horse-9') }
    # One vault entry holds a credential, the other the password alone, as SecretManagement allows.
    if (`$Name -like 'spammer*') { return (New-LabCredential `$Name).Password }
    New-LabCredential `$Name
}
`$data = @{
    Mailbox    = @($Mailbox)
    DnsServer  = '$dns'
    ModulePath = '$env:EXCHANGEDIAG_MODULE'
}
`$config = New-PesterConfiguration
`$config.Run.Container = New-PesterContainer -Path '$examples/Mailbox.Tests.ps1' -Data `$data
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'None'
`$run = Invoke-Pester -Configuration `$config
`$run.Tests | ForEach-Object { [pscustomobject]@{ Name = `$_.ExpandedPath; Result = `$_.Result; Message = "`$(`$_.ErrorRecord)" } } |
    ConvertTo-Json | Set-Content '$summary'
"@
            & dotnet pwsh -NoProfile -NonInteractive -Command $script
            Get-Content $summary -Raw | ConvertFrom-Json
        }
    }

    It 'passes for a healthy mailbox and fails for a blocked one with a message naming the cause, credentials from the vault' {
        Reset-Lab
        $tests = Invoke-MailboxExample "@{ EmailAddress = 'healthy@post.lab.test'; Secret = 'healthy@post.lab.test' }, @{ EmailAddress = 'spammer@post.lab.test' }"
        $healthy = $tests | Where-Object Name -like '*healthy@post.lab.test*'
        $healthy.Result | Sort-Object -Unique | Should -Be 'Passed'
        $blocked = $tests | Where-Object Name -like '*spammer@post.lab.test*is healthy'
        $blocked.Result | Should -Be 'Failed'
        $blocked.Message | Should -Match '(?s)Expected spammer@post.lab.test to be healthy, but its diagnosis is Failed: .*cause AccountBlockedForSpam: .* Remediation: '
    }

    It 'reads a credential file of Export-Clixml, the fallback' {
        Reset-Lab
        $tests = Invoke-MailboxExample "@{ EmailAddress = 'healthy@post.lab.test'; CredentialPath = '$credentials/healthy@post.lab.test.xml' }"
        $tests.Result | Sort-Object -Unique | Should -Be 'Passed'
    }

    It 'does not pass "can send a message that arrives" when the round trip was Skipped' {
        # A wrong password: OWA refuses it, the later logins and the mail flow are Skipped (2 failed
        # logins, below the lab's lockout threshold of 3; Reset-Lab clears them).
        Reset-Lab
        $tests = Invoke-MailboxExample "@{ EmailAddress = 'healthy@post.lab.test'; Secret = 'wrong-password' }"
        $arrives = $tests | Where-Object Name -like '*can send a message that arrives'
        $arrives.Result | Should -Be 'Skipped'
        $arrives.Message | Should -Match 'the mail-flow check did not run: '
        ($tests | Where-Object Name -like '*can log in to webmail').Result | Should -Be 'Failed'
        Reset-Lab
    }
}
